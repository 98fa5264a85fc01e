package rules

import (
	"sort"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func duplicateContainerRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "duplicate-container-name",
			Title:       "Two containers share a name",
			Description: "Container names must be unique across containers, init containers and ephemeral containers of a pod; the API server rejects the pod (spec.containers[1].name: Duplicate value).",
			Remediation: "Give every container of the pod a distinct name.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			first := map[string]string{}
			for _, c := range w.Containers() {
				if c.Container.Name == "" {
					continue // a missing name is its own validation error
				}
				if p, ok := first[c.Container.Name]; ok {
					r.Add(w.Object, c.Path+".name", "container name "+quote(c.Container.Name)+" is used twice", related(w.Object, p+".name", "first container named "+quote(c.Container.Name)))
					continue
				}
				first[c.Container.Name] = c.Path
			}
		},
	}
}

// portRule reports container ports for which bad(port) returns a reason.
func portRule(meta finding.Rule, bad func(port int32) bool, msg string) Rule {
	return Rule{
		Meta: meta,
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range w.Containers() {
				for i, p := range c.Container.Ports {
					if bad(p.ContainerPort) {
						r.Addf(w.Object, c.Path+".ports["+itoa(i)+"].containerPort", msg, c.Container.Name, p.ContainerPort)
					}
				}
			}
		},
	}
}

func privilegedPortRule() Rule {
	return portRule(finding.Rule{
		ID:          "privileged-port",
		Title:       "Container listens on a privileged port",
		Description: "Ports below 1024 need NET_BIND_SERVICE or root inside the container, which pushes images towards running as root.",
		Remediation: "Listen on a port of 1024 or more and map the well-known port in the Service.",
		Severity:    finding.SeverityNote,
		Categories:  []string{finding.CategorySecurity},
		// A note-level hint: binding low ports is not itself a compromise.
		SecuritySeverity: "2.0",
	}, func(p int32) bool { return p > 0 && p < 1024 }, "container %q declares privileged port %d")
}

func sshPortRule() Rule {
	return portRule(finding.Rule{
		ID:               "ssh-port",
		Title:            "Container exposes SSH",
		Description:      "Port 22 suggests an SSH server in the container: a second way in that bypasses the API server's authentication and audit.",
		Remediation:      "Remove the SSH server and use kubectl exec or debug containers.",
		Severity:         finding.SeverityWarning,
		Categories:       []string{finding.CategorySecurity},
		SecuritySeverity: "5.0",
	}, func(p int32) bool { return p == 22 }, "container %q exposes port %d (SSH)")
}

func invalidPortNameRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "invalid-port-name",
			Title:       "Port name is not a valid IANA service name",
			Description: "Container port names and Service targetPort names must be IANA service names (at most 15 lower-case letters, digits and '-', with a letter); the API server rejects the object otherwise.",
			Remediation: "Rename the port, for example http-metrics instead of http_metrics.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Model: func(c *Context, r *Report) {
			for _, w := range c.Model.Workloads() {
				for _, ct := range w.Containers() {
					for i, p := range ct.Container.Ports {
						if p.Name == "" {
							continue
						}
						if errs := validation.IsValidPortName(p.Name); len(errs) > 0 {
							r.Addf(w.Object, ct.Path+".ports["+itoa(i)+"].name", "port name %q of container %q is invalid: %s", p.Name, ct.Container.Name, errs[0])
						}
					}
				}
			}
			for _, o := range c.Model.Kind("", "Service") {
				svc, ok := o.Typed.(*corev1.Service)
				if !ok {
					continue
				}
				for i, p := range svc.Spec.Ports {
					if p.TargetPort.Type != intstr.String {
						continue
					}
					if errs := validation.IsValidPortName(p.TargetPort.StrVal); len(errs) > 0 {
						r.Addf(o, "spec.ports["+itoa(i)+"].targetPort", "targetPort name %q is invalid: %s", p.TargetPort.StrVal, errs[0])
					}
				}
			}
		},
	}
}
