package placement

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	nodev1 "k8s.io/api/node/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// System priority classes that exist in every cluster
// (scheduling.SystemPriorityClasses).
var systemPriorityClasses = map[string]int32{
	"system-node-critical":    2000001000,
	"system-cluster-critical": 2000000000,
}

// admission holds what the API server's defaulting and admission plugins
// read: PriorityClasses, LimitRanges and RuntimeClasses.
type admission struct {
	priorityClasses map[string]*schedulingv1.PriorityClass
	globalDefault   *schedulingv1.PriorityClass
	limitRanges     map[string][]*corev1.LimitRange // by namespace
	runtimeClasses  map[string]*nodev1.RuntimeClass
}

// applyDefaults is the API server's defaulting that matters for
// scheduling (SetDefaults_Pod, SetDefaults_Container): requests default to
// limits, the default scheduler, TCP ports.
func applyDefaults(pod *corev1.Pod) {
	if pod.Spec.SchedulerName == "" {
		pod.Spec.SchedulerName = corev1.DefaultSchedulerName
	}
	def := func(cs []corev1.Container) {
		for i := range cs {
			c := &cs[i]
			for name, q := range c.Resources.Limits {
				if _, ok := c.Resources.Requests[name]; !ok {
					if c.Resources.Requests == nil {
						c.Resources.Requests = corev1.ResourceList{}
					}
					c.Resources.Requests[name] = q.DeepCopy()
				}
			}
			for j := range c.Ports {
				if c.Ports[j].Protocol == "" {
					c.Ports[j].Protocol = corev1.ProtocolTCP
				}
			}
		}
	}
	def(pod.Spec.InitContainers)
	def(pod.Spec.Containers)
}

// admit runs the mutating admission plugins (LimitRanger, Priority,
// DefaultTolerationSeconds, RuntimeClass), create validation and the
// validating plugins, in the API server's order. It returns the rejection
// message, or "".
func (a *admission) admit(pod *corev1.Pod) string {
	forbidden := func(msg string) string { return fmt.Sprintf("pods %q is forbidden: %s", pod.Name, msg) }
	ranges := a.limitRanges[pod.Namespace]
	for _, lr := range ranges {
		limitRangerDefault(lr, pod)
	}
	if msg := a.resolvePriority(pod); msg != "" {
		return forbidden(msg)
	}
	addDefaultTolerations(pod)
	if msg := a.applyRuntimeClass(pod); msg != "" {
		return forbidden("pod rejected: " + msg)
	}
	if errs := validatePodCreate(pod); len(errs) > 0 {
		if len(errs) == 1 {
			return fmt.Sprintf("Pod %q is invalid: %s", pod.Name, errs[0])
		}
		return fmt.Sprintf("Pod %q is invalid: [%s]", pod.Name, strings.Join(errs, ", "))
	}
	for _, lr := range ranges {
		if msg := limitRangerValidate(lr, pod); msg != "" {
			return forbidden(msg)
		}
	}
	return ""
}

// resolvePriority is the Priority admission plugin.
func (a *admission) resolvePriority(pod *corev1.Pod) string {
	if pod.Spec.Priority != nil && pod.Spec.NodeName != "" {
		return "" // a dump of a running pod: not re-admitted
	}
	name := pod.Spec.PriorityClassName
	var value int32
	var policy *corev1.PreemptionPolicy
	switch {
	case name == "":
		if pc := a.globalDefault; pc != nil {
			pod.Spec.PriorityClassName, value, policy = pc.Name, pc.Value, pc.PreemptionPolicy
		}
	case a.priorityClasses[name] != nil:
		pc := a.priorityClasses[name]
		value, policy = pc.Value, pc.PreemptionPolicy
	default:
		v, ok := systemPriorityClasses[name]
		if !ok {
			return fmt.Sprintf("no PriorityClass with name %s was found", name)
		}
		value = v
	}
	pod.Spec.Priority = &value
	if policy == nil {
		p := corev1.PreemptLowerPriority
		policy = &p
	}
	pod.Spec.PreemptionPolicy = policy
	return ""
}

// addDefaultTolerations is DefaultTolerationSeconds: 300 s tolerations of
// the not-ready and unreachable NoExecute taints unless already tolerated.
func addDefaultTolerations(pod *corev1.Pod) {
	notReady, unreachable := false, false
	for _, t := range pod.Spec.Tolerations {
		noExec := t.Effect == corev1.TaintEffectNoExecute || t.Effect == ""
		if (t.Key == corev1.TaintNodeNotReady || t.Key == "") && noExec {
			notReady = true
		}
		if (t.Key == corev1.TaintNodeUnreachable || t.Key == "") && noExec {
			unreachable = true
		}
	}
	secs := int64(300)
	if !notReady {
		pod.Spec.Tolerations = append(pod.Spec.Tolerations, corev1.Toleration{Key: corev1.TaintNodeNotReady,
			Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &secs})
	}
	if !unreachable {
		pod.Spec.Tolerations = append(pod.Spec.Tolerations, corev1.Toleration{Key: corev1.TaintNodeUnreachable,
			Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &secs})
	}
}

