package rules

import (
	"sort"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// allHPAs returns every HPA of the context in load order.
func allHPAs(c *Context) []*hpaView {
	var out []*hpaView
	for _, hs := range c.hpas {
		out = append(out, hs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Object.Index < out[j].Object.Index })
	return out
}

// hpaRule reports HPAs for which check returns a message.
func hpaRule(meta finding.Rule, check func(c *Context, r *Report, h *hpaView)) Rule {
	return Rule{Meta: meta, Model: func(c *Context, r *Report) {
		for _, h := range allHPAs(c) {
			check(c, r, h)
		}
	}}
}

func hpaTargetRule() Rule {
	return hpaRule(finding.Rule{
		ID:          "hpa-target-missing",
		Title:       "HorizontalPodAutoscaler targets a workload the input does not define",
		Description: "The HPA's scaleTargetRef names no object in its namespace, so the autoscaler reports FailedGetScale and scales nothing. Reported when the input defines objects of the target's kind (or with --strict-refs).",
		Remediation: "Fix spec.scaleTargetRef (apiVersion, kind and name) to name the workload to scale.",
		Severity:    finding.SeverityError,
		Categories:  []string{finding.CategoryCorrectness},
	}, func(c *Context, r *Report, h *hpaView) {
		if c.Model.Get(h.TargetGroup, h.TargetKind, h.Object.Namespace, h.TargetName) != nil {
			return
		}
		if c.Opts.StrictRefs || c.Model.Has(h.TargetGroup, h.TargetKind) {
			r.Addf(h.Object, "spec.scaleTargetRef.name", "scale target %s %q does not exist in namespace %q", h.TargetKind, h.TargetName, h.Object.Namespace)
		}
	})
}

func hpaMinMaxRule() Rule {
	return hpaRule(finding.Rule{
		ID:          "hpa-min-greater-than-max",
		Title:       "HorizontalPodAutoscaler minReplicas exceeds maxReplicas",
		Description: "maxReplicas must be at least minReplicas (which defaults to 1); the API server rejects the HPA otherwise.",
		Remediation: "Make spec.maxReplicas greater than or equal to spec.minReplicas.",
		Severity:    finding.SeverityError,
		Categories:  []string{finding.CategoryCorrectness},
	}, func(_ *Context, r *Report, h *hpaView) {
		if h.MaxReplicas < h.MinReplicas {
			r.Addf(h.Object, "spec.maxReplicas", "maxReplicas %d is less than minReplicas %d", h.MaxReplicas, h.MinReplicas)
		}
	})
}

func hpaFixedRule() Rule {
	return hpaRule(finding.Rule{
		ID:          "hpa-cannot-scale",
		Title:       "HorizontalPodAutoscaler minReplicas equals maxReplicas",
		Description: "With minReplicas equal to maxReplicas the autoscaler can never change the replica count (Polaris' hpaMaxAvailability).",
		Remediation: "Raise spec.maxReplicas above spec.minReplicas, or drop the HPA and set the Deployment's replicas.",
		Severity:    finding.SeverityWarning,
		Categories:  []string{finding.CategoryReliability},
	}, func(_ *Context, r *Report, h *hpaView) {
		if h.MaxReplicas == h.MinReplicas {
			r.Addf(h.Object, "spec.maxReplicas", "maxReplicas equals minReplicas (%d)", h.MinReplicas)
		}
	})
}

func hpaMinOneRule() Rule {
	return hpaRule(finding.Rule{
		ID:          "hpa-min-replicas-one",
		Title:       "HorizontalPodAutoscaler may scale down to one replica",
		Description: "With minReplicas 1 (the default) the autoscaler shrinks the workload to a single pod at quiet times, and every disruption is then an outage.",
		Remediation: "Set spec.minReplicas to 2 or more.",
		Severity:    finding.SeverityNote,
		Categories:  []string{finding.CategoryReliability},
	}, func(_ *Context, r *Report, h *hpaView) {
		if h.MinReplicas == 1 && h.MaxReplicas > 1 {
			path := "spec.minReplicas"
			if !h.MinSet {
				path = "spec"
			}
			r.Add(h.Object, path, "minReplicas is 1")
		}
	})
}

func hpaReplicasConflictRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "hpa-conflicts-with-replicas",
			Title:       "Workload scaled by an HPA also sets replicas",
			Description: "When a workload managed by a HorizontalPodAutoscaler writes spec.replicas, every kubectl apply resets the replica count to the manifest's value and the autoscaler scales it back: the two fight on every deploy.",
			Remediation: "Remove spec.replicas from the workload's manifest and let the HPA own it.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryReliability},
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			if !w.ReplicasSet || !isUnique(c.Model, w.Object) {
				return
			}
			for _, h := range c.HPAs(w) {
				r.Add(w.Object, "spec.replicas", "spec.replicas is set but "+describe(h.Object)+" scales this workload",
					related(h.Object, "spec.scaleTargetRef", describe(h.Object)+" targets this workload"))
			}
		},
	}
}
