package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

// serviceTypeRule reports Services of one type.
func serviceTypeRule(id string, typ corev1.ServiceType, sev finding.Severity, secSev, why string) Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               id,
			Title:            "Service of type " + string(typ),
			Description:      why,
			Remediation:      "Use a ClusterIP Service behind an Ingress or Gateway, or restrict access with loadBalancerSourceRanges and NetworkPolicies.",
			Severity:         sev,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: secSev,
		},
		Object: func(_ *Context, r *Report, o *cluster.Object) {
			if s, ok := o.Typed.(*corev1.Service); ok && s.Spec.Type == typ {
				r.Addf(o, "spec.type", "Service is of type %s", typ)
			}
		},
	}
}

func serviceTypeRules() []Rule {
	return []Rule{
		serviceTypeRule("nodeport-service", corev1.ServiceTypeNodePort, finding.SeverityWarning, "4.0",
			"A NodePort Service opens the port on every node of the cluster, outside any load balancer or Ingress policy."),
		serviceTypeRule("loadbalancer-service", corev1.ServiceTypeLoadBalancer, finding.SeverityNote, "3.0",
			"A LoadBalancer Service usually gets a public address from the cloud provider; make sure exposure to the internet is intended."),
	}
}
