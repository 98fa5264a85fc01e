package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

// scalable reports whether the workload is a replicated controller whose
// replica count matters for availability.
func scalable(w *cluster.Workload) bool {
	return kindIn(w.Object, "Deployment", "StatefulSet")
}

func singleReplicaRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "single-replica",
			Title:       "Workload runs a single replica",
			Description: "With one replica every rollout, node drain or crash is an outage. Workloads scaled by a HorizontalPodAutoscaler are judged by the HPA's minReplicas instead.",
			Remediation: "Set spec.replicas to 2 or more (or the HPA's minReplicas), unless the workload cannot run more than one copy.",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategoryReliability},
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			if !scalable(w) || w.Replicas != 1 || len(c.HPAs(w)) > 0 {
				return
			}
			if !w.ReplicasSet {
				r.Addf(w.Object, "spec", "%s runs 1 replica (spec.replicas defaults to 1)", w.Object.GVK.Kind)
				return
			}
			r.Addf(w.Object, "spec.replicas", "%s runs 1 replica", w.Object.GVK.Kind)
		},
	}
}

// spreadsAcrossNodes reports whether the pod template asks the scheduler
// to keep its replicas apart: a pod anti-affinity term or a topology spread
// constraint.
func spreadsAcrossNodes(spec *corev1.PodSpec) bool {
	if len(spec.TopologySpreadConstraints) > 0 {
		return true
	}
	a := spec.Affinity
	return a != nil && a.PodAntiAffinity != nil &&
		(len(a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution) > 0 || len(a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution) > 0)
}

func noAntiAffinityRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "no-anti-affinity",
			Title:       "Replicas may all land on one node",
			Description: "A multi-replica workload without pod anti-affinity or topology spread constraints can have all its replicas scheduled onto one node, so one node failure takes the whole workload down.",
			Remediation: "Add a preferred podAntiAffinity on kubernetes.io/hostname, or topologySpreadConstraints, selecting the workload's own pods.",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategoryReliability},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if !scalable(w) || w.Replicas < 2 || spreadsAcrossNodes(&w.Template.Spec) {
				return
			}
			r.Addf(w.Object, w.SpecPath(), "%d replicas without pod anti-affinity or topology spread constraints", w.Replicas)
		},
	}
}

func priorityClassNotSetRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "priority-class-not-set",
			Title:       "Pod has no priority class",
			Description: "Without priorityClassName a pod gets the cluster's default priority (usually 0), so under resource pressure the scheduler may preempt it for less important pods. Polaris reports this by default.",
			Remediation: "Set spec.priorityClassName to a PriorityClass that reflects the workload's importance.",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategoryReliability},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if w.Template.Spec.PriorityClassName == "" && !runsToCompletion(w) {
				r.Add(w.Object, w.SpecPath(), "pod has no priorityClassName")
			}
		},
	}
}
