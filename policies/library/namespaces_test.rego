package kubeplan.library.namespaces_test

import data.kubeplan.library.namespaces

cm(ns) := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": ns}}

test_namespace_outside_allowed_is_denied if {
	p := {"namespaces": {"allowed": ["team-*"]}}
	count(namespaces.deny) == 1 with input as cm("prod") with data.kubeplan.params as p
}

test_namespace_matching_glob_passes if {
	p := {"namespaces": {"allowed": ["team-*"]}}
	count(namespaces.deny) == 0 with input as cm("team-a") with data.kubeplan.params as p
}

test_forbidden_namespace_is_denied if {
	p := {"namespaces": {"forbidden": ["default", "kube-*"]}}
	count(namespaces.deny) == 1 with input as cm("kube-system") with data.kubeplan.params as p
}

test_missing_namespace_uses_default_namespace if {
	p := {"namespaces": {"forbidden": ["default"]}}
	i := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
	count(namespaces.deny) == 1 with input as i with data.kubeplan.params as p with data.kubeplan.default_namespace as "default"
}

test_cluster_scoped_objects_are_ignored if {
	p := {"namespaces": {"forbidden": ["default"]}}
	i := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}}
	count(namespaces.deny) == 0 with input as i with data.kubeplan.params as p with data.kubeplan.default_namespace as "default"
}
