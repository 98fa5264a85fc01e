package rules

import (
	"path"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// hostPathRule reports hostPath volumes whose cleaned path satisfies match.
func hostPathRule(meta finding.Rule, match func(p string) bool, msg string) Rule {
	return Rule{
		Meta: meta,
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for i, v := range w.Template.Spec.Volumes {
				if v.HostPath == nil {
					continue
				}
				p := path.Clean("/" + v.HostPath.Path)
				if match(p) {
					r.Addf(w.Object, w.SpecPath()+".volumes["+itoa(i)+"].hostPath.path", msg, v.Name, v.HostPath.Path)
				}
			}
		},
	}
}

func hostPathVolumeRule() Rule {
	return hostPathRule(finding.Rule{
		ID:               "host-path-volume",
		Title:            "Pod mounts a hostPath volume",
		Description:      "A hostPath volume gives the pod the node's files; a writable one lets it change the node, and data written there outlives the pod on one node only.",
		Remediation:      "Use a PersistentVolumeClaim, a ConfigMap, a Secret or an emptyDir instead; if a node agent needs the host path, mount it readOnly.",
		Severity:         finding.SeverityWarning,
		Categories:       []string{finding.CategorySecurity},
		SecuritySeverity: "5.0",
	}, func(string) bool { return true }, "volume %q mounts host path %q")
}

// sensitiveHostPaths are node directories whose contents control the node:
// kube-linter's sensitive-host-mounts defaults plus kubelet and runtime state.
func sensitiveHostPaths() map[string]bool {
	return map[string]bool{"/": true, "/boot": true, "/dev": true, "/etc": true, "/lib": true, "/proc": true, "/sys": true, "/usr": true,
		"/root": true, "/var/lib/kubelet": true, "/etc/kubernetes": true, "/var/lib/docker": true, "/var/lib/containerd": true}
}

func sensitiveHostMountRule() Rule {
	sensitive := sensitiveHostPaths()
	return hostPathRule(finding.Rule{
		ID:               "sensitive-host-mount",
		Title:            "Pod mounts a sensitive host directory",
		Description:      "Mounting a system directory of the node (/, /etc, /proc, /sys, /dev, kubelet or runtime state...) exposes credentials and lets the pod take over the node.",
		Remediation:      "Remove the hostPath volume, or narrow it to the specific file the workload needs and mount it readOnly.",
		Severity:         finding.SeverityError,
		Categories:       []string{finding.CategorySecurity},
		SecuritySeverity: "8.0",
	}, func(p string) bool { return sensitive[p] }, "volume %q mounts sensitive host path %q")
}

// runtimeSocketPaths are the container runtimes' API sockets and the
// directories that hold them.
func runtimeSocketPaths() map[string]bool {
	m := map[string]bool{}
	for _, dir := range []string{"/var/run", "/run"} {
		m[dir] = true
		for _, s := range []string{"docker.sock", "containerd", "containerd/containerd.sock", "crio", "crio/crio.sock", "cri-dockerd.sock", "dockershim.sock"} {
			m[dir+"/"+s] = true
		}
	}
	return m
}

func runtimeSocketRule() Rule {
	sockets := runtimeSocketPaths()
	return hostPathRule(finding.Rule{
		ID:               "container-runtime-socket",
		Title:            "Pod mounts the container runtime socket",
		Description:      "Whoever can talk to the Docker, containerd or CRI-O socket can start privileged containers on the node: mounting it is root on the node.",
		Remediation:      "Remove the hostPath volume for the runtime socket; use the Kubernetes API or a purpose-built agent instead.",
		Severity:         finding.SeverityError,
		Categories:       []string{finding.CategorySecurity},
		SecuritySeverity: "9.0",
	}, func(p string) bool { return sockets[p] }, "volume %q mounts the container runtime socket path %q")
}
