package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

func missingPDBRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "missing-pdb",
			Title:       "Multi-replica workload without a PodDisruptionBudget",
			Description: "Without a PodDisruptionBudget a node drain or cluster upgrade may evict all replicas of the workload at once.",
			Remediation: "Add a PodDisruptionBudget (for example maxUnavailable: 1) whose selector matches the workload's pod template.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryReliability},
		},
		Model: func(c *Context, r *Report) {
			all := pdbs(c)
			for _, ns := range sortedKeys(c.workloads) {
				for _, w := range c.Workloads(ns) {
					if n, _ := lowWater(c, w); !scalable(w) || n < 2 {
						continue
					}
					covered := false
					for _, p := range all {
						covered = covered || (p.Object.Namespace == ns && p.selects(w.Template.Labels))
					}
					if !covered {
						r.Addf(w.Object, "spec.selector", "no PodDisruptionBudget selects the pods of this %s (%d replicas)", w.Object.GVK.Kind, w.Replicas)
					}
				}
			}
		},
	}
}

func pdbUnhealthyPolicyRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "pdb-unhealthy-pod-eviction-policy",
			Title:       "PodDisruptionBudget does not set unhealthyPodEvictionPolicy",
			Description: "With the default policy (IfHealthyBudget), pods that are running but not ready can only be evicted while the budget has room, so a crash-looping workload can block node drains.",
			Remediation: "Set spec.unhealthyPodEvictionPolicy: AlwaysAllow.",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategoryReliability},
		},
		Object: func(_ *Context, r *Report, o *cluster.Object) {
			if p, ok := pdbOf(o); ok && !p.UnhealthyPolicySet {
				r.Add(o, "spec", "unhealthyPodEvictionPolicy is not set")
			}
		},
	}
}
