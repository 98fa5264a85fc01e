# METADATA
# title: Services do not use forbidden types
# description: >-
#   Services must not use one of the configured types (for example NodePort or
#   LoadBalancer, which expose workloads outside the cluster).
# custom:
#   id: policy-forbidden-service-types
#   name: forbidden-service-types
#   severity: error
#   categories: [security]
#   security-severity: "5.0"
#   remediation: Use a ClusterIP Service behind an Ingress or Gateway instead.
#   params:
#     types: strings
package kubeplan.library.forbidden_service_types

import data.kubeplan.lib

deny contains {"msg": msg, "field": "spec.type"} if {
	lib.configured("forbidden-service-types")
	input.kind == "Service"
	t := object.get(input, ["spec", "type"], "ClusterIP")
	t in object.get(lib.params("forbidden-service-types"), "types", [])
	msg := sprintf("Service %s has forbidden type %s", [lib.name, t])
}
