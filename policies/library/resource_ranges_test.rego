package kubeplan.library.resource_ranges_test

import data.kubeplan.library.resource_ranges

pod(resources) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "x", "resources": resources}]}}

params := {"resource-ranges": {"cpu": {"maxLimit": "2", "minRequest": "50m"}, "memory": {"maxLimit": "1Gi"}}}

test_limit_above_maximum_is_reported_at_the_field if {
	res := resource_ranges.deny with input as pod({"requests": {"cpu": "100m"}, "limits": {"cpu": "2500m"}}) with data.kubeplan.params as params
	count(res) == 1
	some r in res
	r.field == "spec.containers[0].resources.limits.cpu"
}

test_memory_in_binary_units_is_compared_as_bytes if {
	count(resource_ranges.deny) == 1 with input as pod({"limits": {"memory": "2Gi"}}) with data.kubeplan.params as params
	count(resource_ranges.deny) == 0 with input as pod({"limits": {"memory": "512Mi"}}) with data.kubeplan.params as params
}

test_request_below_minimum_is_reported if {
	count(resource_ranges.deny) == 1 with input as pod({"requests": {"cpu": "10m"}}) with data.kubeplan.params as params
}

test_numeric_cpu_values_are_accepted if {
	count(resource_ranges.deny) == 0 with input as pod({"limits": {"cpu": 1}}) with data.kubeplan.params as params
}

test_required_requests_must_be_set if {
	p := {"resource-ranges": {"requireRequests": true}}
	count(resource_ranges.deny) == 2 with input as pod({}) with data.kubeplan.params as p
}
