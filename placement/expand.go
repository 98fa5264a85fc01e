package placement

import (
	"fmt"
	"hash/fnv"
	"strconv"

	"github.com/go-logr/logr"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"

	"github.com/kubeplan/kubeplan/lint/cluster"
)

// expandedPod is one pod a workload's controller would create.
type expandedPod struct {
	pod      *corev1.Pod
	workload *cluster.Workload
	source   string
	// owner is the controller selecting the pod for the default spread
	// selector (ReplicaSet, ReplicationController or StatefulSet).
	ownerSelector labels.Selector
	// ordered is the previous ordinal of an OrderedReady StatefulSet.
	orderedAfter int // index into the expansion; -1 when none
	memoKey      string
}

// expandWorkload returns the pods a workload's controller creates: replicas
// of Deployments, ReplicaSets, ReplicationControllers and StatefulSets
// (<name>-<i>), min(parallelism, completions) of a Job or of one CronJob
// run, and one pod per eligible node of a DaemonSet (<name>-<node>).
func expandWorkload(w *cluster.Workload, nodes []declaredNode, base int) []expandedPod {
	o := w.Object
	source := o.GVK.Kind + " " + o.Namespace + "/" + o.Name
	newPod := func(name string) *corev1.Pod {
		t := w.Template.DeepCopy()
		p := &corev1.Pod{ObjectMeta: t.ObjectMeta, Spec: t.Spec}
		p.Name, p.Namespace = name, o.Namespace
		p.GenerateName = ""
		return p
	}
	var out []expandedPod
	switch t := o.Typed.(type) {
	case *corev1.Pod:
		p := &corev1.Pod{ObjectMeta: *t.ObjectMeta.DeepCopy(), Spec: *t.Spec.DeepCopy(), Status: *t.Status.DeepCopy()}
		p.Namespace = o.Namespace
		return []expandedPod{{pod: p, workload: w, orderedAfter: -1, memoKey: source}}
	case *appsv1.DaemonSet:
		for _, dn := range nodes {
			p := newPod(o.Name + "-" + dn.node.Name)
			addDaemonTolerations(p)
			if !nodeShouldRunDaemonPod(p, dn.node) {
				continue
			}
			p.Spec.Affinity = replaceNodeNameAffinity(p.Spec.Affinity, dn.node.Name)
			out = append(out, expandedPod{pod: p, workload: w, source: source, orderedAfter: -1, memoKey: source + "@" + dn.node.Name})
		}
		return out
	}
	if w.PerNode {
		return nil // an older DaemonSet API version: not expanded
	}
	n := int(w.Replicas)
	var owner labels.Selector
	ordered := false
	extra := map[string]string{}
	switch t := o.Typed.(type) {
	case *appsv1.Deployment:
		hash := templateHash(o)
		extra[appsv1.DefaultDeploymentUniqueLabelKey] = hash
		owner = selectorWith(t.Spec.Selector, appsv1.DefaultDeploymentUniqueLabelKey, hash)
	case *appsv1.ReplicaSet:
		owner = selectorWith(t.Spec.Selector, "", "")
	case *corev1.ReplicationController:
		owner = labels.SelectorFromSet(t.Spec.Selector)
	case *appsv1.StatefulSet:
		owner = selectorWith(t.Spec.Selector, "", "")
		ordered = t.Spec.PodManagementPolicy == "" || t.Spec.PodManagementPolicy == appsv1.OrderedReadyPodManagement
	case *batchv1.Job:
		if t.Spec.Suspend != nil && *t.Spec.Suspend {
			return nil
		}
		extra["job-name"], extra[batchv1.JobNameLabel] = o.Name, o.Name
	case *batchv1.CronJob:
		if (t.Spec.Suspend != nil && *t.Spec.Suspend) || (t.Spec.JobTemplate.Spec.Suspend != nil && *t.Spec.JobTemplate.Spec.Suspend) {
			return nil
		}
	}
	for i := 0; i < n && i < maxPodsPerWorkload; i++ {
		p := newPod(fmt.Sprintf("%s-%d", o.Name, i))
		if p.Labels == nil {
			p.Labels = map[string]string{}
		}
		for k, v := range extra {
			p.Labels[k] = v
		}
		after := -1
		if _, ok := o.Typed.(*appsv1.StatefulSet); ok {
			p.Labels[appsv1.StatefulSetPodNameLabel] = p.Name
			p.Labels[appsv1.PodIndexLabel] = strconv.Itoa(i)
			if ordered && i > 0 {
				after = base + len(out) - 1
			}
		}
		out = append(out, expandedPod{pod: p, workload: w, source: source, ownerSelector: owner, orderedAfter: after, memoKey: source})
	}
	return out
}

