package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

func automountTokenRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "automount-service-account-token",
			Title:            "Service account token mounted automatically",
			Description:      "Unless the pod or its ServiceAccount sets automountServiceAccountToken: false, every container gets an API token; most applications never call the API, and a stolen token acts with the account's RBAC permissions. The pod's field overrides the ServiceAccount's, as the ServiceAccount admission plugin decides.",
			Remediation:      "Set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless it calls the Kubernetes API.",
			Severity:         finding.SeverityNote,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "3.0",
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			if a := w.Template.Spec.AutomountServiceAccountToken; a != nil {
				if *a {
					r.Add(w.Object, w.SpecPath()+".automountServiceAccountToken", "pod sets automountServiceAccountToken: true")
				}
				return
			}
			if sa := c.Model.Get("", "ServiceAccount", w.Namespace(), w.ServiceAccountName()); sa != nil {
				if t, ok := sa.Typed.(*corev1.ServiceAccount); ok && t.AutomountServiceAccountToken != nil && !*t.AutomountServiceAccountToken {
					return
				}
			}
			r.Addf(w.Object, w.SpecPath(), "pod mounts the token of service account %q automatically", w.ServiceAccountName())
		},
	}
}

func deprecatedServiceAccountFieldRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "deprecated-service-account-field",
			Title:       "Pod uses the deprecated serviceAccount field",
			Description: "spec.serviceAccount is a deprecated alias of spec.serviceAccountName; tools that read only serviceAccountName miss it.",
			Remediation: "Rename spec.serviceAccount to spec.serviceAccountName.",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if w.Template.Spec.DeprecatedServiceAccount != "" && w.Template.Spec.ServiceAccountName == "" {
				r.Add(w.Object, w.SpecPath()+".serviceAccount", "pod uses spec.serviceAccount instead of spec.serviceAccountName")
			}
		},
	}
}
