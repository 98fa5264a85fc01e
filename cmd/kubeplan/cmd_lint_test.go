package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLintExitCodesAndOutput(t *testing.T) {
	tests := []struct {
		name       string
		dir        string
		args       []string
		wantCode   int
		wantOut    []string
		notOut     []string
		wantStderr []string
	}{
		{
			name:     "clean input exits 0",
			dir:      fixture(t, "lint", "clean"),
			args:     []string{"lint", "."},
			wantCode: 0,
			wantOut:  []string{"no findings"},
		},
		{
			name:     "duplicate object names both files and exits 1",
			dir:      fixture(t, "lint", "duplicate"),
			args:     []string{"lint", "."},
			wantCode: 1,
			wantOut:  []string{"second.yaml:5:3: error duplicate-object:", "related: first.yaml:4:3: first definition"},
		},
		{
			name:     "file order on the command line does not change the output",
			dir:      fixture(t, "lint", "duplicate"),
			args:     []string{"lint", "second.yaml", "first.yaml"},
			wantCode: 1,
			wantOut:  []string{"second.yaml:5:3: error duplicate-object:"},
		},
		{
			name:       "a broken file exits 2 and the rest is still linted",
			dir:        fixture(t, "lint", "broken"),
			args:       []string{"lint", "."},
			wantCode:   2,
			wantOut:    []string{"tabs.yaml:4:1: error load-error:", "tabs cannot indent YAML", "good.yaml:6:3: error invalid-object:"},
			wantStderr: nil,
		},
		{
			name:     "YAML 1.1 values are flagged where they stand",
			dir:      fixture(t, "lint", "ambiguous"),
			args:     []string{"lint", "--fail-on", "warning", "."},
			wantCode: 1,
			wantOut: []string{
				"values.yaml:12:20: warning yaml-ambiguous-value: no is read by Kubernetes (YAML 1.1) as boolean false",
				"values.yaml:18:18: warning yaml-ambiguous-value: NO is read by Kubernetes (YAML 1.1) as boolean false",
				"values.yaml:18:11: error invalid-object:",
				"values.yaml:26:24: warning yaml-ambiguous-value: 0644 is read by Kubernetes (YAML 1.1) as octal integer 420",
			},
			notOut: []string{"country.yaml"},
		},
		{
			name:     "fail-on none always exits 0 on findings",
			dir:      fixture(t, "lint", "duplicate"),
			args:     []string{"lint", "--fail-on", "none", "."},
			wantCode: 0,
		},
		{
			name:     "disabled rule is not reported",
			dir:      fixture(t, "lint", "duplicate"),
			args:     []string{"lint", "--disable", "duplicate-object", "."},
			wantCode: 0,
			notOut:   []string{"duplicate-object"},
		},
		{
			name:     "unknown format is a usage error",
			dir:      fixture(t, "lint", "clean"),
			args:     []string{"lint", "-f", "xml", "."},
			wantCode: 2,
		},
		{
			name:     "missing path is a load error",
			dir:      fixture(t, "lint", "clean"),
			args:     []string{"lint", "nope.yaml"},
			wantCode: 2,
			wantOut:  []string{"nope.yaml:1:1: error load-error: cannot read"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := kubeplan(t, tc.dir, "", tc.args...)
			if r.code != tc.wantCode {
				t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range tc.notOut {
				if strings.Contains(r.stdout, w) {
					t.Errorf("stdout has %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range tc.wantStderr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
}

func TestLintReadsStdin(t *testing.T) {
	in := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  n: 1\n"
	r := kubeplan(t, t.TempDir(), in, "lint", "-f", "json", "-")
	if r.code != 1 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	var doc struct {
		Findings []struct {
			RuleID   string `json:"ruleId"`
			Location struct {
				Path string `json:"path"`
				Line int    `json:"line"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("bad json: %v\n%s", err, r.stdout)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].RuleID != "invalid-object" || doc.Findings[0].Location.Path != "-" || doc.Findings[0].Location.Line != 6 {
		t.Errorf("findings = %+v", doc.Findings)
	}
}

func TestSuppressionAllFourWays(t *testing.T) {
	dir := fixture(t, "lint", "suppressed")
	// Annotation, comment and config each hide one finding; nothing is left.
	r := kubeplan(t, dir, "", "lint", "--enable", "yaml-ambiguous-value", "--show-suppressed", ".")
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"annotation kubeplan.dev/ignore",
		"comment # kubeplan:ignore",
		"config suppression: port is templated later",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks suppression %q:\n%s", want, r.stdout)
		}
	}
	// SARIF marks them as suppressed rather than dropping them.
	r = kubeplan(t, dir, "", "lint", "--enable", "yaml-ambiguous-value", "-f", "sarif", ".")
	if n := strings.Count(r.stdout, `"suppressions"`); n < 3 {
		t.Errorf("SARIF has %d suppressions, want >= 3:\n%s", n, r.stdout)
	}

	// Baseline: record today's findings, then only new ones count.
	work := writeFiles(t, map[string]string{
		"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  n: 1\n",
	})
	r = kubeplan(t, work, "", "lint", "--write-baseline", "base.json", ".")
	if r.code != 1 {
		t.Fatalf("write-baseline run: exit %d", r.code)
	}
	r = kubeplan(t, work, "", "lint", "--baseline", "base.json", ".")
	if r.code != 0 {
		t.Fatalf("with baseline: exit %d:\n%s", r.code, r.stdout)
	}
	// Lines moving does not matter: the fingerprint has no line number.
	if err := os.WriteFile(filepath.Join(work, "a.yaml"), []byte("# moved\n\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  n: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = kubeplan(t, work, "", "lint", "--baseline", "base.json", ".")
	if r.code != 0 {
		t.Fatalf("with baseline after lines moved: exit %d:\n%s", r.code, r.stdout)
	}
	// A new finding is not in the baseline.
	if err := os.WriteFile(filepath.Join(work, "b.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  n: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = kubeplan(t, work, "", "lint", "--baseline", "base.json", ".")
	if r.code != 1 || !strings.Contains(r.stdout, "b.yaml:6:") {
		t.Fatalf("new finding: exit %d:\n%s", r.code, r.stdout)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".kubeplan.yaml": "rules:\n  disable: [a]\n  sevrity: {}\n",
		"a.yaml":         "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n",
	})
	r := kubeplan(t, dir, "", "lint", ".")
	if r.code != 2 || !strings.Contains(r.stderr, ".kubeplan.yaml:3: unknown key \"sevrity\"") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestContextReportsOnlyGivenFiles(t *testing.T) {
	dir := fixture(t, "lint", "duplicate")
	r := kubeplan(t, dir, "", "lint", "--context", ".", "first.yaml")
	if r.code != 0 || strings.Contains(r.stdout, "second.yaml") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
	r = kubeplan(t, dir, "", "lint", "--context", ".", "second.yaml")
	if r.code != 1 || !strings.Contains(r.stdout, "second.yaml:5:3") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
}

func TestRulesAndExplain(t *testing.T) {
	dir := t.TempDir()
	r := kubeplan(t, dir, "", "rules")
	if r.code != 0 || !strings.Contains(r.stdout, "duplicate-object") {
		t.Errorf("rules: exit %d\n%s", r.code, r.stdout)
	}
	r = kubeplan(t, dir, "", "explain", "duplicate-object")
	if r.code != 0 || !strings.Contains(r.stdout, "Remediation:") {
		t.Errorf("explain: exit %d\n%s", r.code, r.stdout)
	}
	r = kubeplan(t, dir, "", "explain", "duplicate-objekt")
	if r.code != 2 || !strings.Contains(r.stderr, `did you mean "duplicate-object"`) {
		t.Errorf("explain typo: exit %d\n%s", r.code, r.stderr)
	}
}

func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "rule ids complete --disable", args: []string{"__complete", "lint", "--disable", "dup"}, want: "duplicate-object"},
		{name: "rule ids complete explain", args: []string{"__complete", "explain", "yaml-"}, want: "yaml-ambiguous-value"},
		{name: "formats complete -f", args: []string{"__complete", "lint", "-f", ""}, want: "sarif"},
		{name: "subcommands complete", args: []string{"__complete", "who"}, want: "who-can"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := kubeplan(t, dir, "", tc.args...)
			if r.code != 0 || !strings.Contains(r.stdout, tc.want) {
				t.Errorf("exit %d, completions:\n%s", r.code, r.stdout)
			}
		})
	}
	r := kubeplan(t, dir, "", "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "__start_kubeplan") {
		t.Errorf("completion bash: exit %d", r.code)
	}
}

func TestMaxFileSize(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"big.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: \"" + strings.Repeat("x", 2<<20) + "\"\n",
		"good.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n",
	})
	r := kubeplan(t, dir, "", "lint", "--max-file-size", "1", ".")
	if r.code != 2 || !strings.Contains(r.stdout, "big.yaml:1:1: error load-error: file is larger than the 1 MiB limit") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
	if r := kubeplan(t, dir, "", "lint", "."); r.code != 0 {
		t.Errorf("default limit: exit %d:\n%s", r.code, r.stdout)
	}
}
