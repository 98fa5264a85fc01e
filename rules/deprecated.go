package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/rules/deprecation"
)

// apiLifecycle returns the object's API lifecycle and whether the target
// version still serves it.
func apiLifecycle(c *Context, o *cluster.Object) (deprecation.Lifecycle, bool, bool) {
	l, ok := c.env.apis.Lookup(o.GVK, o.Typed)
	if !ok {
		return l, false, false
	}
	removed := !l.Removed.IsZero() && c.env.kube.AtLeast(l.Removed)
	return l, removed, true
}

func removedAPIRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "removed-api",
			Title:       "apiVersion is no longer served by the target Kubernetes version",
			Description: "The object's apiVersion was removed in or before --kube-version (default: the latest stable release), so applying it fails with \"no matches for kind\". Follows the upstream Deprecated API Migration Guide and k8s.io/api's lifecycle data; objects inside kind: List are checked too.",
			Remediation: "Migrate the object to the replacement apiVersion named in the message (kubectl convert can help), checking the guide's notable changes.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Object: func(c *Context, r *Report, o *cluster.Object) {
			if l, removed, ok := apiLifecycle(c, o); ok && removed {
				r.Add(o, "apiVersion", l.Message(c.env.kube))
			}
		},
	}
}

func deprecatedAPIRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "deprecated-api",
			Title:       "apiVersion is deprecated in the target Kubernetes version",
			Description: "The object's apiVersion is deprecated at --kube-version (default: the latest stable release): the API server answers with a deprecation warning and a later release stops serving it.",
			Remediation: "Migrate the object to the replacement apiVersion named in the message before the removal release.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryCorrectness, finding.CategoryReliability},
		},
		Object: func(c *Context, r *Report, o *cluster.Object) {
			l, removed, ok := apiLifecycle(c, o)
			if ok && !removed && !l.Deprecated.IsZero() && c.env.kube.AtLeast(l.Deprecated) {
				r.Add(o, "apiVersion", l.Message(c.env.kube))
			}
		},
	}
}
