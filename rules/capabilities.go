package rules

import (
	"strings"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

// baselineCapabilities are the capabilities the Pod Security Standards'
// baseline level allows containers to add (pod-security-admission
// policy/check_capabilities_baseline.go): the container runtime's defaults.
func baselineCapabilities() map[string]bool {
	return map[string]bool{"AUDIT_WRITE": true, "CHOWN": true, "DAC_OVERRIDE": true, "FOWNER": true, "FSETID": true, "KILL": true,
		"MKNOD": true, "NET_BIND_SERVICE": true, "SETFCAP": true, "SETGID": true, "SETPCAP": true, "SETUID": true, "SYS_CHROOT": true}
}

func addedCapabilitiesRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "dangerous-capabilities",
			Title:            "Container adds capabilities beyond the runtime defaults",
			Description:      "Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or ALL give a container powers over the node's kernel; the Pod Security Standards' baseline level forbids adding anything beyond the container runtime's default set.",
			Remediation:      "Remove the capability from securityContext.capabilities.add, or justify it and run the workload in a namespace with a privileged Pod Security level.",
			Severity:         finding.SeverityError,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "7.5",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			allowed := baselineCapabilities()
			for _, c := range w.Containers() {
				sc := containerSC(c)
				if sc.Capabilities == nil {
					continue
				}
				for i, cp := range sc.Capabilities.Add {
					if name := strings.TrimPrefix(string(cp), "CAP_"); !allowed[name] {
						r.Addf(w.Object, scPath(c, "capabilities.add")+"["+itoa(i)+"]", "container %q adds capability %s", c.Container.Name, cp)
					}
				}
			}
		},
	}
}

// dropRule reports containers whose capabilities.drop does not include name
// (or ALL).
func dropRule(id, name, title, why string, sev finding.Severity, secSev string) Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               id,
			Title:            title,
			Description:      why,
			Remediation:      "Add " + name + " to securityContext.capabilities.drop.",
			Severity:         sev,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: secSev,
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			if isWindows(w) {
				return
			}
			for _, c := range w.Containers() {
				var drop []corev1.Capability
				if sc := containerSC(c); sc.Capabilities != nil {
					drop = sc.Capabilities.Drop
				}
				if !hasCap(drop, name) {
					r.Addf(w.Object, locateSC(w.Object, c, "capabilities.drop"), "container %q does not drop %s", c.Container.Name, name)
				}
			}
		},
	}
}

func netRawRule() Rule {
	return dropRule("net-raw-not-dropped", "NET_RAW", "Container keeps the NET_RAW capability",
		"NET_RAW, granted by default, lets a process craft raw packets: ARP or DNS spoofing against neighbouring pods.",
		finding.SeverityWarning, "4.0")
}

func dropAllRule() Rule {
	return dropRule("capabilities-not-dropped", "ALL", "Container does not drop all capabilities",
		"Containers start with the runtime's default capabilities (CHOWN, SETUID, NET_RAW, ...). The Pod Security Standards' restricted level requires dropping ALL and adding back only NET_BIND_SERVICE.",
		finding.SeverityNote, "3.0")
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}
