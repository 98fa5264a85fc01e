# METADATA
# title: Named workloads define probes
# description: >-
#   The containers of the workloads whose names match the configured patterns
#   (workloads, globs; all workloads when empty) must define each configured
#   probe (probes, default readinessProbe and livenessProbe). Init containers
#   are not checked.
# custom:
#   id: policy-required-probes
#   name: required-probes
#   severity: warning
#   categories: [reliability]
#   remediation: Add the missing probe to the container.
#   params:
#     workloads: strings
#     probes: strings
package kubeplan.library.required_probes

import data.kubeplan.lib

deny contains {"msg": msg, "field": c.path} if {
	lib.configured("required-probes")
	p := lib.params("required-probes")
	selected(object.get(p, "workloads", []))
	some c in lib.containers
	not c.init
	some probe in object.get(p, "probes", ["readinessProbe", "livenessProbe"])
	not c.container[probe]
	msg := sprintf("container %q of %s has no %s", [c.container.name, lib.object_ref, probe])
}

selected(patterns) if count(patterns) == 0

selected(patterns) if lib.matches_any(patterns, lib.name)
