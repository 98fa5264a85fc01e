package main

import rego.v1

services := {s.contents.spec.selector.app | some s in input; s.contents.kind == "Service"}

deployments := {d.contents.metadata.name: d.contents.spec.template.metadata.labels.app | some d in input; d.contents.kind == "Deployment"}

deny contains msg if {
	some name, app in deployments
	not app in services
	msg := sprintf("Deployment %s has no Service selecting app=%s", [name, app])
}

warn contains msg if {
	count(input) > 2
	msg := sprintf("%d objects in one change", [count(input)])
}
