package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		wantErr string
		check   func(t *testing.T, c *Config)
	}{
		{
			name:  "empty file is an empty config",
			input: "",
			check: func(t *testing.T, c *Config) {
				if c.Namespace != "" || len(c.Suppressions) != 0 {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "every section is read",
			input: `namespace: prod
failOn: warning
rules:
  enable: [a]
  disable: [b]
  severity: {c: note}
suppressions:
- rule: d
  paths: ["legacy/**"]
  namespaces: [kube-system]
  reason: old
nodes: [nodes.yaml]
policies:
  paths: [policy]
  library:
    allowed-registries: {registries: [registry.example.com]}
`,
			check: func(t *testing.T, c *Config) {
				if c.Namespace != "prod" || c.FailOn != "warning" || c.Rules.Severity["c"] != "note" ||
					len(c.Suppressions) != 1 || c.Suppressions[0].Reason != "old" || c.Nodes[0] != "nodes.yaml" ||
					c.Policies.Library["allowed-registries"]["registries"] == nil {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name:    "unknown key names its line",
			input:   "namespace: a\nrulez: {}\n",
			wantErr: `.kubeplan.yaml:2: unknown key "rulez"`,
		},
		{
			name:    "unknown nested key names its line",
			input:   "rules:\n  disable: [a]\n  sevrity: {}\n",
			wantErr: `.kubeplan.yaml:3: unknown key "sevrity"`,
		},
		{
			name:    "bad severity is refused",
			input:   "rules:\n  severity:\n    a: loud\n",
			wantErr: `.kubeplan.yaml:3: rules.severity.a: want error, warning or note`,
		},
		{
			name:    "bad failOn is refused",
			input:   "failOn: sometimes\n",
			wantErr: `.kubeplan.yaml:1: failOn`,
		},
		{
			name:    "wrong type is refused with its line",
			input:   "namespace: [a]\n",
			wantErr: `.kubeplan.yaml:1:`,
		},
		{
			name:    "a suppression that matches everything is refused",
			input:   "suppressions:\n- reason: all of it\n",
			wantErr: `suppressions[0]: give at least one of rule, rules, paths, namespaces, kinds, names`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(".kubeplan.yaml", []byte(tc.input))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

func TestFindWalksUp(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(root, ".kubeplan.yaml")
	if err := os.WriteFile(cfg, []byte("namespace: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != cfg {
		t.Errorf("Find = %q, want %q", got, cfg)
	}
	c, err := Load(cfg)
	if err != nil || c.Namespace != "x" || c.Resolve("n.yaml") != filepath.Join(root, "n.yaml") {
		t.Errorf("Load = %+v, %v", c, err)
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{pattern: "legacy/**", path: "legacy/a/b.yaml", want: true},
		{pattern: "legacy/**", path: "new/legacy/b.yaml", want: false},
		{pattern: "**/test/*.yaml", path: "a/b/test/c.yaml", want: true},
		{pattern: "**/test/*.yaml", path: "test/c.yaml", want: true},
		{pattern: "*.yaml", path: "deep/dir/x.yaml", want: true},
		{pattern: "deploy/*.yaml", path: "deploy/sub/x.yaml", want: false},
		{pattern: "deploy", path: "deploy/sub/x.yaml", want: true},
		{pattern: "./deploy/x.yaml", path: "deploy/x.yaml", want: true},
		{pattern: "a?.yaml", path: "ab.yaml", want: true},
		{pattern: "a?.yaml", path: "a/.yaml", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+" "+tc.path, func(t *testing.T) {
			g, err := CompileGlob(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := g.Match(tc.path); got != tc.want {
				t.Errorf("Match = %v, want %v", got, tc.want)
			}
		})
	}
}
