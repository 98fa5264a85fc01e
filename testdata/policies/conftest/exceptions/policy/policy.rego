package main

import rego.v1

deny_run_as_root contains msg if {
	input.kind == "Pod"
	not input.spec.securityContext.runAsNonRoot
	msg := sprintf("Pod %s may run as root", [input.metadata.name])
}

deny_latest contains msg if {
	input.kind == "Pod"
	some c in input.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("Pod %s uses a latest tag", [input.metadata.name])
}

exception contains rules if {
	input.metadata.name == "legacy"
	rules := ["run_as_root"]
}
