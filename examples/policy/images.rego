# conftest-style policy: images must come from the company registry and be
# pinned to a tag other than latest.
package main

import rego.v1

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"}

containers contains c if {
	workload_kinds[input.kind]
	some c in input.spec.template.spec.containers
}

containers contains c if {
	input.kind == "CronJob"
	some c in input.spec.jobTemplate.spec.template.spec.containers
}

deny contains msg if {
	some c in containers
	not startswith(c.image, "registry.example.com/")
	msg := sprintf("%s %s: image %q is not from registry.example.com", [input.kind, input.metadata.name, c.image])
}

warn contains msg if {
	some c in containers
	endswith(c.image, ":latest")
	msg := sprintf("%s %s: image %q uses the latest tag", [input.kind, input.metadata.name, c.image])
}
