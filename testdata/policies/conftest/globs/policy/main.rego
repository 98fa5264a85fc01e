package main

import rego.v1

deny contains msg if {
	input.kind == "ConfigMap"
	msg := sprintf("main: ConfigMap %s found", [input.metadata.name])
}
