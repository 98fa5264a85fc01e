# METADATA
# title: kubeplan library helpers
# description: Shared helpers of the bundled policies. Not a policy itself.
package kubeplan.lib

# params returns the .kubeplan.yaml parameters of a bundled policy ({} when
# the policy is configured without parameters).
params(name) := p if {
	p := data.kubeplan.params[name]
	is_object(p)
} else := {}

# configured is true when the policy has an entry in .kubeplan.yaml.
configured(name) if data.kubeplan.params[name]

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

# pod_spec_path is where the pod spec of a workload sits.
pod_spec_path := "spec" if input.kind == "Pod"

pod_spec_path := "spec.template.spec" if input.kind in workload_kinds

pod_spec_path := "spec.jobTemplate.spec.template.spec" if input.kind == "CronJob"

pod_spec := object.get(input, split(pod_spec_path, "."), {})

# containers holds every container of a workload with its field path.
containers contains {"container": c, "path": sprintf("%s.%s[%d]", [pod_spec_path, field, i]), "init": field != "containers"} if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some i, c in object.get(pod_spec, field, [])
}

name := object.get(input, ["metadata", "name"], "")

labels := object.get(input, ["metadata", "labels"], {})

annotations := object.get(input, ["metadata", "annotations"], {})

# namespace is the object's effective namespace: its own, else the run's
# default namespace; "" for cluster-scoped kinds.
namespace := "" if input.kind in cluster_scoped_kinds

namespace := object.get(input, ["metadata", "namespace"], default_namespace) if {
	not input.kind in cluster_scoped_kinds
}

default_namespace := ns if {
	ns := data.kubeplan.default_namespace
} else := "default"

cluster_scoped_kinds := {
	"APIService", "CSIDriver", "CSINode", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding",
	"ComponentStatus", "CustomResourceDefinition", "FlowSchema", "IngressClass", "MutatingWebhookConfiguration",
	"Namespace", "Node", "PersistentVolume", "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration",
	"RuntimeClass", "StorageClass", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
	"ValidatingWebhookConfiguration", "VolumeAttachment", "ConstraintTemplate",
}

# object_ref renders "Kind namespace/name" for messages.
object_ref := sprintf("%s %s/%s", [input.kind, namespace, name]) if namespace != ""

object_ref := sprintf("%s %s", [input.kind, name]) if namespace == ""

# matches_any reports whether s matches one of the glob patterns ("*"
# matches any run of characters, including dots).
matches_any(patterns, s) if {
	some p in patterns
	glob.match(p, [], s)
}
