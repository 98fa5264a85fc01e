package main

// The rule reference is generated from the same registry that `kubeplan
// rules` and `kubeplan explain` read; TestRulesDocIsCurrent fails when it is
// stale.
//go:generate go run . rules -f markdown -o ../../docs/rules.md
//go:generate go test -run TestCLIDocsAreCurrent -update .
