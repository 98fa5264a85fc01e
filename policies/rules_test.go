package policies

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestBundledRuleFixtures runs each bundled policy over its fixtures in
// testdata/rules/<rule-id>/: positive.yaml must produce a finding of the
// rule, negative.yaml none. kubeplan.yaml holds the policies: section.
func TestBundledRuleFixtures(t *testing.T) {
	pols, err := LibraryPolicies()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pols {
		t.Run(p.Rule.ID, func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join("..", "testdata", "rules", p.Rule.ID))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "kubeplan.yaml"))
			if err != nil {
				t.Fatalf("fixture config: %v", err)
			}
			var cfg struct {
				Policies LibraryConfig `yaml:"policies"`
			}
			if err := yaml.Unmarshal(raw, &cfg); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				file string
				want bool
			}{{file: "positive.yaml", want: true}, {file: "negative.yaml", want: false}} {
				fired := 0
				for _, f := range runAnalyzer(t, dir, Options{Library: cfg.Policies}, tc.file) {
					if f.RuleID == p.Rule.ID {
						fired++
						if f.Location.Line < 1 || f.Location.Path != tc.file {
							t.Errorf("%s: finding without a location: %+v", tc.file, f)
						}
					} else {
						t.Errorf("%s: unexpected finding %v", tc.file, brief([]finding.Finding{f}))
					}
				}
				if (fired > 0) != tc.want {
					t.Errorf("%s: %d findings of %s, want fired=%v", tc.file, fired, p.Rule.ID, tc.want)
				}
			}
		})
	}
}

// TestPolicyErrorFixtures checks testdata/rules/policy-error: a policy whose
// result has no string msg fails for the positive object only.
func TestPolicyErrorFixtures(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "rules", RulePolicyError))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		want []string
	}{
		{file: "positive.yaml", want: []string{`policy-error error positive.yaml:1:1 policy evaluation failed: rule data.main.deny: "msg" field must be present and a string`}},
		{file: "negative.yaml", want: nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := brief(runAnalyzer(t, dir, Options{PolicyPaths: []string{"policy"}}, tc.file))
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
