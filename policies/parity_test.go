package policies

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// conftestResult is one entry of `conftest test -o json`.
type conftestResult struct {
	Filename  string `json:"filename"`
	Namespace string `json:"namespace"`
	Failures  []struct {
		Msg string `json:"msg"`
	} `json:"failures"`
	Warnings []struct {
		Msg string `json:"msg"`
	} `json:"warnings"`
}

// parityKey groups messages as conftest does: per file and namespace.
type parityKey struct{ File, Namespace, Kind string }

// optionsFromArgs reads the conftest flags a case uses.
func optionsFromArgs(t *testing.T, args string) Options {
	t.Helper()
	opts := Options{PolicyPaths: []string{"policy"}}
	fields := strings.Fields(args)
	for i := 0; i < len(fields); i++ {
		switch fields[i] {
		case "--namespace":
			i++
			opts.Namespaces = strings.Split(fields[i], ",")
		case "--all-namespaces":
			opts.AllNamespaces = true
		case "--combine":
			opts.Combine = true
		case "--rego-version":
			i++
			opts.RegoVersion = fields[i]
		case "--data":
			i++
			opts.DataPaths = append(opts.DataPaths, fields[i])
		default:
			t.Fatalf("args: unsupported conftest flag %q", fields[i])
		}
	}
	return opts
}

// TestConftestParity runs each case of testdata/policies/conftest and
// compares kubeplan's findings with the output real conftest produced for
// the same policies, manifests and flags.
func TestConftestParity(t *testing.T) {
	root := filepath.Join("..", "testdata", "policies", "conftest")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join(root, d.Name()))
			if err != nil {
				t.Fatal(err)
			}
			args, err := os.ReadFile(filepath.Join(dir, "args"))
			if err != nil {
				t.Fatal(err)
			}
			opts := optionsFromArgs(t, string(args))
			got := map[parityKey][]string{}
			for _, f := range runAnalyzer(t, dir, opts, "manifests") {
				if f.RuleID == RuleLoadError || f.RuleID == RulePolicyError {
					t.Fatalf("unexpected problem: %s", brief([]finding.Finding{f}))
				}
				file := f.Location.Path
				if opts.Combine {
					file = "Combined"
				}
				ns := f.RuleID[:strings.LastIndex(f.RuleID, ".")]
				kind := "failure"
				if f.Severity == finding.SeverityWarning {
					kind = "warning"
				}
				k := parityKey{File: file, Namespace: ns, Kind: kind}
				got[k] = append(got[k], f.Message)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
			if err != nil {
				t.Skipf("no expected.json (generate it with conftest, see README.md): %v", err)
			}
			var exp []conftestResult
			if err := json.Unmarshal(raw, &exp); err != nil {
				t.Fatal(err)
			}
			want := map[parityKey][]string{}
			for _, r := range exp {
				for _, f := range r.Failures {
					k := parityKey{File: r.Filename, Namespace: r.Namespace, Kind: "failure"}
					want[k] = append(want[k], f.Msg)
				}
				for _, w := range r.Warnings {
					k := parityKey{File: r.Filename, Namespace: r.Namespace, Kind: "warning"}
					want[k] = append(want[k], w.Msg)
				}
			}
			for _, m := range []map[parityKey][]string{got, want} {
				for k := range m {
					sort.Strings(m[k])
				}
			}
			for k, w := range want {
				if g := got[k]; strings.Join(g, "\n") != strings.Join(w, "\n") {
					t.Errorf("%v:\n got  %q\n want %q", k, g, w)
				}
			}
			for k, g := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%v: got %q, conftest reported nothing", k, g)
				}
			}
		})
	}
}
