package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

func privilegedRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "privileged-container",
			Title:            "Privileged container",
			Description:      "A privileged container has every capability and access to all host devices; a compromise of it is a compromise of the node.",
			Remediation:      "Remove securityContext.privileged, and add only the specific capabilities the container needs.",
			Severity:         finding.SeverityError,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "9.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range w.Containers() {
				if sc := containerSC(c); sc.Privileged != nil && *sc.Privileged {
					r.Addf(w.Object, scPath(c, "privileged"), "container %q is privileged", c.Container.Name)
				}
			}
		},
	}
}

// hasCap reports whether the list names the capability, with or without the
// CAP_ prefix, or ALL.
func hasCap(list []corev1.Capability, name string) bool {
	for _, c := range list {
		if string(c) == name || string(c) == "CAP_"+name || string(c) == "ALL" {
			return true
		}
	}
	return false
}

func privilegeEscalationRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "privilege-escalation-allowed",
			Title:            "Container allows privilege escalation",
			Description:      "allowPrivilegeEscalation defaults to true, so a setuid binary in the image can gain more privileges than the container started with. It is always true for privileged containers and containers with CAP_SYS_ADMIN.",
			Remediation:      "Set securityContext.allowPrivilegeEscalation: false on every container.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "6.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if isWindows(w) {
				return
			}
			for _, c := range w.Containers() {
				sc := containerSC(c)
				switch {
				case sc.Privileged != nil && *sc.Privileged:
					r.Addf(w.Object, scPath(c, "privileged"), "container %q is privileged, which always allows privilege escalation", c.Container.Name)
				case sc.Capabilities != nil && hasCap(sc.Capabilities.Add, "SYS_ADMIN"):
					r.Addf(w.Object, scPath(c, "capabilities.add"), "container %q adds CAP_SYS_ADMIN, which always allows privilege escalation", c.Container.Name)
				case sc.AllowPrivilegeEscalation == nil:
					r.Addf(w.Object, locateSC(w.Object, c, "allowPrivilegeEscalation"), "container %q does not set allowPrivilegeEscalation: false", c.Container.Name)
				case *sc.AllowPrivilegeEscalation:
					r.Addf(w.Object, scPath(c, "allowPrivilegeEscalation"), "container %q sets allowPrivilegeEscalation: true", c.Container.Name)
				}
			}
		},
	}
}

// effectiveUser returns the UID a container runs as and the field path that
// sets it: the container's securityContext overrides the pod's.
func effectiveUser(w *cluster.Workload, c cluster.ContainerRef) (*int64, string) {
	if u := containerSC(c).RunAsUser; u != nil {
		return u, scPath(c, "runAsUser")
	}
	if u := podSC(w).RunAsUser; u != nil {
		return u, w.SpecPath() + ".securityContext.runAsUser"
	}
	return nil, ""
}

// effectiveNonRoot returns runAsNonRoot after the container overrides the
// pod.
func effectiveNonRoot(w *cluster.Workload, c cluster.ContainerRef) bool {
	if v := containerSC(c).RunAsNonRoot; v != nil {
		return *v
	}
	v := podSC(w).RunAsNonRoot
	return v != nil && *v
}

func runAsNonRootRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "run-as-non-root",
			Title:            "Container may run as root",
			Description:      "Neither runAsNonRoot: true nor a runAsUser is set for the container or its pod, so it runs as whatever user the image names, often root.",
			Remediation:      "Set securityContext.runAsNonRoot: true (and a non-zero runAsUser) on the pod or the container.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "5.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if isWindows(w) {
				return
			}
			for _, c := range w.Containers() {
				if u, _ := effectiveUser(w, c); u == nil && !effectiveNonRoot(w, c) {
					r.Addf(w.Object, locateSC(w.Object, c, "runAsNonRoot"), "container %q does not set runAsNonRoot: true or a runAsUser, so it may run as root", c.Container.Name)
				}
			}
		},
	}
}

func runAsRootUserRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "run-as-root-user",
			Title:            "Container runs as UID 0",
			Description:      "runAsUser: 0 runs the container as root. If runAsNonRoot is also true the kubelet refuses to start the container.",
			Remediation:      "Set runAsUser to a non-zero UID, and runAsNonRoot: true.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "6.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if isWindows(w) {
				return
			}
			for _, c := range w.Containers() {
				u, path := effectiveUser(w, c)
				if u == nil || *u != 0 {
					continue
				}
				if effectiveNonRoot(w, c) {
					r.Addf(w.Object, path, "container %q sets runAsUser: 0 and runAsNonRoot: true; the kubelet will refuse to start it", c.Container.Name)
				} else {
					r.Addf(w.Object, path, "container %q runs as root (runAsUser: 0)", c.Container.Name)
				}
			}
		},
	}
}

func readOnlyRootFSRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "read-only-root-fs",
			Title:            "Container root filesystem is writable",
			Description:      "A writable root filesystem lets an attacker or a bug modify the container's binaries and configuration.",
			Remediation:      "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the application must write.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "3.5",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if isWindows(w) {
				return
			}
			for _, c := range w.Containers() {
				if sc := containerSC(c); sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
					r.Addf(w.Object, locateSC(w.Object, c, "readOnlyRootFilesystem"), "container %q does not set readOnlyRootFilesystem: true", c.Container.Name)
				}
			}
		},
	}
}
