# METADATA
# title: Objects carry the required annotations
# description: >-
#   Every object (or every object of the configured kinds) must carry each
#   configured annotation key in metadata.annotations, with a non-empty value.
# custom:
#   id: policy-required-annotations
#   name: required-annotations
#   severity: warning
#   categories: [reliability]
#   remediation: Add the missing annotations under metadata.annotations.
#   params:
#     annotations: strings
#     kinds: strings
package kubeplan.library.required_annotations

import data.kubeplan.lib

deny contains {"msg": msg, "field": "metadata.annotations"} if {
	lib.configured("required-annotations")
	p := lib.params("required-annotations")
	in_scope(p)
	some key in object.get(p, "annotations", [])
	object.get(lib.annotations, key, "") == ""
	msg := sprintf("%s is missing required annotation %q", [lib.object_ref, key])
}

in_scope(p) if not p.kinds

in_scope(p) if input.kind in p.kinds
