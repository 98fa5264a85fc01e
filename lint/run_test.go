package lint

import (
	"context"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"

	"github.com/kubeplan/kubeplan/lint/config"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

func writeTree(t *testing.T, files map[string]string) string { return testutil.TempTree(t, files) }

func runIn(t *testing.T, dir string, opts Options) *Report {
	t.Helper()
	opts.Load.Paths = []string{"."}
	opts.Load.Manifest = manifest.Options{WorkDir: dir}
	return Run(context.Background(), opts)
}

// brief renders findings as "path:line:col rule" for comparison.
func brief(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		s := f.Location.Path + ":" + itoa(f.Location.Line) + ":" + itoa(f.Location.Col) + " " + f.RuleID
		if f.Suppressed != nil {
			s += " (suppressed)"
		}
		out = append(out, s)
	}
	return out
}

func itoa(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10)))
}

func TestCoreRules(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "unknown field is reported at its key",
			files: map[string]string{"a.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  portz: []\n"},
			want:  []string{"a.yaml:006:003 invalid-object"},
		},
		{
			name:  "missing name is reported at metadata",
			files: map[string]string{"a.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  labels: {}\n"},
			want:  []string{"a.yaml:003:001 invalid-object"},
		},
		{
			name:  "generateName stands in for a name",
			files: map[string]string{"a.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: j-\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: b}]\n"},
			want:  nil,
		},
		{
			name: "duplicate across files is reported at the later one",
			files: map[string]string{
				"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
				"b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n",
			},
			want: []string{"b.yaml:004:003 duplicate-object"},
		},
		{
			name: "same name in different namespaces or kinds is not a duplicate",
			files: map[string]string{
				"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: xa\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ya\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: c\n  namespace: xa\n",
			},
			want: nil,
		},
		{
			name: "cluster-scoped duplicates ignore metadata.namespace",
			files: map[string]string{
				"a.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n  namespace: other\n",
			},
			want: []string{"a.yaml:009:003 duplicate-object"},
		},
		{
			name: "duplicate inside a List",
			files: map[string]string{
				"a.yaml": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n",
			},
			want: []string{"a.yaml:009:014 duplicate-object"},
		},
		{
			name:  "ambiguous scalar is reported at the value",
			files: map[string]string{"a.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: yes\n  containers: [{name: a, image: b}]\n"},
			want:  []string{"a.yaml:006:016 yaml-ambiguous-value"},
		},
		{
			name:  "bad YAML is a load error and the other file still loads",
			files: map[string]string{"a.yaml": "a: [\n", "b.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  portz: []\n"},
			want:  []string{"a.yaml:002:001 load-error", "b.yaml:006:003 invalid-object"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := runIn(t, writeTree(t, tc.files), Options{})
			got := brief(rep.Result.Findings)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestRuleSelection(t *testing.T) {
	r := finding.Rule{ID: "x"}
	off := finding.Rule{ID: "y", Disabled: true}
	tests := []struct {
		name    string
		opts    Options
		rule    finding.Rule
		enabled bool
	}{
		{name: "default on", rule: r, enabled: true},
		{name: "default off", rule: off, enabled: false},
		{name: "config disables", opts: Options{Config: &config.Config{Rules: config.Rules{Disable: []string{"x"}}}}, rule: r, enabled: false},
		{name: "flag enables over config disable", opts: Options{Config: &config.Config{Rules: config.Rules{Disable: []string{"x"}}}, Enable: []string{"x"}}, rule: r, enabled: true},
		{name: "config all off then one on", opts: Options{Config: &config.Config{Rules: config.Rules{Disable: []string{"all"}, Enable: []string{"x"}}}}, rule: r, enabled: true},
		{name: "flag enable all turns on default-off rules", opts: Options{Enable: []string{"all"}}, rule: off, enabled: true},
		{name: "source selects an analyzer's rules", opts: Options{Disable: []string{"all"}, Enable: []string{"source:rbac"}}, rule: finding.Rule{ID: "z", Source: "rbac"}, enabled: true},
		{name: "source leaves other analyzers off", opts: Options{Disable: []string{"all"}, Enable: []string{"source:rbac"}}, rule: r, enabled: false},
		{name: "flag disable beats config enable", opts: Options{Config: &config.Config{Rules: config.Rules{Enable: []string{"y"}}}, Disable: []string{"y"}}, rule: off, enabled: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := newSelection(tc.opts).enabled(tc.rule); got != tc.enabled {
				t.Errorf("enabled = %v, want %v", got, tc.enabled)
			}
		})
	}
}

func TestOutputIndependentOfGOMAXPROCS(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 40; i++ {
		files[filepath.Join("d", string(rune('a'+i%26))+itoa(i)+".yaml")] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\ndata:\n  n: 1\n  flag: on\n"
	}
	dir := writeTree(t, files)
	var first []string
	for _, procs := range []int{1, 2, 8} {
		old := runtime.GOMAXPROCS(procs)
		got := brief(runIn(t, dir, Options{}).Result.Findings)
		runtime.GOMAXPROCS(old)
		if first == nil {
			first = got
			continue
		}
		if !reflect.DeepEqual(got, first) {
			t.Fatalf("GOMAXPROCS=%d changed the findings", procs)
		}
	}
}

func TestDisabledSourcesAreNotRun(t *testing.T) {
	sel := newSelection(Options{Disable: []string{"all"}, Enable: []string{"source:rbac"}})
	if !sel.sourceOff("rules", []finding.Rule{{ID: "a", Source: "rules"}}) {
		t.Error("the rules analyzer runs although every rule is off")
	}
	if sel.sourceOff("rbac", []finding.Rule{{ID: "b", Source: "rbac"}}) {
		t.Error("the rbac analyzer is skipped although its source is on")
	}
	one := newSelection(Options{Disable: []string{"source:rules"}, Enable: []string{"a"}})
	if one.sourceOff("rules", []finding.Rule{{ID: "a", Source: "rules"}}) {
		t.Error("an analyzer with one enabled rule is skipped")
	}
	if newSelection(Options{}).sourceOff("policy", nil) {
		t.Error("an analyzer that learns its rules while running is skipped by default")
	}
}
