# METADATA
# title: Objects live in allowed namespaces
# description: >-
#   Namespaced objects must be placed in a namespace matching one of the
#   allowed patterns (when set) and in none of the forbidden patterns. Objects
#   without metadata.namespace are judged by the namespace they would land in
#   (the run's default namespace). Patterns are globs: "team-*".
# custom:
#   id: policy-namespaces
#   name: namespaces
#   severity: error
#   categories: [correctness]
#   remediation: Set metadata.namespace to an allowed namespace.
#   params:
#     allowed: strings
#     forbidden: strings
package kubeplan.library.namespaces

import data.kubeplan.lib

deny contains {"msg": msg, "field": "metadata.namespace"} if {
	lib.configured("namespaces")
	p := lib.params("namespaces")
	lib.namespace != ""
	allowed := object.get(p, "allowed", [])
	count(allowed) > 0
	not lib.matches_any(allowed, lib.namespace)
	msg := sprintf("%s is in namespace %q, which is not allowed (allowed: %s)", [lib.object_ref, lib.namespace, concat(", ", allowed)])
}

deny contains {"msg": msg, "field": "metadata.namespace"} if {
	lib.configured("namespaces")
	p := lib.params("namespaces")
	lib.namespace != ""
	lib.matches_any(object.get(p, "forbidden", []), lib.namespace)
	msg := sprintf("%s is in forbidden namespace %q", [lib.object_ref, lib.namespace])
}
