package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	networkingv1 "k8s.io/api/networking/v1"
	networkingv1beta1 "k8s.io/api/networking/v1beta1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// backendRef is one Service backend of an Ingress with its field path.
type backendRef struct {
	// NamePath and PortPath locate the Service name and port fields.
	NamePath, PortPath string
	Service            string
	Port               intstr.IntOrString
}

// ingressBackends lists the Service backends of an Ingress in any of its
// API versions, and whether it has TLS.
func ingressBackends(o *cluster.Object) (refs []backendRef, tls, ok bool) {
	switch t := o.Typed.(type) {
	case *networkingv1.Ingress:
		add := func(path string, b *networkingv1.IngressBackend) {
			if b == nil || b.Service == nil {
				return
			}
			p := intstr.FromInt32(b.Service.Port.Number)
			if b.Service.Port.Name != "" {
				p = intstr.FromString(b.Service.Port.Name)
			}
			refs = append(refs, backendRef{NamePath: path + ".service.name", PortPath: path + ".service.port", Service: b.Service.Name, Port: p})
		}
		add("spec.defaultBackend", t.Spec.DefaultBackend)
		for i, rule := range t.Spec.Rules {
			if rule.HTTP != nil {
				for j := range rule.HTTP.Paths {
					add("spec.rules["+itoa(i)+"].http.paths["+itoa(j)+"].backend", &rule.HTTP.Paths[j].Backend)
				}
			}
		}
		return refs, len(t.Spec.TLS) > 0, true
	case *networkingv1beta1.Ingress:
		add := func(path string, b *networkingv1beta1.IngressBackend) {
			if b != nil && b.ServiceName != "" {
				refs = append(refs, backendRef{NamePath: path + ".serviceName", PortPath: path + ".servicePort", Service: b.ServiceName, Port: b.ServicePort})
			}
		}
		add("spec.backend", t.Spec.Backend)
		for i, rule := range t.Spec.Rules {
			if rule.HTTP != nil {
				for j := range rule.HTTP.Paths {
					add("spec.rules["+itoa(i)+"].http.paths["+itoa(j)+"].backend", &rule.HTTP.Paths[j].Backend)
				}
			}
		}
		return refs, len(t.Spec.TLS) > 0, true
	case *extensionsv1beta1.Ingress:
		add := func(path string, b *extensionsv1beta1.IngressBackend) {
			if b != nil && b.ServiceName != "" {
				refs = append(refs, backendRef{NamePath: path + ".serviceName", PortPath: path + ".servicePort", Service: b.ServiceName, Port: b.ServicePort})
			}
		}
		add("spec.backend", t.Spec.Backend)
		for i, rule := range t.Spec.Rules {
			if rule.HTTP != nil {
				for j := range rule.HTTP.Paths {
					add("spec.rules["+itoa(i)+"].http.paths["+itoa(j)+"].backend", &rule.HTTP.Paths[j].Backend)
				}
			}
		}
		return refs, len(t.Spec.TLS) > 0, true
	}
	return nil, false, false
}

func ingressTLSRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "ingress-missing-tls",
			Title:            "Ingress without TLS",
			Description:      "An Ingress without spec.tls serves its hosts over plain HTTP (unless the controller terminates TLS by other means).",
			Remediation:      "Add spec.tls with the hosts and a Secret holding their certificate (for example from cert-manager).",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "4.0",
		},
		Object: func(_ *Context, r *Report, o *cluster.Object) {
			if _, tls, ok := ingressBackends(o); ok && !tls {
				r.Add(o, "spec", "Ingress has no tls section")
			}
		},
	}
}

// servicePortIndex returns the index of the Service port the reference
// names (by number or by name), or -1.
func servicePortIndex(s *corev1.Service, p intstr.IntOrString) int {
	for i, sp := range s.Spec.Ports {
		if (p.Type == intstr.String && sp.Name == p.StrVal) || (p.Type == intstr.Int && sp.Port == p.IntVal) {
			return i
		}
	}
	return -1
}

func ingressBackendRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "ingress-backend-missing",
			Title:       "Ingress backend Service or port does not exist",
			Description: "An Ingress path routes to a Service the input does not define, or to a port that Service does not have, so the controller answers 503 for it. Missing Services are reported when the input defines Services (or with --strict-refs).",
			Remediation: "Point the backend at an existing Service and one of its ports (by number or name).",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Model: func(c *Context, r *Report) {
			checkMissing := c.Opts.StrictRefs || c.Model.Has("", "Service")
			for _, o := range c.Model.Unique() {
				refs, _, ok := ingressBackends(o)
				if !ok {
					continue
				}
				for _, b := range refs {
					svcObj := c.Model.Get("", "Service", o.Namespace, b.Service)
					if svcObj == nil {
						if checkMissing {
							r.Addf(o, b.NamePath, "backend Service %q does not exist in namespace %q", b.Service, o.Namespace)
						}
						continue
					}
					svc, ok := svcObj.Typed.(*corev1.Service)
					if !ok || servicePortIndex(svc, b.Port) >= 0 || (b.Port.Type == intstr.Int && b.Port.IntVal == 0) {
						continue
					}
					r.Add(o, b.PortPath, "Service "+quote(b.Service)+" has no port "+b.Port.String(), related(svcObj, "spec.ports", "ports of "+describe(svcObj)))
				}
			}
		},
	}
}