// maxPodsPerWorkload bounds expansion so a typo (replicas: 1000000) cannot
// exhaust memory.
const maxPodsPerWorkload = 100000

func selectorWith(ls *metav1.LabelSelector, key, value string) labels.Selector {
	s := selectorOrNothing(ls)
	if key != "" {
		s = addRequirement(s, key, "=", value)
	}
	return s
}

// templateHash stands in for controller.ComputeHash: stable for one
// Deployment, distinct across Deployments.
func templateHash(o *cluster.Object) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(o.Namespace + "/" + o.Name))
	return fmt.Sprintf("%08x", h.Sum32())
}

// addDaemonTolerations is AddOrUpdateDaemonPodTolerations.
func addDaemonTolerations(p *corev1.Pod) {
	add := func(key string, effect corev1.TaintEffect) {
		t := corev1.Toleration{Key: key, Operator: corev1.TolerationOpExists, Effect: effect}
		for i := range p.Spec.Tolerations {
			if p.Spec.Tolerations[i].MatchToleration(&t) {
				return
			}
		}
		p.Spec.Tolerations = append(p.Spec.Tolerations, t)
	}
	add(corev1.TaintNodeNotReady, corev1.TaintEffectNoExecute)
	add(corev1.TaintNodeUnreachable, corev1.TaintEffectNoExecute)
	add(corev1.TaintNodeDiskPressure, corev1.TaintEffectNoSchedule)
	add(corev1.TaintNodeMemoryPressure, corev1.TaintEffectNoSchedule)
	add(corev1.TaintNodePIDPressure, corev1.TaintEffectNoSchedule)
	add(corev1.TaintNodeUnschedulable, corev1.TaintEffectNoSchedule)
	if p.Spec.HostNetwork {
		add(corev1.TaintNodeNetworkUnavailable, corev1.TaintEffectNoSchedule)
	}
}

// nodeShouldRunDaemonPod is the DaemonSet controller's check: nodeName,
// required node affinity, and NoSchedule/NoExecute taints against the
// daemon pod's tolerations.
func nodeShouldRunDaemonPod(p *corev1.Pod, n *corev1.Node) bool {
	if p.Spec.NodeName != "" && p.Spec.NodeName != n.Name {
		return false
	}
	if ok, _ := nodeaffinity.GetRequiredNodeAffinity(p).Match(n); !ok {
		return false
	}
	_, untolerated := corev1helpers.FindMatchingUntoleratedTaint(logr.Discard(), n.Spec.Taints, p.Spec.Tolerations, doNotScheduleTaint, false)
	return !untolerated
}

// replaceNodeNameAffinity is ReplaceDaemonSetPodNodeNameNodeAffinity: the
// required node affinity becomes matchFields metadata.name In [node].
func replaceNodeNameAffinity(a *corev1.Affinity, node string) *corev1.Affinity {
	sel := &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
		MatchFields: []corev1.NodeSelectorRequirement{{Key: metav1.ObjectNameField, Operator: corev1.NodeSelectorOpIn, Values: []string{node}}},
	}}}
	if a == nil {
		a = &corev1.Affinity{}
	}
	if a.NodeAffinity == nil {
		a.NodeAffinity = &corev1.NodeAffinity{}
	}
	a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = sel
	return a
}

// surgePods are the extra pods a rolling update creates before old ones go
// (<name>-surge-<i>), for the rollout headroom check.
func surgePods(w *cluster.Workload, n int) []expandedPod {
	o := w.Object
	d, ok := o.Typed.(*appsv1.Deployment)
	if !ok {
		return nil
	}
	source := o.GVK.Kind + " " + o.Namespace + "/" + o.Name
	owner := selectorWith(d.Spec.Selector, appsv1.DefaultDeploymentUniqueLabelKey, templateHash(o)+"-new")
	out := make([]expandedPod, 0, n)
	for i := 0; i < n && i < maxPodsPerWorkload; i++ {
		t := w.Template.DeepCopy()
		p := &corev1.Pod{ObjectMeta: t.ObjectMeta, Spec: t.Spec}
		p.Name, p.Namespace = fmt.Sprintf("%s-surge-%d", o.Name, i), o.Namespace
		if p.Labels == nil {
			p.Labels = map[string]string{}
		}
		p.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = templateHash(o) + "-new"
		out = append(out, expandedPod{pod: p, workload: w, source: source, ownerSelector: owner, orderedAfter: -1, memoKey: source + "@surge"})
	}
	return out
}
