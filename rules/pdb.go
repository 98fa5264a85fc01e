package rules

import (
	"fmt"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	policyv1 "k8s.io/api/policy/v1"
	policyv1beta1 "k8s.io/api/policy/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// pdbView is the part of a PodDisruptionBudget (policy/v1 or v1beta1) the
// rules read.
type pdbView struct {
	Object                       *cluster.Object
	Selector                     *metav1.LabelSelector
	MinAvailable, MaxUnavailable *intstr.IntOrString
	// EmptySelectsAll is true for policy/v1, where an empty selector
	// selects every pod of the namespace; in v1beta1 it selects none.
	EmptySelectsAll bool
	// UnhealthyPolicySet reports whether unhealthyPodEvictionPolicy is set.
	UnhealthyPolicySet bool
}

func pdbOf(o *cluster.Object) (*pdbView, bool) {
	switch t := o.Typed.(type) {
	case *policyv1.PodDisruptionBudget:
		return &pdbView{Object: o, Selector: t.Spec.Selector, MinAvailable: t.Spec.MinAvailable, MaxUnavailable: t.Spec.MaxUnavailable,
			EmptySelectsAll: true, UnhealthyPolicySet: t.Spec.UnhealthyPodEvictionPolicy != nil}, true
	case *policyv1beta1.PodDisruptionBudget:
		return &pdbView{Object: o, Selector: t.Spec.Selector, MinAvailable: t.Spec.MinAvailable, MaxUnavailable: t.Spec.MaxUnavailable,
			UnhealthyPolicySet: t.Spec.UnhealthyPodEvictionPolicy != nil}, true
	}
	return nil, false
}

// selects reports whether the budget covers the pod template's labels.
func (p *pdbView) selects(l map[string]string) bool {
	if p.Selector != nil && len(p.Selector.MatchLabels) == 0 && len(p.Selector.MatchExpressions) == 0 {
		return p.EmptySelectsAll
	}
	return labelSelectorMatches(p.Selector, l)
}

// pdbs returns the unique PodDisruptionBudgets in load order.
func pdbs(c *Context) []*pdbView {
	var out []*pdbView
	for _, o := range c.Model.Unique() {
		if p, ok := pdbOf(o); ok {
			out = append(out, p)
		}
	}
	return out
}

// evictable reports whether the disruption controller counts the
// workload's pods through a scale subresource or as a bare pod.
func evictable(w *cluster.Workload) bool {
	return kindIn(w.Object, "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Pod")
}

// lowWater is the fewest pods the workload runs in steady state: its
// replicas, or the minReplicas of an HPA that scales it.
func lowWater(c *Context, w *cluster.Workload) (int32, string) {
	for _, h := range c.HPAs(w) {
		return h.MinReplicas, fmt.Sprintf(" at %s's minReplicas", describe(h.Object))
	}
	return w.Replicas, ""
}

func pdbSelectsNothingRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "pdb-selects-nothing",
			Title:       "PodDisruptionBudget selects no pods",
			Description: "No pod template in the budget's namespace matches its selector, so it protects nothing (in policy/v1beta1 an empty selector also selects nothing).",
			Remediation: "Fix spec.selector to match the labels of the workload the budget protects.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryCorrectness, finding.CategoryReliability},
		},
		Model: func(c *Context, r *Report) {
			for _, p := range pdbs(c) {
				found := false
				for _, w := range c.Workloads(p.Object.Namespace) {
					found = found || p.selects(w.Template.Labels)
				}
				if !found {
					r.Addf(p.Object, "spec.selector", "selector matches no pod template in namespace %q", p.Object.Namespace)
				}
			}
		},
	}
}

func pdbBlocksEvictionRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "pdb-blocks-eviction",
			Title:       "PodDisruptionBudget allows no disruption",
			Description: "The disruption controller allows (healthy pods - desired healthy) evictions. When maxUnavailable resolves to 0, or minAvailable (defaulted to 1 when neither is set) reaches the number of pods the selected workloads run, no voluntary eviction is ever allowed: kubectl drain and cluster upgrades hang on these pods. Percentages round up, as in the controller.",
			Remediation: "Lower minAvailable below the replica count (or use maxUnavailable: 1), or run more replicas.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryReliability},
		},
		Model: func(c *Context, r *Report) {
			for _, p := range pdbs(c) {
				var expected int32
				var rel []finding.Location
				hpaNote := ""
				for _, w := range c.Workloads(p.Object.Namespace) {
					if !evictable(w) || !p.selects(w.Template.Labels) {
						continue
					}
					n, note := lowWater(c, w)
					expected += n
					hpaNote += note
					rel = append(rel, related(w.Object, "spec.replicas", fmt.Sprintf("%s runs %d pod(s)%s", describe(w.Object), n, note)))
				}
				if expected == 0 {
					continue
				}
				var allowed int
				var what, path string
				switch {
				case p.MaxUnavailable != nil:
					v, err := intstr.GetScaledValueFromIntOrPercent(p.MaxUnavailable, int(expected), true)
					if err != nil {
						continue
					}
					allowed, what, path = v, "maxUnavailable "+p.MaxUnavailable.String(), "spec.maxUnavailable"
				default:
					minAv := intstr.FromInt32(1)
					what, path = "minAvailable 1 (the default)", "spec"
					if p.MinAvailable != nil {
						minAv, what, path = *p.MinAvailable, "minAvailable "+p.MinAvailable.String(), "spec.minAvailable"
					}
					v, err := intstr.GetScaledValueFromIntOrPercent(&minAv, int(expected), true)
					if err != nil {
						continue
					}
					allowed = int(expected) - v
				}
				if allowed <= 0 {
					r.Add(p.Object, path, fmt.Sprintf("%s allows no disruption of the %d selected pod(s)%s; evictions and kubectl drain will block", what, expected, hpaNote), rel...)
				}
			}
		},
	}
}
