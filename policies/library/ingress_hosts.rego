# METADATA
# title: Ingress hosts are on the allow-list
# description: >-
#   Every host of an Ingress (spec.rules[].host and spec.tls[].hosts[]) must
#   match one of the allowed patterns. In a pattern "*" matches one DNS label:
#   "*.example.com" allows "api.example.com" but not "a.b.example.com".
# custom:
#   id: policy-ingress-hosts
#   name: ingress-hosts
#   severity: error
#   categories: [security]
#   security-severity: "5.0"
#   remediation: Use a host under an allowed domain, or ask for the domain to be added to the allow-list.
#   params:
#     allowed: strings
package kubeplan.library.ingress_hosts

import data.kubeplan.lib

deny contains {"msg": msg, "field": field} if {
	lib.configured("ingress-hosts")
	input.kind == "Ingress"
	allowed := object.get(lib.params("ingress-hosts"), "allowed", [])
	some [field, host] in hosts
	not host_allowed(allowed, host)
	msg := sprintf("Ingress %s uses host %q, which is not allowed (allowed: %s)", [lib.name, host, concat(", ", allowed)])
}

hosts contains [sprintf("spec.rules[%d].host", [i]), r.host] if {
	some i, r in object.get(input, ["spec", "rules"], [])
	r.host
}

hosts contains [sprintf("spec.tls[%d].hosts[%d]", [i, j]), h] if {
	some i, t in object.get(input, ["spec", "tls"], [])
	some j, h in object.get(t, "hosts", [])
}

host_allowed(allowed, host) if {
	some p in allowed
	glob.match(p, ["."], host)
}
