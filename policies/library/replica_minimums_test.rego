package kubeplan.library.replica_minimums_test

import data.kubeplan.library.replica_minimums

params := {"replica-minimums": {"minimums": {"prod": 3, "prod-*": 2}, "default": 1}}

deploy(ns, replicas) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": ns}, "spec": {"replicas": replicas}}

test_below_namespace_minimum_is_reported if {
	count(replica_minimums.deny) == 1 with input as deploy("prod", 2) with data.kubeplan.params as params
}

test_glob_namespace_applies if {
	count(replica_minimums.deny) == 1 with input as deploy("prod-eu", 1) with data.kubeplan.params as params
	count(replica_minimums.deny) == 0 with input as deploy("prod-eu", 2) with data.kubeplan.params as params
}

test_absent_replicas_counts_as_one if {
	i := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "prod"}, "spec": {}}
	count(replica_minimums.deny) == 1 with input as i with data.kubeplan.params as params
}

test_default_applies_elsewhere if {
	count(replica_minimums.deny) == 0 with input as deploy("dev", 1) with data.kubeplan.params as params
}
