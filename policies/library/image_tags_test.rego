package kubeplan.library.image_tags_test

import data.kubeplan.library.image_tags

pod(image) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": image}]}}

on := {"image-tags": {}}

test_latest_is_forbidden_by_default if {
	count(image_tags.deny) == 1 with input as pod("nginx:latest") with data.kubeplan.params as on
}

test_missing_tag_is_reported if {
	count(image_tags.deny) == 1 with input as pod("nginx") with data.kubeplan.params as on
}

test_registry_port_is_not_a_tag if {
	count(image_tags.deny) == 1 with input as pod("registry.local:5000/nginx") with data.kubeplan.params as on
	count(image_tags.deny) == 0 with input as pod("registry.local:5000/nginx:1.27") with data.kubeplan.params as on
}

test_digest_satisfies_require_tag if {
	count(image_tags.deny) == 0 with input as pod("nginx@sha256:0123") with data.kubeplan.params as on
}

test_require_digest if {
	p := {"image-tags": {"requireDigest": true}}
	count(image_tags.deny) == 1 with input as pod("nginx:1.27") with data.kubeplan.params as p
}
