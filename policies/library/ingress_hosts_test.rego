package kubeplan.library.ingress_hosts_test

import data.kubeplan.library.ingress_hosts

params := {"ingress-hosts": {"allowed": ["*.example.com", "example.com"]}}

ing(host) := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i"}, "spec": {"rules": [{"host": host}]}}

test_host_under_allowed_domain_passes if {
	count(ingress_hosts.deny) == 0 with input as ing("api.example.com") with data.kubeplan.params as params
}

test_other_domain_is_denied_at_the_host_field if {
	res := ingress_hosts.deny with input as ing("api.evil.test") with data.kubeplan.params as params
	some r in res
	r.field == "spec.rules[0].host"
}

test_star_matches_one_label_only if {
	count(ingress_hosts.deny) == 1 with input as ing("a.b.example.com") with data.kubeplan.params as params
}
