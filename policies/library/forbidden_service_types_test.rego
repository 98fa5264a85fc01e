package kubeplan.library.forbidden_service_types_test

import data.kubeplan.library.forbidden_service_types

params := {"forbidden-service-types": {"types": ["NodePort", "LoadBalancer"]}}

svc(t) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"type": t}}

test_forbidden_type_is_denied if {
	count(forbidden_service_types.deny) == 1 with input as svc("NodePort") with data.kubeplan.params as params
}

test_cluster_ip_passes if {
	count(forbidden_service_types.deny) == 0 with input as svc("ClusterIP") with data.kubeplan.params as params
}

test_absent_type_is_cluster_ip if {
	p := {"forbidden-service-types": {"types": ["ClusterIP"]}}
	i := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {}}
	count(forbidden_service_types.deny) == 1 with input as i with data.kubeplan.params as p
}
