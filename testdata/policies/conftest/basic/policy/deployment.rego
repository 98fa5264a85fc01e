package main

import rego.v1

deny contains msg if {
	input.kind == "Deployment"
	not input.spec.template.spec.securityContext.runAsNonRoot
	msg := sprintf("Deployment %s: containers must not run as root", [input.metadata.name])
}

deny_privileged contains {"msg": msg, "field": sprintf("spec.template.spec.containers[%d].securityContext.privileged", [i])} if {
	input.kind == "Deployment"
	some i, c in input.spec.template.spec.containers
	c.securityContext.privileged == true
	msg := sprintf("container %s is privileged", [c.name])
}

warn contains msg if {
	input.kind == "Service"
	input.spec.type == "NodePort"
	msg := sprintf("Service %s uses NodePort", [input.metadata.name])
}

violation contains {"msg": "objects need an app label", "details": {"kind": input.kind}} if {
	not input.metadata.labels.app
}

# Not a conftest rule name: never reported.
denied_helper contains "x" if true
