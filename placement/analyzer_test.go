package placement

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// TestRuleFixtures runs the analyzer over testdata/rules/<id>/positive.yaml
// (the rule must fire) and negative.yaml (it must not).
func TestRuleFixtures(t *testing.T) {
	a := NewAnalyzer(AnalyzerOptions{})
	for _, r := range a.Rules() {
		for _, tc := range []struct {
			name string
			file string
			want bool
		}{
			{name: r.ID + "/fires on positive.yaml", file: "positive.yaml", want: true},
			{name: r.ID + "/silent on negative.yaml", file: "negative.yaml", want: false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				path := filepath.Join(moduleRoot(t), "testdata", "rules", r.ID, tc.file)
				fs := a.Run(context.Background(), loadModel(t, path))
				var got []finding.Finding
				for _, f := range fs {
					if f.RuleID == r.ID {
						got = append(got, f)
					}
				}
				if (len(got) > 0) != tc.want {
					var msgs []string
					for _, f := range fs {
						msgs = append(msgs, f.RuleID+": "+f.Message)
					}
					t.Fatalf("fired=%v, want %v; all findings:\n%s", len(got) > 0, tc.want, strings.Join(msgs, "\n"))
				}
				for _, f := range got {
					if f.Location.Path == "" || f.Location.Line == 0 {
						t.Errorf("finding without location: %+v", f)
					}
				}
			})
		}
	}
}

// TestRulesMetadata checks every rule's metadata like the registry does.
func TestRulesMetadata(t *testing.T) {
	for _, r := range NewAnalyzer(AnalyzerOptions{}).Rules() {
		t.Run(r.ID, func(t *testing.T) {
			if err := r.Validate(); err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(r.Remediation, ".") || r.Source != AnalyzerName || len(r.Categories) == 0 {
				t.Fatalf("incomplete rule: %+v", r)
			}
		})
	}
}

// TestAnalyzerWithoutNodes reports nothing and one note when no node is
// declared.
func TestAnalyzerWithoutNodes(t *testing.T) {
	m := loadYAML(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n")
	a := NewAnalyzer(AnalyzerOptions{})
	if fs := a.Run(context.Background(), m); len(fs) != 0 {
		t.Fatalf("findings without nodes: %v", fs)
	}
	if notes := a.Notes(m); len(notes) != 1 || notes[0] != NoNodesNote {
		t.Fatalf("notes = %q", notes)
	}
}
