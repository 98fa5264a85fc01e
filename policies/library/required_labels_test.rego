package kubeplan.library.required_labels_test

import data.kubeplan.library.required_labels

params := {"required-labels": {"labels": ["team", "app.kubernetes.io/name"]}}

cm(labels) := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "a", "labels": labels}}

test_missing_label_is_reported_per_key if {
	res := required_labels.deny with input as cm({"team": "x"}) with data.kubeplan.params as params
	count(res) == 1
	some r in res
	r.msg == `ConfigMap a/c is missing required label "app.kubernetes.io/name"`
	r.field == "metadata.labels"
}

test_all_labels_present_passes if {
	count(required_labels.deny) == 0 with input as cm({"team": "x", "app.kubernetes.io/name": "y"}) with data.kubeplan.params as params
}

test_empty_value_counts_as_missing if {
	count(required_labels.deny) == 2 with input as cm({"team": ""}) with data.kubeplan.params as params
}

test_kinds_limit_the_policy if {
	p := {"required-labels": {"labels": ["team"], "kinds": ["Deployment"]}}
	count(required_labels.deny) == 0 with input as cm({}) with data.kubeplan.params as p
}
