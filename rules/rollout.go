package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// rollingParams returns the rolling update parameters of a Deployment or
// DaemonSet (apps/v1) with the path of the rollingUpdate block.
func rollingParams(w *cluster.Workload) (maxUnavailable, maxSurge *intstr.IntOrString, path string, ok bool) {
	switch t := w.Object.Typed.(type) {
	case *appsv1.Deployment:
		if t.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType || t.Spec.Strategy.RollingUpdate == nil {
			return nil, nil, "", false
		}
		return t.Spec.Strategy.RollingUpdate.MaxUnavailable, t.Spec.Strategy.RollingUpdate.MaxSurge, "spec.strategy.rollingUpdate", true
	case *appsv1.DaemonSet:
		if t.Spec.UpdateStrategy.Type == appsv1.OnDeleteDaemonSetStrategyType || t.Spec.UpdateStrategy.RollingUpdate == nil {
			return nil, nil, "", false
		}
		return t.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable, t.Spec.UpdateStrategy.RollingUpdate.MaxSurge, "spec.updateStrategy.rollingUpdate", true
	}
	return nil, nil, "", false
}

// isZero reports whether an explicit value is 0 or "0%" (apps validation's
// getIntOrPercentValue == 0).
func isZero(v *intstr.IntOrString) bool {
	if v == nil {
		return false
	}
	if v.Type == intstr.Int {
		return v.IntVal == 0
	}
	return v.StrVal == "0%"
}

func rollingNoProgressRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "rolling-update-no-progress",
			Title:       "Rolling update with maxUnavailable 0 and maxSurge 0",
			Description: "With both maxUnavailable and maxSurge at 0 a rolling update could neither remove an old pod nor add a new one; the API server rejects the object (\"may not be 0 when maxSurge is 0\").",
			Remediation: "Allow maxSurge: 1 (extra capacity during the rollout) or maxUnavailable: 1.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			mu, ms, path, ok := rollingParams(w)
			if !ok {
				return
			}
			// maxSurge defaults to 25% for Deployments and 0 for DaemonSets.
			surgeZero := isZero(ms) || (ms == nil && w.Object.GVK.Kind == "DaemonSet")
			if isZero(mu) && surgeZero {
				r.Add(w.Object, path+".maxUnavailable", "maxUnavailable and maxSurge are both 0; no rolling update can make progress")
			}
		},
	}
}

func rollingAllUnavailableRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "rolling-update-all-unavailable",
			Title:       "Rolling update may take every replica down at once",
			Description: "maxUnavailable resolves (percentages round down, as in the deployment controller) to at least the replica count, so a rollout may stop every old pod before a new one is ready: an outage on each deploy.",
			Remediation: "Lower maxUnavailable below spec.replicas (for example 25% or 1), or use the Recreate strategy if downtime is intended.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryReliability},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			mu, _, path, ok := rollingParams(w)
			if !ok || mu == nil || w.PerNode || w.Replicas < 1 {
				return
			}
			n, err := intstr.GetScaledValueFromIntOrPercent(mu, int(w.Replicas), false)
			if err == nil && n >= int(w.Replicas) {
				r.Addf(w.Object, path+".maxUnavailable", "maxUnavailable %s allows all %d replicas to be unavailable during a rollout", mu.String(), w.Replicas)
			}
		},
	}
}

func progressDeadlineRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "min-ready-exceeds-progress-deadline",
			Title:       "minReadySeconds is not below progressDeadlineSeconds",
			Description: "progressDeadlineSeconds (default 600) must be greater than minReadySeconds; the API server rejects the Deployment otherwise, since no new pod could become available before the rollout is declared failed.",
			Remediation: "Raise spec.progressDeadlineSeconds above spec.minReadySeconds, or lower minReadySeconds.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			d, ok := w.Object.Typed.(*appsv1.Deployment)
			if !ok {
				return
			}
			deadline, path := int32(600), "spec.minReadySeconds"
			if d.Spec.ProgressDeadlineSeconds != nil {
				deadline, path = *d.Spec.ProgressDeadlineSeconds, "spec.progressDeadlineSeconds"
			}
			if deadline <= d.Spec.MinReadySeconds {
				r.Add(w.Object, path, "progressDeadlineSeconds "+itoa(int(deadline))+" is not greater than minReadySeconds "+itoa(int(d.Spec.MinReadySeconds)),
					related(w.Object, "spec.minReadySeconds", "minReadySeconds"))
			}
		},
	}
}

func headlessServiceRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "statefulset-no-headless-service",
			Title:       "StatefulSet without its headless Service",
			Description: "A StatefulSet's pods get stable DNS names (pod-0.service) only through the headless Service (clusterIP: None) named in spec.serviceName. Reported when the input defines Services.",
			Remediation: "Set spec.serviceName and define a Service of that name with clusterIP: None selecting the StatefulSet's pods.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryCorrectness, finding.CategoryReliability},
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			ss, ok := w.Object.Typed.(*appsv1.StatefulSet)
			if !ok || !c.Model.Has("", "Service") {
				return
			}
			name := ss.Spec.ServiceName
			if name == "" {
				r.Add(w.Object, "spec", "StatefulSet has no serviceName")
				return
			}
			o := c.Model.Get("", "Service", w.Namespace(), name)
			if o == nil {
				r.Addf(w.Object, "spec.serviceName", "Service %q does not exist in namespace %q", name, w.Namespace())
				return
			}
			if s, ok := o.Typed.(*corev1.Service); ok && s.Spec.ClusterIP != corev1.ClusterIPNone {
				r.Add(w.Object, "spec.serviceName", "Service "+quote(name)+" is not headless (clusterIP: None)", related(o, "spec", describe(o)))
			}
		},
	}
}
