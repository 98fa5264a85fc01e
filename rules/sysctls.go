package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

func unsafeSysctlsRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "unsafe-sysctls",
			Title:            "Pod sets an unsafe sysctl",
			Description:      "The kubelet only accepts sysctls in its safe set (namespaced and isolated per pod) unless the node allows more with --allowed-unsafe-sysctls; otherwise the pod is rejected with SysctlForbidden. Unsafe sysctls also affect every pod of the node. The safe set is the one of the target --kube-version.",
			Remediation:      "Remove the sysctl, or run the pod only on nodes that allow it and in a namespace whose Pod Security level is privileged.",
			Severity:         finding.SeverityError,
			Categories:       []string{finding.CategorySecurity, finding.CategoryCorrectness},
			SecuritySeverity: "6.0",
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			sc := w.Template.Spec.SecurityContext
			if sc == nil {
				return
			}
			for i, s := range sc.Sysctls {
				if !c.env.pss.SysctlAllowed(s.Name, c.env.kube.Minor) {
					r.Addf(w.Object, w.SpecPath()+".securityContext.sysctls["+itoa(i)+"].name", "sysctl %q is not in the kubelet's safe set for %s", s.Name, c.env.kube)
				}
			}
		},
	}
}
