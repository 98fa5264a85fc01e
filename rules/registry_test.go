package rules

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// TestRegistry checks every rule's metadata: unique IDs that match the
// project's pattern, a title, a description, a remediation ending with a
// period, a severity, known categories, a security severity exactly on
// security rules, one check function, and Source "rules".
func TestRegistry(t *testing.T) {
	known := map[string]bool{finding.CategorySecurity: true, finding.CategoryReliability: true, finding.CategoryEfficiency: true, finding.CategoryCorrectness: true}
	seen := map[string]bool{}
	for _, r := range catalog() {
		t.Run(r.Meta.ID, func(t *testing.T) {
			m := r.Meta
			if err := m.Validate(); err != nil {
				t.Error(err)
			}
			if seen[m.ID] {
				t.Errorf("duplicate rule id %s", m.ID)
			}
			seen[m.ID] = true
			if !strings.HasSuffix(m.Remediation, ".") || !strings.HasSuffix(m.Description, ".") {
				t.Errorf("description and remediation must end with a period: %q / %q", m.Description, m.Remediation)
			}
			if len(m.Categories) == 0 {
				t.Error("no category")
			}
			security := false
			for _, c := range m.Categories {
				if !known[c] {
					t.Errorf("unknown category %q", c)
				}
				security = security || c == finding.CategorySecurity
			}
			if security != (m.SecuritySeverity != "") {
				t.Errorf("security rules (and only they) need a security severity: categories %v, security severity %q", m.Categories, m.SecuritySeverity)
			}
			if m.Source != AnalyzerName {
				t.Errorf("source %q, want %q", m.Source, AnalyzerName)
			}
			n := 0
			for _, f := range []bool{r.Workload != nil, r.Object != nil, r.Model != nil} {
				if f {
					n++
				}
			}
			if n != 1 {
				t.Errorf("rule has %d check functions, want 1", n)
			}
		})
	}
	if rs := NewAnalyzer(Options{}).Rules(); len(rs) != len(catalog())+1 {
		t.Errorf("Rules() lists %d rules, want %d", len(rs), len(catalog())+1)
	}
}

// TestFixtures runs the analyzer over testdata/rules/<id>/positive.yaml,
// which must fire the rule, and negative.yaml, which must not.
func TestFixtures(t *testing.T) {
	root := filepath.Join(moduleRoot(t), "testdata", "rules")
	a := NewAnalyzer(Options{})
	for _, r := range catalog() {
		id := r.Meta.ID
		for _, tc := range []struct {
			file string
			fire bool
		}{{file: "positive.yaml", fire: true}, {file: "negative.yaml", fire: false}} {
			t.Run(id+"/"+tc.file, func(t *testing.T) {
				rel := filepath.Join(id, tc.file)
				if _, err := os.Stat(filepath.Join(root, rel)); err != nil {
					t.Fatalf("missing fixture testdata/rules/%s", rel)
				}
				m := loadModel(t, root, rel)
				got := withRule(a.Run(context.Background(), m), id)
				if tc.fire && len(got) == 0 {
					t.Errorf("%s does not fire %s", rel, id)
				}
				if !tc.fire && len(got) > 0 {
					t.Errorf("%s fires %s: %s at %s:%d", rel, id, got[0].Message, got[0].Location.Path, got[0].Location.Line)
				}
				for _, f := range got {
					if f.Location.Line == 0 || f.Object.IsZero() {
						t.Errorf("finding not located on an object: %+v", f)
					}
				}
			})
		}
	}
}

// TestRunIsDeterministic pins byte-identical results whatever the worker
// count: rules write into their own slots and findings are sorted.
func TestRunIsDeterministic(t *testing.T) {
	root := filepath.Join(moduleRoot(t), "testdata", "rules")
	m := loadModel(t, root, ".")
	want := NewAnalyzer(Options{Workers: 1}).Run(context.Background(), m)
	for _, workers := range []int{2, 8} {
		got := NewAnalyzer(Options{Workers: workers}).Run(context.Background(), m)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("workers=%d: results differ from workers=1", workers)
		}
	}
}

func TestInvalidOptionsAreReported(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{name: "unparsable kube version", opts: Options{KubeVersion: "next"}, want: "--kube-version"},
		{name: "unparsable pss version", opts: Options{PSSVersion: "1.30"}, want: "--pss-version"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := withRule(NewAnalyzer(tc.opts).Run(context.Background(), loadYAML(t, "")), "invalid-option")
			if len(fs) != 1 || !strings.Contains(fs[0].Message, tc.want) {
				t.Errorf("got %+v, want one invalid-option finding mentioning %s", fs, tc.want)
			}
		})
	}
}
