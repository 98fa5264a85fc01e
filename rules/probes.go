package rules

import (
	"reflect"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// missingProbeRule reports long-running containers without the probe that
// probe(c) returns. Pods that run to completion (Jobs, CronJobs) are exempt.
func missingProbeRule(id, kind, why string, sev finding.Severity, probe func(*corev1.Container) *corev1.Probe) Rule {
	field := kind + "Probe"
	return Rule{
		Meta: finding.Rule{
			ID:          id,
			Title:       "Container without a " + kind + " probe",
			Description: why,
			Remediation: "Add a " + field + " to every long-running container (httpGet, tcpSocket, grpc or exec).",
			Severity:    sev,
			Categories:  []string{finding.CategoryReliability},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if runsToCompletion(w) {
				return
			}
			for _, c := range longRunning(w) {
				if probe(c.Container) == nil {
					r.Addf(w.Object, c.Path, "container %q has no %s", c.Container.Name, field)
				}
			}
		},
	}
}

func missingReadinessProbeRule() Rule {
	return missingProbeRule("missing-readiness-probe", "readiness",
		"Without a readiness probe a pod receives Service traffic as soon as its containers start, before the application can answer, and a rolling update counts it available at once.",
		finding.SeverityNote, func(c *corev1.Container) *corev1.Probe { return c.ReadinessProbe })
}

func missingLivenessProbeRule() Rule {
	return missingProbeRule("missing-liveness-probe", "liveness",
		"Without a liveness probe the kubelet restarts a container only when its process exits; a deadlocked process keeps its pod running and serving errors.",
		finding.SeverityNote, func(c *corev1.Container) *corev1.Probe { return c.LivenessProbe })
}

func identicalProbesRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "identical-probes",
			Title:       "Liveness and readiness probes are identical",
			Description: "When the liveness probe checks exactly what the readiness probe checks, a slow dependency makes the kubelet restart the container instead of only taking it out of Service endpoints, which can cascade into restarts across every replica.",
			Remediation: "Make the liveness probe check only that the process is alive (a cheaper endpoint, a higher failureThreshold) and keep dependency checks in the readiness probe.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryReliability},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range longRunning(w) {
				l, rd := c.Container.LivenessProbe, c.Container.ReadinessProbe
				if l != nil && rd != nil && reflect.DeepEqual(l.ProbeHandler, rd.ProbeHandler) {
					r.Addf(w.Object, c.Path+".livenessProbe", "container %q has the same liveness and readiness probe handler", c.Container.Name)
				}
			}
		},
	}
}

// probePort returns the port a probe handler targets, if any.
func probePort(p *corev1.Probe) (intstr.IntOrString, string, bool) {
	switch {
	case p == nil:
	case p.HTTPGet != nil:
		return p.HTTPGet.Port, "httpGet.port", true
	case p.TCPSocket != nil:
		return p.TCPSocket.Port, "tcpSocket.port", true
	}
	return intstr.IntOrString{}, "", false
}

func hasNamedPort(c *corev1.Container, name string) bool {
	for _, p := range c.Ports {
		if p.Name == name {
			return true
		}
	}
	return false
}

func probeNamedPortRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "probe-port-not-found",
			Title:       "Probe targets a named port the container does not define",
			Description: "The kubelet resolves a probe's named port against the container's ports; when no port has that name every probe fails, so a liveness probe restarts the container forever and a readiness probe keeps the pod unready.",
			Remediation: "Name the port in the container's ports list, or use the port number in the probe.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness, finding.CategoryReliability},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range w.Containers() {
				for _, pr := range []struct {
					field string
					probe *corev1.Probe
				}{{"livenessProbe", c.Container.LivenessProbe}, {"readinessProbe", c.Container.ReadinessProbe}, {"startupProbe", c.Container.StartupProbe}} {
					port, sub, ok := probePort(pr.probe)
					if !ok || port.Type != intstr.String || hasNamedPort(c.Container, port.StrVal) {
						continue
					}
					r.Addf(w.Object, c.Path+"."+pr.field+"."+sub, "%s of container %q targets port %q, which the container does not define", pr.field, c.Container.Name, port.StrVal)
				}
			}
		},
	}
}
