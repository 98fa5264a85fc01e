package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	networkingv1 "k8s.io/api/networking/v1"
)

// netpols returns the unique NetworkPolicies of a namespace.
func netpols(c *Context, ns string) []*cluster.Object {
	var out []*cluster.Object
	for _, o := range c.Model.Kind("networking.k8s.io", "NetworkPolicy") {
		if o.Namespace == ns && isUnique(c.Model, o) {
			out = append(out, o)
		}
	}
	return out
}

func netpolSelectsNothingRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "network-policy-selects-nothing",
			Title:       "NetworkPolicy selects no pods",
			Description: "The policy's podSelector matches no pod template in its namespace, so it isolates nothing; usually a label typo that leaves the intended pods unprotected.",
			Remediation: "Fix spec.podSelector to match the labels of the pods to isolate.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategorySecurity, finding.CategoryCorrectness},
			// The policy fails open: the pods it meant to isolate are reachable.
			SecuritySeverity: "4.0",
		},
		Model: func(c *Context, r *Report) {
			for _, o := range c.Model.Unique() {
				np, ok := o.Typed.(*networkingv1.NetworkPolicy)
				if !ok {
					continue
				}
				found := false
				for _, w := range c.Workloads(o.Namespace) {
					found = found || labelSelectorMatches(&np.Spec.PodSelector, w.Template.Labels)
				}
				if !found {
					r.Addf(o, "spec.podSelector", "podSelector matches no pod template in namespace %q", o.Namespace)
				}
			}
		},
	}
}

func missingNetpolRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "missing-network-policy",
			Title:       "Pods not isolated by any NetworkPolicy",
			Description: "No NetworkPolicy of the namespace selects the workload's pods, so they accept traffic from every pod of the cluster and may connect anywhere.",
			Remediation: "Add a NetworkPolicy that selects the pods and allows only the traffic they need (a namespace default-deny policy plus specific allows).",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategorySecurity},
			// Lateral movement is easier, but nothing is exposed by itself.
			SecuritySeverity: "3.0",
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			if w.Template.Spec.HostNetwork {
				return // NetworkPolicies do not apply to host-network pods
			}
			for _, o := range netpols(c, w.Namespace()) {
				if np, ok := o.Typed.(*networkingv1.NetworkPolicy); ok && labelSelectorMatches(&np.Spec.PodSelector, w.Template.Labels) {
					return
				}
			}
			r.Addf(w.Object, w.MetaPath()+".labels", "no NetworkPolicy in namespace %q selects these pods", w.Namespace())
		},
	}
}
