package kubeplan.library.required_annotations_test

import data.kubeplan.library.required_annotations

params := {"required-annotations": {"annotations": ["owner"], "kinds": ["Service"]}}

svc(ann) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "a", "annotations": ann}}

test_missing_annotation_is_reported if {
	count(required_annotations.deny) == 1 with input as svc({}) with data.kubeplan.params as params
}

test_present_annotation_passes if {
	count(required_annotations.deny) == 0 with input as svc({"owner": "team-a"}) with data.kubeplan.params as params
}

test_other_kinds_are_ignored if {
	i := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
	count(required_annotations.deny) == 0 with input as i with data.kubeplan.params as params
}
