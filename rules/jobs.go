package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	batchv1 "k8s.io/api/batch/v1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	corev1 "k8s.io/api/core/v1"
)

// cronSpec returns the fields of a CronJob (batch/v1 or v1beta1) the rules
// read.
func cronSpec(o *cluster.Object) (deadline *int64, concurrency string, ok bool) {
	switch t := o.Typed.(type) {
	case *batchv1.CronJob:
		return t.Spec.StartingDeadlineSeconds, string(t.Spec.ConcurrencyPolicy), true
	case *batchv1beta1.CronJob:
		return t.Spec.StartingDeadlineSeconds, string(t.Spec.ConcurrencyPolicy), true
	}
	return nil, "", false
}

func cronDeadlineRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "cronjob-missing-deadline",
			Title:       "CronJob without startingDeadlineSeconds",
			Description: "Without startingDeadlineSeconds a CronJob whose controller missed more than 100 schedules (after an outage) stops scheduling altogether (\"too many missed start times\"), and a late run may start long after it is useful.",
			Remediation: "Set spec.startingDeadlineSeconds to how late a run may still start.",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategoryReliability},
		},
		Object: func(_ *Context, r *Report, o *cluster.Object) {
			if d, _, ok := cronSpec(o); ok && d == nil {
				r.Add(o, "spec", "CronJob has no startingDeadlineSeconds")
			}
		},
	}
}

func cronConcurrencyRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "cronjob-concurrency-allow",
			Title:       "CronJob allows concurrent runs",
			Description: "concurrencyPolicy defaults to Allow: when a run takes longer than the schedule interval, runs pile up and compete for the same data and resources.",
			Remediation: "Set spec.concurrencyPolicy to Forbid (skip the new run) or Replace (stop the old one), or to Allow explicitly when overlapping runs are safe.",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategoryReliability},
		},
		Object: func(_ *Context, r *Report, o *cluster.Object) {
			if _, cp, ok := cronSpec(o); ok && cp == "" {
				r.Add(o, "spec", "CronJob does not set concurrencyPolicy, so runs may overlap (default Allow)")
			}
		},
	}
}

func jobRestartPolicyRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "job-restart-policy",
			Title:       "Job pod template restartPolicy is not OnFailure or Never",
			Description: "A Job's pods must use restartPolicy OnFailure or Never; the pod template default, Always, is rejected by the API server (spec.template.spec.restartPolicy: Required value).",
			Remediation: "Set restartPolicy: OnFailure or Never in the Job's pod template.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if !kindIn(w.Object, "Job", "CronJob") {
				return
			}
			switch p := w.Template.Spec.RestartPolicy; p {
			case corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
			case "":
				r.Add(w.Object, w.SpecPath(), "restartPolicy is not set; Jobs need OnFailure or Never")
			default:
				r.Addf(w.Object, w.SpecPath()+".restartPolicy", "restartPolicy %s is not allowed for Jobs", p)
			}
		},
	}
}

func jobTTLRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "job-ttl-seconds-after-finished",
			Title:       "Job is never cleaned up",
			Description: "A standalone Job without ttlSecondsAfterFinished keeps its finished pods and object forever; CronJobs clean up through their history limits instead.",
			Remediation: "Set spec.ttlSecondsAfterFinished on the Job.",
			Severity:    finding.SeverityNote,
			Categories:  []string{finding.CategoryEfficiency},
		},
		Object: func(_ *Context, r *Report, o *cluster.Object) {
			if j, ok := o.Typed.(*batchv1.Job); ok && j.Spec.TTLSecondsAfterFinished == nil {
				r.Add(o, "spec", "Job has no ttlSecondsAfterFinished")
			}
		},
	}
}
