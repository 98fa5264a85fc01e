package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

// resourceParams describes one member of the missing-requests/limits
// family.
type resourceParams struct {
	ID       string
	Resource corev1.ResourceName
	// Limit selects limits rather than requests.
	Limit    bool
	Severity finding.Severity
	Why      string
}

// hasResource reports whether the container ends up with the request or
// limit once the API server and the LimitRanger admission plugin have done
// their defaulting: a request defaults to the container's limit
// (pkg/apis/core/v1/defaults.go), then to the namespace LimitRange's
// defaultRequest/default/max (plugin/pkg/admission/limitranger); a
// pod-level spec.resources value covers every container.
func hasResource(c *Context, w *cluster.Workload, ct *corev1.Container, res corev1.ResourceName, limit bool) bool {
	if limit {
		if _, ok := ct.Resources.Limits[res]; ok {
			return true
		}
	} else if _, ok := ct.Resources.Requests[res]; ok {
		return true
	} else if _, ok := ct.Resources.Limits[res]; ok {
		return true
	}
	if pr := w.Template.Spec.Resources; pr != nil {
		if _, ok := pr.Limits[res]; ok {
			return true
		}
		if _, ok := pr.Requests[res]; ok && !limit {
			return true
		}
	}
	for _, lr := range c.limitRanges[w.Namespace()] {
		for _, item := range lr.Spec.Limits {
			if item.Type != corev1.LimitTypeContainer {
				continue
			}
			for _, l := range []corev1.ResourceList{item.Default, item.Max} {
				if _, ok := l[res]; ok {
					return true
				}
			}
			if _, ok := item.DefaultRequest[res]; ok && !limit {
				return true
			}
		}
	}
	return false
}

func resourceRule(p resourceParams) Rule {
	kind, field := "request", "requests"
	if p.Limit {
		kind, field = "limit", "limits"
	}
	return Rule{
		Meta: finding.Rule{
			ID:          p.ID,
			Title:       "Container without a " + string(p.Resource) + " " + kind,
			Description: p.Why,
			Remediation: "Set resources." + field + "." + string(p.Resource) + " on the container, or a default in the namespace's LimitRange.",
			Severity:    p.Severity,
			Categories:  []string{finding.CategoryEfficiency, finding.CategoryReliability},
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			for _, ct := range w.Containers() {
				if hasResource(c, w, ct.Container, p.Resource, p.Limit) {
					continue
				}
				path := ct.Path + ".resources." + field
				if !w.Object.Has(path) {
					path = ct.Path + ".resources"
				}
				r.Addf(w.Object, path, "container %q has no %s %s", ct.Container.Name, string(p.Resource), kind)
			}
		},
	}
}

func resourceRules() []Rule {
	return []Rule{
		resourceRule(resourceParams{ID: "missing-cpu-request", Resource: corev1.ResourceCPU, Severity: finding.SeverityWarning,
			Why: "Without a CPU request the scheduler places the pod as if it needed no CPU, and under contention the container gets the smallest CPU share."}),
		resourceRule(resourceParams{ID: "missing-memory-request", Resource: corev1.ResourceMemory, Severity: finding.SeverityWarning,
			Why: "Without a memory request the scheduler places the pod as if it needed no memory, so nodes get overcommitted and the pod is among the first evicted under memory pressure."}),
		resourceRule(resourceParams{ID: "missing-cpu-limit", Resource: corev1.ResourceCPU, Limit: true, Severity: finding.SeverityNote,
			Why: "Without a CPU limit a container can use every idle CPU of its node; kube-linter, kube-score and Polaris report it by default, although many teams deliberately run without CPU limits."}),
		resourceRule(resourceParams{ID: "missing-memory-limit", Resource: corev1.ResourceMemory, Limit: true, Severity: finding.SeverityWarning,
			Why: "Without a memory limit a leaking container can consume its node's memory until the kernel OOM-kills other pods."}),
		resourceRule(resourceParams{ID: "missing-ephemeral-storage-limit", Resource: corev1.ResourceEphemeralStorage, Limit: true, Severity: finding.SeverityNote,
			Why: "Without an ephemeral-storage limit a container writing logs or scratch files can fill the node's disk, and the kubelet then evicts pods at random under disk pressure."}),
	}
}
