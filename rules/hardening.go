package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

func seccompRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "missing-seccomp-profile",
			Title:            "Container runs without a seccomp profile",
			Description:      "Without seccompProfile RuntimeDefault or Localhost (set on the pod or the container), the container may call any system call, including the rarely needed ones most kernel exploits use. Unconfined disables seccomp explicitly.",
			Remediation:      "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "4.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if isWindows(w) {
				return
			}
			podProfile := podSC(w).SeccompProfile
			for _, c := range w.Containers() {
				p, path := containerSC(c).SeccompProfile, scPath(c, "seccompProfile.type")
				if p == nil {
					p, path = podProfile, w.SpecPath()+".securityContext.seccompProfile.type"
				}
				switch {
				case p == nil:
					r.Addf(w.Object, locateSC(w.Object, c, "seccompProfile"), "container %q has no seccomp profile", c.Container.Name)
				case p.Type == corev1.SeccompProfileTypeUnconfined:
					r.Addf(w.Object, path, "container %q runs with seccomp profile Unconfined", c.Container.Name)
				}
			}
		},
	}
}

// legacyAppArmorAnnotation is the per-container annotation that predates
// securityContext.appArmorProfile.
const legacyAppArmorAnnotation = "container.apparmor.security.beta.kubernetes.io/"

func appArmorRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "apparmor-unconfined",
			Title:            "Container runs with AppArmor unconfined",
			Description:      "An Unconfined AppArmor profile removes the runtime's default mandatory access control on nodes that use AppArmor.",
			Remediation:      "Remove the Unconfined profile, or use RuntimeDefault or a Localhost profile.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "5.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if p := podSC(w).AppArmorProfile; p != nil && p.Type == corev1.AppArmorProfileTypeUnconfined {
				r.Add(w.Object, w.SpecPath()+".securityContext.appArmorProfile.type", "pod sets AppArmor profile Unconfined")
			}
			for _, c := range w.Containers() {
				if p := containerSC(c).AppArmorProfile; p != nil && p.Type == corev1.AppArmorProfileTypeUnconfined {
					r.Addf(w.Object, scPath(c, "appArmorProfile.type"), "container %q sets AppArmor profile Unconfined", c.Container.Name)
				}
				key := legacyAppArmorAnnotation + c.Container.Name
				if w.Template.Annotations[key] == "unconfined" {
					r.Addf(w.Object, w.MetaPath()+`.annotations["`+key+`"]`, "container %q is annotated AppArmor unconfined", c.Container.Name)
				}
			}
		},
	}
}

func procMountRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "unsafe-proc-mount",
			Title:            "Container uses an unmasked /proc",
			Description:      "procMount: Unmasked exposes /proc paths the runtime normally masks, such as /proc/kcore and /proc/sys, to the container.",
			Remediation:      "Remove securityContext.procMount or set it to Default.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "5.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range w.Containers() {
				if p := containerSC(c).ProcMount; p != nil && *p == corev1.UnmaskedProcMount {
					r.Addf(w.Object, scPath(c, "procMount"), "container %q uses procMount Unmasked", c.Container.Name)
				}
			}
		},
	}
}

func hostProcessRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "windows-host-process",
			Title:            "Windows HostProcess container",
			Description:      "A Windows HostProcess container runs directly on the host with the host's network and file system: the Windows equivalent of a privileged container.",
			Remediation:      "Remove securityContext.windowsOptions.hostProcess unless the workload is a node agent that needs it.",
			Severity:         finding.SeverityError,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "8.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if o := podSC(w).WindowsOptions; o != nil && o.HostProcess != nil && *o.HostProcess {
				r.Add(w.Object, w.SpecPath()+".securityContext.windowsOptions.hostProcess", "pod runs as a Windows HostProcess")
			}
			for _, c := range w.Containers() {
				if o := containerSC(c).WindowsOptions; o != nil && o.HostProcess != nil && *o.HostProcess {
					r.Addf(w.Object, scPath(c, "windowsOptions.hostProcess"), "container %q runs as a Windows HostProcess", c.Container.Name)
				}
			}
		},
	}
}

func lowIDRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "low-user-id",
			Title:            "Container runs with a UID or GID below 10000",
			Description:      "A low UID or GID may collide with a user of the node (kube-score's container-security-context-user-group-id check), which matters if the container ever escapes.",
			Remediation:      "Set runAsUser and runAsGroup to values of 10000 or more.",
			Severity:         finding.SeverityNote,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "2.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if isWindows(w) {
				return
			}
			for _, c := range w.Containers() {
				if u, path := effectiveUser(w, c); u != nil && *u > 0 && *u < 10000 {
					r.Addf(w.Object, path, "container %q runs as UID %d", c.Container.Name, *u)
				}
				g, path := containerSC(c).RunAsGroup, scPath(c, "runAsGroup")
				if g == nil {
					g, path = podSC(w).RunAsGroup, w.SpecPath()+".securityContext.runAsGroup"
				}
				if g != nil && *g < 10000 {
					r.Addf(w.Object, path, "container %q runs with GID %d", c.Container.Name, *g)
				}
			}
		},
	}
}
