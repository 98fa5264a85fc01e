package kubeplan.library.allowed_registries_test

import data.kubeplan.library.allowed_registries

params := {"allowed-registries": {"registries": ["registry.example.com/", "docker.io/library/"]}}

deployment(image) := {
	"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
	"spec": {"template": {"spec": {"containers": [{"name": "app", "image": image}]}}},
}

test_image_from_other_registry_is_denied if {
	res := allowed_registries.deny with input as deployment("ghcr.io/acme/app:1") with data.kubeplan.params as params
	some r in res
	r.field == "spec.template.spec.containers[0].image"
}

test_image_from_allowed_registry_passes if {
	count(allowed_registries.deny) == 0 with input as deployment("registry.example.com/app:1") with data.kubeplan.params as params
}

test_docker_hub_short_name_matches_docker_io_library if {
	count(allowed_registries.deny) == 0 with input as deployment("nginx:1.27") with data.kubeplan.params as params
}

test_off_when_not_configured if {
	count(allowed_registries.deny) == 0 with input as deployment("ghcr.io/acme/app:1") with data.kubeplan.params as {}
}
