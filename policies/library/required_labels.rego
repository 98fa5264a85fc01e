# METADATA
# title: Objects carry the required labels
# description: >-
#   Every object (or every object of the configured kinds) must carry each
#   configured label key in metadata.labels, with a non-empty value.
# custom:
#   id: policy-required-labels
#   name: required-labels
#   severity: warning
#   categories: [reliability]
#   remediation: Add the missing labels under metadata.labels (for workloads, also on the pod template if your tooling selects pods by them).
#   params:
#     labels: strings
#     kinds: strings
package kubeplan.library.required_labels

import data.kubeplan.lib

deny contains {"msg": msg, "field": "metadata.labels"} if {
	lib.configured("required-labels")
	p := lib.params("required-labels")
	in_scope(p)
	some key in object.get(p, "labels", [])
	object.get(lib.labels, key, "") == ""
	msg := sprintf("%s is missing required label %q", [lib.object_ref, key])
}

in_scope(p) if not p.kinds

in_scope(p) if input.kind in p.kinds
