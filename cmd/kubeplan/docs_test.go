package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated docs")

func TestRulesDocIsCurrent(t *testing.T) {
	path := filepath.Join(repoRoot(t), "docs", "rules.md")
	want := RulesMarkdown(allRules())
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go generate ./cmd/kubeplan)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/rules.md is out of date: run `go generate ./cmd/kubeplan` (or go test ./cmd/kubeplan -run TestRulesDocIsCurrent -update)")
	}
}

func TestEveryRuleIsValid(t *testing.T) {
	for _, r := range allRules() {
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
		if r.Remediation == "" || r.Remediation[len(r.Remediation)-1] != '.' {
			t.Errorf("rule %s: remediation must be a sentence ending with a period", r.ID)
		}
	}
}
