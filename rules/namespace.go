package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

func defaultNamespaceRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "default-namespace",
			Title:       "Workload runs in the default namespace",
			Description: "The default namespace is shared by everything that does not choose a namespace, so its RBAC, quotas, NetworkPolicies and Pod Security labels end up serving no one in particular.",
			Remediation: "Set metadata.namespace to a namespace dedicated to the application.",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategorySecurity, finding.CategoryReliability},
			// A hygiene hint rather than a vulnerability.
			SecuritySeverity: "1.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if w.Namespace() != "default" {
				return
			}
			if w.Object.Source.Namespace == "" {
				r.Add(w.Object, "metadata", "no namespace is set, so the workload lands in the default namespace")
				return
			}
			r.Add(w.Object, "metadata.namespace", "workload is in the default namespace")
		},
	}
}

// builtinNamespaces exist in every cluster.
func builtinNamespaces() map[string]bool {
	return map[string]bool{"default": true, "kube-system": true, "kube-public": true, "kube-node-lease": true}
}

func namespaceNotDefinedRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "namespace-not-defined",
			Title:       "Object uses a namespace the input does not create",
			Description: "The input defines Namespaces, but not this one: applying the manifests fails with \"namespaces not found\" unless the namespace already exists.",
			Remediation: "Add the Namespace to the manifests, or correct metadata.namespace.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Model: func(c *Context, r *Report) {
			if !c.Model.Has("", "Namespace") {
				return
			}
			builtin := builtinNamespaces()
			for _, o := range c.Model.Objects() {
				if o.Namespace == "" || builtin[o.Namespace] || c.Model.Get("", "Namespace", "", o.Namespace) != nil {
					continue
				}
				path := "metadata.namespace"
				if o.Source.Namespace == "" {
					path = "metadata"
				}
				r.Addf(o, path, "namespace %q is not defined in the input", o.Namespace)
			}
		},
	}
}
