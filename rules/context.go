package rules

import (
	"fmt"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/rules/deprecation"
	"github.com/kubeplan/kubeplan/rules/pss"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// env is what the catalog derives from Options once: parsed versions and the
// Pod Security evaluator. It is immutable and shared by every run.
type env struct {
	kube deprecation.Version
	pss  *pss.Evaluator
	apis *deprecation.Index
}

func newEnv(opts Options) (*env, error) {
	var errs []error
	kv := deprecation.LatestStable()
	if opts.KubeVersion != "" {
		v, err := deprecation.ParseVersion(opts.KubeVersion)
		if err != nil {
			errs = append(errs, fmt.Errorf("--kube-version: %w", err))
		} else {
			kv = v
		}
	}
	ev, err := pss.NewEvaluator(opts.PSSVersion)
	if err != nil {
		errs = append(errs, fmt.Errorf("--pss-version: %w", err))
		ev, _ = pss.NewEvaluator("latest")
	}
	e := &env{kube: kv, pss: ev, apis: deprecation.NewIndex()}
	if len(errs) > 0 {
		return e, errs[0]
	}
	return e, nil
}

// Context is what every check of one run reads: the model, the options and
// indexes built once before the rules run in parallel. It is read-only
// while rules run.
type Context struct {
	Model *cluster.Model
	Opts  Options
	env   *env
	// workloads are the unique workloads (later duplicates replace earlier
	// ones), by namespace, in load order.
	workloads map[string][]*cluster.Workload
	// selectors are the parsed selectors of the unique workloads (nil when
	// absent or invalid).
	selectors map[*cluster.Workload]labels.Selector
	// byObject maps every workload object to its workload view.
	byObject map[*cluster.Object]*cluster.Workload
	// hpas maps a scale target to the HorizontalPodAutoscalers aiming at it.
	hpas map[cluster.Key][]*hpaView
	// services are the unique Services by namespace.
	services map[string][]*cluster.Object
	// limitRanges are the unique LimitRanges by namespace.
	limitRanges map[string][]*corev1.LimitRange
}

// hpaView is the part of an HPA (autoscaling/v1 or v2) the rules read.
type hpaView struct {
	Object      *cluster.Object
	TargetKind  string
	TargetGroup string
	TargetName  string
	MinReplicas int32
	MinSet      bool
	MaxReplicas int32
}

func newContext(m *cluster.Model, e *env, opts Options) *Context {
	c := &Context{Model: m, Opts: opts, env: e,
		workloads:   map[string][]*cluster.Workload{},
		hpas:        map[cluster.Key][]*hpaView{},
		services:    map[string][]*cluster.Object{},
		limitRanges: map[string][]*corev1.LimitRange{},
		byObject:    map[*cluster.Object]*cluster.Workload{},
		selectors:   map[*cluster.Workload]labels.Selector{},
	}
	for _, w := range m.Workloads() {
		c.byObject[w.Object] = w
		if isUnique(m, w.Object) {
			c.workloads[w.Namespace()] = append(c.workloads[w.Namespace()], w)
			if w.Selector != nil {
				if sel, err := metav1.LabelSelectorAsSelector(w.Selector); err == nil {
					c.selectors[w] = sel
				}
			}
		}
	}
	for _, o := range m.Unique() {
		switch t := o.Typed.(type) {
		case *corev1.Service:
			c.services[o.Namespace] = append(c.services[o.Namespace], o)
		case *corev1.LimitRange:
			c.limitRanges[o.Namespace] = append(c.limitRanges[o.Namespace], t)
		case *autoscalingv1.HorizontalPodAutoscaler:
			h := &hpaView{Object: o, TargetKind: t.Spec.ScaleTargetRef.Kind, TargetGroup: groupOf(t.Spec.ScaleTargetRef.APIVersion),
				TargetName: t.Spec.ScaleTargetRef.Name, MaxReplicas: t.Spec.MaxReplicas}
			h.MinReplicas, h.MinSet = minReplicas(t.Spec.MinReplicas)
			c.addHPA(h)
		case *autoscalingv2.HorizontalPodAutoscaler:
			h := &hpaView{Object: o, TargetKind: t.Spec.ScaleTargetRef.Kind, TargetGroup: groupOf(t.Spec.ScaleTargetRef.APIVersion),
				TargetName: t.Spec.ScaleTargetRef.Name, MaxReplicas: t.Spec.MaxReplicas}
			h.MinReplicas, h.MinSet = minReplicas(t.Spec.MinReplicas)
			c.addHPA(h)
		}
	}
	return c
}

func (c *Context) addHPA(h *hpaView) {
	k := cluster.Key{Group: h.TargetGroup, Kind: h.TargetKind, Namespace: h.Object.Namespace, Name: h.TargetName}
	c.hpas[k] = append(c.hpas[k], h)
}

// minReplicas applies the HPA default of 1.
func minReplicas(p *int32) (int32, bool) {
	if p == nil {
		return 1, false
	}
	return *p, true
}

// Workloads returns the unique workloads of a namespace in load order.
func (c *Context) Workloads(namespace string) []*cluster.Workload { return c.workloads[namespace] }

// WorkloadOf returns the workload view of o, or nil when o runs no pods.
func (c *Context) WorkloadOf(o *cluster.Object) *cluster.Workload { return c.byObject[o] }

// Services returns the unique Services of a namespace in load order.
func (c *Context) Services(namespace string) []*cluster.Object { return c.services[namespace] }

// HPAs returns the autoscalers whose scaleTargetRef names the workload.
func (c *Context) HPAs(w *cluster.Workload) []*hpaView {
	o := w.Object
	return c.hpas[cluster.Key{Group: o.GVK.Group, Kind: o.GVK.Kind, Namespace: o.Namespace, Name: o.Name}]
}

// isUnique reports whether o is the definition Get returns for its identity.
func isUnique(m *cluster.Model, o *cluster.Object) bool {
	return m.Get(o.GVK.Group, o.GVK.Kind, o.Namespace, o.Name) == o
}

// groupOf returns the group of an apiVersion ("apps/v1" -> "apps").
func groupOf(apiVersion string) string {
	for i := 0; i < len(apiVersion); i++ {
		if apiVersion[i] == '/' {
			return apiVersion[:i]
		}
	}
	return ""
}
