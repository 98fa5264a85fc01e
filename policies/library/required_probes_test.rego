package kubeplan.library.required_probes_test

import data.kubeplan.library.required_probes

deploy(name, container) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "a"}, "spec": {"template": {"spec": {"containers": [container]}}}}

params := {"required-probes": {"workloads": ["api-*"], "probes": ["readinessProbe"]}}

test_named_workload_without_probe_is_reported if {
	res := required_probes.deny with input as deploy("api-users", {"name": "app"}) with data.kubeplan.params as params
	some r in res
	r.field == "spec.template.spec.containers[0]"
}

test_other_workloads_are_not_checked if {
	count(required_probes.deny) == 0 with input as deploy("batch", {"name": "app"}) with data.kubeplan.params as params
}

test_probe_present_passes if {
	c := {"name": "app", "readinessProbe": {"httpGet": {"path": "/", "port": 80}}}
	count(required_probes.deny) == 0 with input as deploy("api-users", c) with data.kubeplan.params as params
}
