package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

// selectedWorkloads returns the unique workloads of the Service's namespace
// whose pod template its selector matches, or nil, false for a Service that
// does not select pods (no selector, ExternalName).
func selectedWorkloads(c *Context, o *cluster.Object) (*corev1.Service, []*cluster.Workload, bool) {
	s, ok := o.Typed.(*corev1.Service)
	if !ok || len(s.Spec.Selector) == 0 || s.Spec.Type == corev1.ServiceTypeExternalName {
		return nil, nil, false
	}
	var out []*cluster.Workload
	for _, w := range c.Workloads(o.Namespace) {
		if mapSelectorMatches(s.Spec.Selector, w.Template.Labels) {
			out = append(out, w)
		}
	}
	return s, out, true
}

func serviceNoPodsRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "service-no-matching-pods",
			Title:       "Service selects no pods",
			Description: "No pod template in the Service's namespace carries all the labels of its selector, so the Service has no endpoints and every connection to it fails.",
			Remediation: "Fix spec.selector to match the labels of the workload's pod template (spec.template.metadata.labels).",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Model: func(c *Context, r *Report) {
			for _, ns := range sortedKeys(c.services) {
				for _, o := range c.Services(ns) {
					if _, ws, ok := selectedWorkloads(c, o); ok && len(ws) == 0 {
						r.Addf(o, "spec.selector", "selector matches no pod template in namespace %q", o.Namespace)
					}
				}
			}
		},
	}
}

// containerPortMatch reports whether a pod template defines the target port:
// a named port must be the name of some container port; a number must be
// declared when the template declares any port at all.
func containerPortMatch(spec *corev1.PodSpec, tp corev1.ServicePort) bool {
	declared := false
	for _, cs := range [][]corev1.Container{spec.Containers, spec.InitContainers} {
		for _, ct := range cs {
			for _, p := range ct.Ports {
				declared = true
				proto := p.Protocol
				if proto == "" {
					proto = corev1.ProtocolTCP
				}
				want := tp.Protocol
				if want == "" {
					want = corev1.ProtocolTCP
				}
				if tp.TargetPort.StrVal != "" && p.Name == tp.TargetPort.StrVal && proto == want {
					return true
				}
				if tp.TargetPort.StrVal == "" && p.ContainerPort == targetNumber(tp) && proto == want {
					return true
				}
			}
		}
	}
	return tp.TargetPort.StrVal == "" && !declared
}

// targetNumber is the numeric target port; it defaults to the port.
func targetNumber(p corev1.ServicePort) int32 {
	if p.TargetPort.IntVal != 0 {
		return p.TargetPort.IntVal
	}
	return p.Port
}

func serviceTargetPortRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "service-target-port-mismatch",
			Title:       "Service targetPort matches no container port",
			Description: "The endpoints controller resolves a named targetPort against each selected pod's container ports, so a name no container defines leaves the port without endpoints; a number the pods do not declare (when they declare ports) usually means traffic goes to a port nothing listens on.",
			Remediation: "Set targetPort to the name or number of a port the selected containers declare.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Model: func(c *Context, r *Report) {
			for _, ns := range sortedKeys(c.services) {
				for _, o := range c.Services(ns) {
					s, ws, ok := selectedWorkloads(c, o)
					if !ok {
						continue
					}
					for i, p := range s.Spec.Ports {
						for _, w := range ws {
							if containerPortMatch(&w.Template.Spec, p) {
								continue
							}
							target := p.TargetPort.String()
							if p.TargetPort.StrVal == "" {
								target = itoa(int(targetNumber(p)))
							}
							path := "spec.ports[" + itoa(i) + "].targetPort"
							if !o.Has(path) {
								path = "spec.ports[" + itoa(i) + "]"
							}
							r.Add(o, path, "targetPort "+target+" matches no container port of "+describe(w.Object),
								related(w.Object, w.SpecPath()+".containers", "containers of "+describe(w.Object)))
						}
					}
				}
			}
		},
	}
}

func serviceReadinessRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "service-backend-no-readiness-probe",
			Title:       "Pods behind a Service have no readiness probe",
			Description: "A Service sends traffic to a pod as soon as its containers start when they have no readiness probe; during every rolling update, new pods receive requests before they can answer.",
			Remediation: "Add a readinessProbe to the containers of the workload the Service selects.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryReliability},
		},
		Model: func(c *Context, r *Report) {
			for _, ns := range sortedKeys(c.services) {
				for _, o := range c.Services(ns) {
					_, ws, _ := selectedWorkloads(c, o)
					for _, w := range ws {
						if runsToCompletion(w) {
							continue
						}
						for _, ct := range longRunning(w) {
							if ct.Container.ReadinessProbe == nil {
								r.Add(w.Object, ct.Path, "container "+quote(ct.Container.Name)+" has no readinessProbe but receives traffic from "+describe(o),
									related(o, "spec.selector", describe(o)+" selects these pods"))
							}
						}
					}
				}
			}
		},
	}
}
