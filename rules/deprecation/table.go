package deprecation

import "k8s.io/apimachinery/pkg/runtime/schema"

func gvk(gv, kind string) schema.GroupVersionKind {
	g, _ := schema.ParseGroupVersion(gv)
	return g.WithKind(kind)
}

func entry(from, kind, to string, deprecated, removed int, note string) Lifecycle {
	l := Lifecycle{GVK: gvk(from, kind), Deprecated: Version{1, deprecated}, Removed: Version{1, removed}, Note: note}
	if to != "" {
		l.Replacement = gvk(to, kind)
	}
	return l
}

// Table is the upstream Deprecated API Migration Guide
// (kubernetes.io/docs/reference/using-api/deprecation-guide), v1.16 to
// today, plus when each version was deprecated (from the release notes).
// Entries whose type k8s.io/api still ships must agree with its generated
// lifecycle; a test pins that.
func Table() []Lifecycle {
	return []Lifecycle{
		// v1.16
		entry("extensions/v1beta1", "Deployment", "apps/v1", 8, 16, ""),
		entry("apps/v1beta1", "Deployment", "apps/v1", 8, 16, ""),
		entry("apps/v1beta2", "Deployment", "apps/v1", 9, 16, ""),
		entry("extensions/v1beta1", "DaemonSet", "apps/v1", 8, 16, ""),
		entry("apps/v1beta2", "DaemonSet", "apps/v1", 9, 16, ""),
		entry("extensions/v1beta1", "ReplicaSet", "apps/v1", 8, 16, ""),
		entry("apps/v1beta2", "ReplicaSet", "apps/v1", 9, 16, ""),
		entry("apps/v1beta1", "StatefulSet", "apps/v1", 8, 16, ""),
		entry("apps/v1beta2", "StatefulSet", "apps/v1", 9, 16, ""),
		entry("extensions/v1beta1", "NetworkPolicy", "networking.k8s.io/v1", 9, 16, ""),
		entry("extensions/v1beta1", "PodSecurityPolicy", "policy/v1beta1", 10, 16, ""),
		// v1.22
		entry("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1", 16, 22, ""),
		entry("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1", 16, 22, ""),
		entry("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "apiextensions.k8s.io/v1", 16, 22, "spec.scope is no longer defaulted and every version needs a structural schema"),
		entry("apiregistration.k8s.io/v1beta1", "APIService", "apiregistration.k8s.io/v1", 19, 22, ""),
		entry("authentication.k8s.io/v1beta1", "TokenReview", "authentication.k8s.io/v1", 19, 22, ""),
		entry("authorization.k8s.io/v1beta1", "SubjectAccessReview", "authorization.k8s.io/v1", 19, 22, ""),
		entry("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", "authorization.k8s.io/v1", 19, 22, ""),
		entry("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", "authorization.k8s.io/v1", 19, 22, ""),
		entry("authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", "authorization.k8s.io/v1", 19, 22, ""),
		entry("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "certificates.k8s.io/v1", 19, 22, ""),
		entry("coordination.k8s.io/v1beta1", "Lease", "coordination.k8s.io/v1", 19, 22, ""),
		entry("extensions/v1beta1", "Ingress", "networking.k8s.io/v1", 14, 22, "backend serviceName/servicePort become service.name/service.port and pathType is required"),
		entry("networking.k8s.io/v1beta1", "Ingress", "networking.k8s.io/v1", 19, 22, "backend serviceName/servicePort become service.name/service.port and pathType is required"),
		entry("networking.k8s.io/v1beta1", "IngressClass", "networking.k8s.io/v1", 19, 22, ""),
		entry("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "rbac.authorization.k8s.io/v1", 17, 22, ""),
		entry("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "rbac.authorization.k8s.io/v1", 17, 22, ""),
		entry("rbac.authorization.k8s.io/v1beta1", "Role", "rbac.authorization.k8s.io/v1", 17, 22, ""),
		entry("rbac.authorization.k8s.io/v1beta1", "RoleBinding", "rbac.authorization.k8s.io/v1", 17, 22, ""),
		entry("scheduling.k8s.io/v1beta1", "PriorityClass", "scheduling.k8s.io/v1", 14, 22, ""),
		entry("storage.k8s.io/v1beta1", "CSIDriver", "storage.k8s.io/v1", 19, 22, ""),
		entry("storage.k8s.io/v1beta1", "CSINode", "storage.k8s.io/v1", 17, 22, ""),
		entry("storage.k8s.io/v1beta1", "StorageClass", "storage.k8s.io/v1", 19, 22, ""),
		entry("storage.k8s.io/v1beta1", "VolumeAttachment", "storage.k8s.io/v1", 19, 22, ""),
		// v1.25
		entry("batch/v1beta1", "CronJob", "batch/v1", 21, 25, ""),
		entry("discovery.k8s.io/v1beta1", "EndpointSlice", "discovery.k8s.io/v1", 21, 25, ""),
		entry("events.k8s.io/v1beta1", "Event", "events.k8s.io/v1", 19, 25, ""),
		entry("autoscaling/v2beta1", "HorizontalPodAutoscaler", "autoscaling/v2", 22, 25, ""),
		entry("policy/v1beta1", "PodDisruptionBudget", "policy/v1", 21, 25, "an empty selector now selects every pod of the namespace"),
		entry("policy/v1beta1", "PodSecurityPolicy", "", 21, 25, "PodSecurityPolicy has no replacement API; use Pod Security Admission namespace labels"),
		entry("node.k8s.io/v1beta1", "RuntimeClass", "node.k8s.io/v1", 22, 25, ""),
		// v1.26
		entry("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1", 23, 26, ""),
		entry("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1", 23, 26, ""),
		entry("autoscaling/v2beta2", "HorizontalPodAutoscaler", "autoscaling/v2", 23, 26, ""),
		// v1.27
		entry("storage.k8s.io/v1beta1", "CSIStorageCapacity", "storage.k8s.io/v1", 24, 27, ""),
		// v1.29
		entry("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1", 26, 29, ""),
		entry("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1", 26, 29, ""),
		// v1.32
		entry("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1", 29, 32, ""),
		entry("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1", 29, 32, ""),
	}
}
