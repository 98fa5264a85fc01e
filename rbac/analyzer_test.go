package rbac

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

func TestAnalyzerRulesAreComplete(t *testing.T) {
	a := NewAnalyzer(AnalyzerOptions{})
	seen := map[string]bool{}
	root := moduleRoot(t)
	for _, r := range a.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			if err := r.Validate(); err != nil {
				t.Error(err)
			}
			if seen[r.ID] {
				t.Errorf("duplicate rule id")
			}
			seen[r.ID] = true
			if !strings.HasPrefix(r.ID, "rbac-") {
				t.Errorf("rule id should start with rbac-")
			}
			if !strings.HasSuffix(r.Remediation, ".") || !strings.HasSuffix(r.Description, ".") {
				t.Errorf("description and remediation must end with a period")
			}
			if r.Source != "rbac" || len(r.Categories) == 0 {
				t.Errorf("source %q categories %v", r.Source, r.Categories)
			}
			if has(r.Categories, finding.CategorySecurity) && r.SecuritySeverity == "" {
				t.Errorf("security rule without security severity")
			}
			for _, f := range []string{"positive.yaml", "negative.yaml"} {
				if _, err := os.Stat(filepath.Join(root, "testdata", "rules", r.ID, f)); err != nil {
					t.Errorf("missing fixture: %v", err)
				}
			}
		})
	}
}

// TestAnalyzerFixtures runs the analyzer (without the default policy) over
// each rule's positive fixture, which must fire the rule, and its negative
// fixture, which must not.
func TestAnalyzerFixtures(t *testing.T) {
	a := NewAnalyzer(AnalyzerOptions{})
	root := moduleRoot(t)
	known := map[string]bool{}
	for _, r := range a.Rules() {
		known[r.ID] = true
	}
	for _, r := range a.Rules() {
		for _, tc := range []struct {
			name string
			file string
			want bool
		}{
			{name: "fires on positive fixture", file: "positive.yaml", want: true},
			{name: "stays quiet on negative fixture", file: "negative.yaml", want: false},
		} {
			t.Run(r.ID+"/"+tc.name, func(t *testing.T) {
				m := loadModel(t, filepath.Join(root, "testdata", "rules", r.ID, tc.file))
				fs := a.Run(context.Background(), m)
				got := false
				for _, f := range fs {
					if !known[f.RuleID] {
						t.Errorf("finding of unlisted rule %s", f.RuleID)
					}
					if f.RuleID == r.ID {
						got = true
						if f.Location.Line == 0 {
							t.Errorf("finding without a line: %+v", f)
						}
					}
				}
				if got != tc.want {
					t.Errorf("rule %s fired=%v, want %v; findings: %v", r.ID, got, tc.want, summarize(fs))
				}
			})
		}
	}
}

func summarize(fs []finding.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID+": "+f.Message)
	}
	return strings.Join(out, "\n")
}