// applyRuntimeClass is the RuntimeClass admission plugin: overhead and
// scheduling (nodeSelector, tolerations) come from the class.
func (a *admission) applyRuntimeClass(pod *corev1.Pod) string {
	name := pod.Spec.RuntimeClassName
	if name == nil || *name == "" {
		if pod.Spec.Overhead != nil {
			return "Pod Overhead set without corresponding RuntimeClass defined Overhead"
		}
		return ""
	}
	rc := a.runtimeClasses[*name]
	if rc == nil {
		return fmt.Sprintf("RuntimeClass %q not found", *name)
	}
	if rc.Overhead != nil {
		if pod.Spec.Overhead != nil && !equalResources(pod.Spec.Overhead, rc.Overhead.PodFixed) {
			return "Pod's Overhead doesn't match RuntimeClass's defined Overhead"
		}
		pod.Spec.Overhead = rc.Overhead.PodFixed.DeepCopy()
	} else if pod.Spec.Overhead != nil {
		return "Pod Overhead set without corresponding RuntimeClass defined Overhead"
	}
	if s := rc.Scheduling; s != nil {
		for k, v := range s.NodeSelector {
			if old, ok := pod.Spec.NodeSelector[k]; ok && old != v {
				return fmt.Sprintf("conflict: runtimeClass.scheduling.nodeSelector[%s] = %s; pod.spec.nodeSelector[%s] = %s", k, v, k, old)
			}
			if pod.Spec.NodeSelector == nil {
				pod.Spec.NodeSelector = map[string]string{}
			}
			pod.Spec.NodeSelector[k] = v
		}
	next:
		for _, t := range s.Tolerations {
			for _, have := range pod.Spec.Tolerations {
				if have.MatchToleration(&t) {
					continue next
				}
			}
			pod.Spec.Tolerations = append(pod.Spec.Tolerations, t)
		}
	}
	return ""
}

func equalResources(a, b corev1.ResourceList) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || v.Cmp(w) != 0 {
			return false
		}
	}
	return true
}

// limitRangerDefault fills container requests and limits from a
// Container-type LimitRange (after SetDefaults_LimitRange: default from
// max, defaultRequest from default, then from min).
func limitRangerDefault(lr *corev1.LimitRange, pod *corev1.Pod) {
	for _, item := range lr.Spec.Limits {
		if item.Type != corev1.LimitTypeContainer {
			continue
		}
		defLimit, defReq := corev1.ResourceList{}, corev1.ResourceList{}
		for k, v := range item.Default {
			defLimit[k] = v
		}
		for k, v := range item.Max {
			if _, ok := defLimit[k]; !ok {
				defLimit[k] = v
			}
		}
		for k, v := range item.DefaultRequest {
			defReq[k] = v
		}
		for k, v := range defLimit {
			if _, ok := defReq[k]; !ok {
				defReq[k] = v
			}
		}
		for k, v := range item.Min {
			if _, ok := defReq[k]; !ok {
				defReq[k] = v
			}
		}
		merge := func(cs []corev1.Container) {
			for i := range cs {
				r := &cs[i].Resources
				for k, v := range defLimit {
					if _, ok := r.Limits[k]; !ok {
						if r.Limits == nil {
							r.Limits = corev1.ResourceList{}
						}
						r.Limits[k] = v.DeepCopy()
					}
				}
				for k, v := range defReq {
					if _, ok := r.Requests[k]; !ok {
						if r.Requests == nil {
							r.Requests = corev1.ResourceList{}
						}
						r.Requests[k] = v.DeepCopy()
					}
				}
			}
		}
		merge(pod.Spec.InitContainers)
		merge(pod.Spec.Containers)
	}
}

// limitRangerValidate checks min and max of a Container-type LimitRange,
// with LimitRanger's messages.
func limitRangerValidate(lr *corev1.LimitRange, pod *corev1.Pod) string {
	for _, item := range lr.Spec.Limits {
		if item.Type != corev1.LimitTypeContainer {
			continue
		}
		for _, c := range append(append([]corev1.Container(nil), pod.Spec.InitContainers...), pod.Spec.Containers...) {
			for _, k := range sortedResourceNames(item.Min) {
				min := item.Min[k]
				req, ok := c.Resources.Requests[k]
				if !ok {
					return fmt.Sprintf("minimum %s usage per Container is %s.  No request is specified", k, min.String())
				}
				if req.Cmp(min) < 0 {
					return fmt.Sprintf("minimum %s usage per Container is %s, but request is %s", k, min.String(), req.String())
				}
			}
			for _, k := range sortedResourceNames(item.Max) {
				max := item.Max[k]
				lim, ok := c.Resources.Limits[k]
				if !ok {
					return fmt.Sprintf("maximum %s usage per Container is %s.  No limit is specified", k, max.String())
				}
				if lim.Cmp(max) > 0 {
					return fmt.Sprintf("maximum %s usage per Container is %s, but limit is %s", k, max.String(), lim.String())
				}
			}
		}
	}
	return ""
}

func sortedResourceNames(l corev1.ResourceList) []corev1.ResourceName {
	r := Resources{Scalar: map[corev1.ResourceName]int64{}}
	for k := range l {
		r.Scalar[k] = 0
	}
	return r.scalarNames()
}

// quantityString renders a quantity as the API server does in messages.
func quantityString(q resource.Quantity) string { return q.String() }
