package main

import rego.v1

deny contains msg if {
	some c in input.spec.template.spec.containers
	not allowed(c.image)
	msg := sprintf("image %s is not from an allowed registry", [c.image])
}

allowed(image) if {
	some prefix in data.registries.allowed
	startswith(image, prefix)
}
