package rules

import "github.com/kubeplan/kubeplan/lint/cluster"

// pssPath locates a forbidden reason of the PodSecurity checks in the pod
// template: the first field that causes it, else the pod spec.
func pssPath(w *cluster.Workload, reason string) string {
	spec, sp := &w.Template.Spec, w.SpecPath()
	first := func(field string, bad func(c cluster.ContainerRef) bool) string {
		for _, c := range w.Containers() {
			if bad(c) {
				return locateSC(w.Object, c, field)
			}
		}
		return sp
	}
	switch reason {
	case "host namespaces":
		switch {
		case spec.HostNetwork:
			return sp + ".hostNetwork"
		case spec.HostPID:
			return sp + ".hostPID"
		}
		return sp + ".hostIPC"
	case "privileged":
		return first("privileged", func(c cluster.ContainerRef) bool { return isTrue(containerSC(c).Privileged) })
	case "allowPrivilegeEscalation != false":
		return first("allowPrivilegeEscalation", func(c cluster.ContainerRef) bool {
			v := containerSC(c).AllowPrivilegeEscalation
			return v == nil || *v
		})
	case "non-default capabilities", "unrestricted capabilities":
		return first("capabilities", func(c cluster.ContainerRef) bool { return true })
	case "runAsNonRoot != true":
		if podSC(w).RunAsNonRoot != nil {
			return sp + ".securityContext.runAsNonRoot"
		}
		return first("runAsNonRoot", func(c cluster.ContainerRef) bool { return !effectiveNonRoot(w, c) })
	case "runAsUser=0":
		return first("runAsUser", func(c cluster.ContainerRef) bool { u, _ := effectiveUser(w, c); return u != nil && *u == 0 })
	case "seccompProfile":
		if podSC(w).SeccompProfile != nil {
			return sp + ".securityContext.seccompProfile"
		}
		return first("seccompProfile", func(c cluster.ContainerRef) bool { return true })
	case "hostPath volumes", "restricted volume types":
		return sp + ".volumes"
	case "hostPort":
		for _, c := range w.Containers() {
			for i, p := range c.Container.Ports {
				if p.HostPort != 0 {
					return c.Path + ".ports[" + itoa(i) + "].hostPort"
				}
			}
		}
	case "forbidden sysctls":
		return sp + ".securityContext.sysctls"
	case "procMount":
		return first("procMount", func(c cluster.ContainerRef) bool { return containerSC(c).ProcMount != nil })
	}
	return sp
}
