package main

deny[msg] {
	input.kind == "Pod"
	input.spec.hostNetwork
	msg := sprintf("Pod %s uses the host network", [input.metadata.name])
}

warn[msg] {
	input.kind == "Pod"
	not input.metadata.labels.team
	msg := "Pods should have a team label"
}
