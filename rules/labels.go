package rules

import (
	"strings"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

func invalidLabelRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "invalid-label",
			Title:       "Label key or value is not valid",
			Description: "Label keys must be qualified names and values at most 63 characters of letters, digits, '-', '_' and '.', starting and ending alphanumeric; the API server rejects the object otherwise.",
			Remediation: "Fix the label; values that do not fit belong in an annotation.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Object: func(c *Context, r *Report, o *cluster.Object) {
			check := func(base string, labels map[string]string) {
				for _, k := range sortedKeys(labels) {
					path := base + `["` + k + `"]`
					if errs := validation.IsQualifiedName(k); len(errs) > 0 {
						r.Addf(o, path, "label key %q is invalid: %s", k, strings.Join(errs, "; "))
					}
					if errs := validation.IsValidLabelValue(labels[k]); len(errs) > 0 {
						r.Addf(o, path, "value %q of label %q is invalid: %s", labels[k], k, strings.Join(errs, "; "))
					}
				}
			}
			check("metadata.labels", o.Labels)
			if w := c.WorkloadOf(o); w != nil && w.TemplatePath != "" {
				check(w.MetaPath()+".labels", w.Template.Labels)
			}
		},
	}
}

func mismatchingSelectorRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "mismatching-selector",
			Title:       "Selector does not match the pod template's labels",
			Description: "A controller's selector must select its own pod template; the API server rejects the object (\"selector does not match template labels\").",
			Remediation: "Make spec.selector a subset of spec.template.metadata.labels.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if w.Selector == nil || w.Object.GVK.Kind == "Pod" {
				return
			}
			if len(w.Selector.MatchLabels) == 0 && len(w.Selector.MatchExpressions) == 0 {
				// ReplicationControllers and pre-apps/v1 controllers default
				// an empty selector to the template's labels.
				if w.Object.GVK.Kind == "ReplicationController" || w.Object.GVK.Version != "v1" {
					return
				}
				r.Add(w.Object, "spec.selector", "selector is empty; the API server requires a non-empty selector")
				return
			}
			if _, err := metav1.LabelSelectorAsSelector(w.Selector); err != nil {
				r.Addf(w.Object, "spec.selector", "selector is invalid: %v", err)
				return
			}
			if !labelSelectorMatches(w.Selector, w.Template.Labels) {
				r.Add(w.Object, "spec.selector", "selector does not match the pod template's labels", related(w.Object, w.MetaPath()+".labels", "pod template labels"))
			}
		},
	}
}
