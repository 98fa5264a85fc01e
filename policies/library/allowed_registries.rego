# METADATA
# title: Images come from allowed registries
# description: >-
#   Every container image (containers, init and ephemeral containers) must start
#   with one of the configured registry prefixes. Images without a registry are
#   read as Docker Hub images ("nginx" is "docker.io/library/nginx"), as the
#   container runtime does.
# custom:
#   id: policy-allowed-registries
#   name: allowed-registries
#   severity: error
#   categories: [security]
#   security-severity: "6.5"
#   remediation: Pull the image from one of the allowed registries (mirror it there first).
#   params:
#     registries: strings
package kubeplan.library.allowed_registries

import data.kubeplan.lib

deny contains {"msg": msg, "field": sprintf("%s.image", [c.path])} if {
	lib.configured("allowed-registries")
	registries := object.get(lib.params("allowed-registries"), "registries", [])
	some c in lib.containers
	image := c.container.image
	not allowed(image, registries)
	msg := sprintf("image %q of container %q is not from an allowed registry (allowed: %s)", [image, c.container.name, concat(", ", registries)])
}

allowed(image, registries) if {
	some r in registries
	startswith(image, r)
}

allowed(image, registries) if {
	some r in registries
	startswith(normalized(image), r)
}

# normalized spells out Docker Hub's implicit registry and library/ prefix.
normalized(image) := sprintf("docker.io/library/%s", [image]) if {
	not contains(image, "/")
}

normalized(image) := sprintf("docker.io/%s", [image]) if {
	contains(image, "/")
	first := split(image, "/")[0]
	not contains(first, ".")
	not contains(first, ":")
	first != "localhost"
}
