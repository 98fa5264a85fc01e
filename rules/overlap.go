package rules

import (
	"github.com/kubeplan/kubeplan/lint/finding"
	"k8s.io/apimachinery/pkg/labels"
)

func selectorOverlapRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "selector-overlap",
			Title:       "Two workloads' selectors overlap",
			Description: "The workload's selector also matches another controller's pod template in the same namespace. Controllers then count, adopt or delete each other's pods; Services and PodDisruptionBudgets written for one workload also catch the other's pods.",
			Remediation: "Give each workload a label the other does not carry (for example app.kubernetes.io/name plus app.kubernetes.io/component) and select on it.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryCorrectness, finding.CategoryReliability},
		},
		Model: func(c *Context, r *Report) {
			for _, ns := range sortedKeys(c.workloads) {
				ws := c.Workloads(ns)
				for _, a := range ws {
					sel := c.selectors[a]
					if sel == nil || sel.Empty() || a.Object.GVK.Kind == "Pod" {
						continue
					}
					for _, b := range ws {
						if a == b || b.Object.GVK.Kind == "Pod" || b.Selector == nil {
							continue
						}
						if sel.Matches(labels.Set(b.Template.Labels)) {
							r.Add(a.Object, "spec.selector", "selector also matches the pod template of "+describe(b.Object),
								related(b.Object, b.MetaPath()+".labels", "pod template labels of "+describe(b.Object)))
						}
					}
				}
			}
		},
	}
}
