package main

import rego.v1

test_foreign_registry_denied if {
	count(deny) == 1 with input as {"kind": "Deployment", "metadata": {"name": "a"}, "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "docker.io/nginx:1.25"}]}}}}
}

test_company_registry_allowed if {
	count(deny) == 0 with input as {"kind": "Deployment", "metadata": {"name": "a"}, "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "registry.example.com/a:1.0"}]}}}}
}

test_latest_warns if {
	count(warn) == 1 with input as {"kind": "Deployment", "metadata": {"name": "a"}, "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "registry.example.com/a:latest"}]}}}}
}
