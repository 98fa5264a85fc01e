# 30 conftest rules used by the policy benchmarks and the conftest speed
# comparison (see policies/bench_test.go).
package main

import rego.v1

pod_spec := input.spec if input.kind == "Pod"

pod_spec := input.spec.template.spec if input.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

pod_spec := input.spec.jobTemplate.spec.template.spec if input.kind == "CronJob"

deny_c1 contains msg if {
	some c in pod_spec.containers
	not c.resources.limits.cpu
	msg := sprintf("%s %s: container %s has no CPU limit", [input.kind, input.metadata.name, c.name])
}

deny_c2 contains msg if {
	some c in pod_spec.containers
	not c.resources.limits.memory
	msg := sprintf("%s %s: container %s has no memory limit", [input.kind, input.metadata.name, c.name])
}

warn_c3 contains msg if {
	some c in pod_spec.containers
	not c.resources.requests.cpu
	msg := sprintf("%s %s: container %s has no CPU request", [input.kind, input.metadata.name, c.name])
}

deny_c4 contains msg if {
	some c in pod_spec.containers
	not c.resources.requests.memory
	msg := sprintf("%s %s: container %s has no memory request", [input.kind, input.metadata.name, c.name])
}

deny_c5 contains msg if {
	some c in pod_spec.containers
	not c.readinessProbe
	msg := sprintf("%s %s: container %s has no readiness probe", [input.kind, input.metadata.name, c.name])
}

warn_c6 contains msg if {
	some c in pod_spec.containers
	not c.livenessProbe
	msg := sprintf("%s %s: container %s has no liveness probe", [input.kind, input.metadata.name, c.name])
}

deny_c7 contains msg if {
	some c in pod_spec.containers
	c.securityContext.privileged == true
	msg := sprintf("%s %s: container %s is privileged", [input.kind, input.metadata.name, c.name])
}

deny_c8 contains msg if {
	some c in pod_spec.containers
	not c.securityContext.readOnlyRootFilesystem
	msg := sprintf("%s %s: container %s has a writable root filesystem", [input.kind, input.metadata.name, c.name])
}

warn_c9 contains msg if {
	some c in pod_spec.containers
	c.securityContext.allowPrivilegeEscalation != false
	msg := sprintf("%s %s: container %s may escalate privileges", [input.kind, input.metadata.name, c.name])
}

deny_c10 contains msg if {
	some c in pod_spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("%s %s: container %s uses a latest tag", [input.kind, input.metadata.name, c.name])
}

deny_c11 contains msg if {
	some c in pod_spec.containers
	not contains(c.image, ":")
	msg := sprintf("%s %s: container %s has an untagged image", [input.kind, input.metadata.name, c.name])
}

warn_c12 contains msg if {
	some c in pod_spec.containers
	c.imagePullPolicy == "Always"
	msg := sprintf("%s %s: container %s always pulls its image", [input.kind, input.metadata.name, c.name])
}

deny_c13 contains msg if {
	some c in pod_spec.containers
	some e in object.get(c, "env", [])
	contains(lower(e.name), "password")
	e.value
	msg := sprintf("%s %s: container %s has a password in env", [input.kind, input.metadata.name, c.name])
}

deny_c14 contains msg if {
	some c in pod_spec.containers
	some p in object.get(c, "ports", [])
	p.hostPort
	msg := sprintf("%s %s: container %s uses a host port", [input.kind, input.metadata.name, c.name])
}

warn_c15 contains msg if {
	some c in pod_spec.containers
	"SYS_ADMIN" in object.get(c, ["securityContext", "capabilities", "add"], [])
	msg := sprintf("%s %s: container %s adds SYS_ADMIN", [input.kind, input.metadata.name, c.name])
}

deny_c16 contains msg if {
	some c in pod_spec.containers
	not startswith(c.image, "registry.example.com/")
	msg := sprintf("%s %s: container %s is not from the company registry", [input.kind, input.metadata.name, c.name])
}

deny_s17 contains msg if {
	spec := pod_spec
	spec.hostNetwork == true
	msg := sprintf("%s %s uses the host network", [input.kind, input.metadata.name])
}

deny_s18 contains msg if {
	spec := pod_spec
	spec.hostPID == true
	msg := sprintf("%s %s uses the host PID namespace", [input.kind, input.metadata.name])
}

deny_s19 contains msg if {
	spec := pod_spec
	spec.hostIPC == true
	msg := sprintf("%s %s uses the host IPC namespace", [input.kind, input.metadata.name])
}

deny_s20 contains msg if {
	spec := pod_spec
	not spec.securityContext.runAsNonRoot
	msg := sprintf("%s %s may run as root", [input.kind, input.metadata.name])
}

deny_s21 contains msg if {
	spec := pod_spec
	spec.automountServiceAccountToken != false
	msg := sprintf("%s %s mounts a service account token", [input.kind, input.metadata.name])
}

deny_s22 contains msg if {
	spec := pod_spec
	some v in object.get(spec, "volumes", [])
	v.hostPath
	msg := sprintf("%s %s mounts a host path", [input.kind, input.metadata.name])
}

warn_o23 contains msg if {
	not input.metadata.labels["app.kubernetes.io/name"]
	msg := sprintf("%s %s has no app.kubernetes.io/name label", [input.kind, object.get(input, ["metadata", "name"], "")])
}

deny_o24 contains msg if {
	not input.metadata.namespace
	msg := sprintf("%s %s has no namespace", [input.kind, object.get(input, ["metadata", "name"], "")])
}

warn_o25 contains msg if {
	input.metadata.namespace == "default"
	msg := sprintf("%s %s is in the default namespace", [input.kind, object.get(input, ["metadata", "name"], "")])
}

deny_o26 contains msg if {
	not input.metadata.annotations.owner
	msg := sprintf("%s %s has no owner annotation", [input.kind, object.get(input, ["metadata", "name"], "")])
}

warn_o27 contains msg if {
	input.kind == "Service"
	input.spec.type == "LoadBalancer"
	msg := sprintf("%s %s is a LoadBalancer Service", [input.kind, object.get(input, ["metadata", "name"], "")])
}

deny_o28 contains msg if {
	input.kind == "Service"
	input.spec.type == "NodePort"
	msg := sprintf("%s %s is a NodePort Service", [input.kind, object.get(input, ["metadata", "name"], "")])
}

warn_o29 contains msg if {
	not input.metadata.labels.team
	msg := sprintf("%s %s has no team label", [input.kind, object.get(input, ["metadata", "name"], "")])
}

deny_o30 contains msg if {
	input.kind == "Deployment"
	object.get(input, ["spec", "replicas"], 1) < 2
	msg := sprintf("Deployment %s runs fewer than 2 replicas", [input.metadata.name])
}
