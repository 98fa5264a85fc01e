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

// TestCLIDocsAreCurrent compares docs/cli and docs/man with what the
// command tree generates; -update rewrites them.
func TestCLIDocsAreCurrent(t *testing.T) {
	docs := filepath.Join(repoRoot(t), "docs")
	if *update {
		for _, d := range []string{"cli", "man"} {
			if err := os.RemoveAll(filepath.Join(docs, d)); err != nil {
				t.Fatal(err)
			}
		}
		if err := genCLIDocs(docs); err != nil {
			t.Fatal(err)
		}
		return
	}
	tmp := t.TempDir()
	if err := genCLIDocs(tmp); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"cli", "man"} {
		want, _ := os.ReadDir(filepath.Join(tmp, d))
		got, _ := os.ReadDir(filepath.Join(docs, d))
		if len(want) != len(got) {
			t.Errorf("docs/%s has %d files, the command tree generates %d: run go test ./cmd/kubeplan -run TestCLIDocsAreCurrent -update", d, len(got), len(want))
			continue
		}
		for _, e := range want {
			w, _ := os.ReadFile(filepath.Join(tmp, d, e.Name()))
			g, err := os.ReadFile(filepath.Join(docs, d, e.Name()))
			if err != nil || !bytes.Equal(w, g) {
				t.Errorf("docs/%s/%s is out of date: run go test ./cmd/kubeplan -run TestCLIDocsAreCurrent -update", d, e.Name())
			}
		}
	}
}
