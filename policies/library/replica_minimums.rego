# METADATA
# title: Workloads run enough replicas
# description: >-
#   Deployments, StatefulSets, ReplicaSets and ReplicationControllers must ask
#   for at least the configured number of replicas: minimums maps a namespace
#   (glob allowed) to its minimum, default applies elsewhere. An absent
#   spec.replicas counts as 1, as the API server defaults it.
# custom:
#   id: policy-replica-minimums
#   name: replica-minimums
#   severity: warning
#   categories: [reliability]
#   remediation: Raise spec.replicas (or the HorizontalPodAutoscaler's minReplicas) to the minimum for the namespace.
#   params:
#     minimums: map of int
#     default: int
package kubeplan.library.replica_minimums

import data.kubeplan.lib

kinds := {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"}

deny contains {"msg": msg, "field": "spec.replicas"} if {
	lib.configured("replica-minimums")
	input.kind in kinds
	want := minimum(lib.params("replica-minimums"), lib.namespace)
	have := object.get(input, ["spec", "replicas"], 1)
	have < want
	msg := sprintf("%s runs %v replica(s); namespace %q requires at least %v", [lib.object_ref, have, lib.namespace, want])
}

# minimum is the exact namespace entry, else the highest matching glob,
# else default.
minimum(p, ns) := n if {
	n := object.get(p, ["minimums", ns], null)
	n != null
} else := n if {
	ms := [v | some pat, v in object.get(p, "minimums", {}); glob.match(pat, [], ns)]
	count(ms) > 0
	n := max(ms)
} else := object.get(p, "default", 0)
