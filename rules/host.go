package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// hostNamespaceRule reports pods that share one of the node's namespaces.
func hostNamespaceRule(id, field, what string, secSev string, on func(w *cluster.Workload) bool) Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               id,
			Title:            "Pod shares the host's " + what,
			Description:      "spec." + field + ": true puts the pod in the node's " + what + ", so its containers see and can interfere with the node's and every other pod's processes, traffic or shared memory.",
			Remediation:      "Remove spec." + field + " unless the workload is a node agent that needs it.",
			Severity:         finding.SeverityError,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: secSev,
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if on(w) {
				r.Addf(w.Object, w.SpecPath()+"."+field, "pod sets %s: true", field)
			}
		},
	}
}

func hostNamespaceRules() []Rule {
	return []Rule{
		hostNamespaceRule("host-network", "hostNetwork", "network namespace", "7.0", func(w *cluster.Workload) bool { return w.Template.Spec.HostNetwork }),
		hostNamespaceRule("host-pid", "hostPID", "process ID namespace", "7.0", func(w *cluster.Workload) bool { return w.Template.Spec.HostPID }),
		hostNamespaceRule("host-ipc", "hostIPC", "IPC namespace", "7.0", func(w *cluster.Workload) bool { return w.Template.Spec.HostIPC }),
	}
}

func hostPortRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "host-port",
			Title:            "Container binds a host port",
			Description:      "A hostPort binds the port on the node's address: it bypasses NetworkPolicies on many network plugins, and it limits the workload to one pod per node for that port.",
			Remediation:      "Remove hostPort and expose the container through a Service.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity, finding.CategoryReliability},
			SecuritySeverity: "4.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range w.Containers() {
				for i, p := range c.Container.Ports {
					if p.HostPort != 0 {
						r.Addf(w.Object, c.Path+".ports["+itoa(i)+"].hostPort", "container %q binds host port %d", c.Container.Name, p.HostPort)
					}
				}
			}
		},
	}
}
