package policies

import (
	"context"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestOptions configures RunRegoTests.
type TestOptions struct {
	// DataPaths are JSON/YAML files merged into data, as with Options.
	DataPaths []string
	// RegoVersion is RegoVersionAuto, RegoVersionV1 or RegoVersionV0.
	RegoVersion string
	// Run, when set, is a regular expression selecting tests by name
	// (opa test --run).
	Run string
	// WorkDir is the directory paths are relative to; "" means the
	// process working directory.
	WorkDir string
	// RBAC and Placement answer the kubeplan builtins, as in Options.
	RBAC      RBAC
	Placement Placement
	// Timeout bounds each test; 0 means DefaultEvalTimeout.
	Timeout time.Duration
}

// TestResult is the outcome of one Rego test rule.
type TestResult struct {
	// Name is the test's full name, "data.main.test_deny_privileged".
	Name string `json:"name"`
	// Path, Line locate the test rule.
	Path string `json:"path"`
	Line int    `json:"line"`
	// Outcome is "pass", "fail", "error" or "skip".
	Outcome string `json:"outcome"`
	// Error is the evaluation error for outcome "error".
	Error string `json:"error,omitempty"`
	// Output is what the test printed with print().
	Output string `json:"output,omitempty"`
}

// TestReport is everything RunRegoTests found.
type TestReport struct {
	Results []TestResult `json:"results"`
	// Problems are files that did not parse or compile; when any is
	// present no test ran.
	Problems []Problem `json:"problems,omitempty"`
	// Notes name files read as Rego v0 by detection.
	Notes []string `json:"notes,omitempty"`
}

// Failed reports whether any test failed or errored, or a file did not
// compile.
func (r *TestReport) Failed() bool {
	if len(r.Problems) > 0 {
		return true
	}
	for _, t := range r.Results {
		if t.Outcome == "fail" || t.Outcome == "error" {
			return true
		}
	}
	return false
}

// RunRegoTests runs the test_* rules of the *.rego files under paths (the
// policies and their *_test.rego files together), like `opa test` and
// `conftest verify`, with kubeplan's sandbox and builtins.
func RunRegoTests(ctx context.Context, paths []string, opts TestOptions) (*TestReport, error) {
	if opts.WorkDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("working directory: %w", err)
		}
		opts.WorkDir = wd
	}
	files, err := readRegoFiles(paths, opts.WorkDir, isRego)
	if err != nil {
		return nil, err
	}
	var data map[string]any
	if len(opts.DataPaths) > 0 {
		abs := make([]string, len(opts.DataPaths))
		for i, p := range opts.DataPaths {
			abs[i] = absPath(opts.WorkDir, p)
		}
		res, err := loader.NewFileLoader().Filtered(abs, func(_ string, info os.FileInfo, _ int) bool {
			return !info.IsDir() && !isData(info.Name())
		})
		if err != nil {
			return nil, fmt.Errorf("loading data: %w", err)
		}
		data = res.Documents
	}
	return runTests(ctx, files, data, opts)
}

func runTests(ctx context.Context, files []regoFile, data map[string]any, opts TestOptions) (*TestReport, error) {
	version, auto, err := parseVersion(opts.RegoVersion)
	if err != nil {
		return nil, err
	}
	p := parseFiles(files, version, auto)
	rep := &TestReport{Problems: p.Problems, Notes: p.Notes}
	if len(p.Problems) > 0 {
		return rep, nil
	}
	all := map[string]any{}
	for k, v := range data {
		all[k] = v
	}
	if _, ok := all["kubeplan"]; !ok {
		all["kubeplan"] = map[string]any{
			"inventory":         map[string]any{"cluster": map[string]any{}, "namespace": map[string]any{}},
			"params":            map[string]any{},
			"default_namespace": "default",
		}
	}
	store := newStore(all)
	txn, err := store.NewTransaction(ctx, storage.TransactionParams{})
	if err != nil {
		return nil, fmt.Errorf("policy test store: %w", err)
	}
	defer store.Abort(ctx, txn)
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultEvalTimeout
	}
	runner := tester.NewRunner().
		SetCompiler(ast.NewCompiler().WithCapabilities(capabilities()).WithEnablePrintStatements(true)).
		SetStore(store).
		AddCustomBuiltins(builtinImpls(opts.RBAC, opts.Placement)).
		CapturePrintOutput(true).
		SetTimeout(timeout).
		SetModules(p.Modules).
		Filter(opts.Run)
	ch, err := runner.RunTests(ctx, txn)
	if err != nil {
		rep.Problems = append(rep.Problems, problemsFromAST(err, "")...)
		return rep, nil
	}
	for r := range ch {
		t := TestResult{Name: r.Package + "." + r.Name, Output: string(r.Output)}
		if r.Location != nil {
			t.Path, t.Line = r.Location.File, r.Location.Row
		}
		switch {
		case r.Skip:
			t.Outcome = "skip"
		case r.Error != nil:
			t.Outcome, t.Error = "error", r.Error.Error()
		case r.Fail:
			t.Outcome = "fail"
		default:
			t.Outcome = "pass"
		}
		rep.Results = append(rep.Results, t)
	}
	sort.SliceStable(rep.Results, func(i, j int) bool {
		a, b := rep.Results[i], rep.Results[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Name < b.Name
	})
	return rep, nil
}

// RunLibraryTests runs the bundled policies' *_test.rego files.
func RunLibraryTests(ctx context.Context) (*TestReport, error) {
	return runTests(ctx, libraryTestFiles(), nil, TestOptions{RegoVersion: RegoVersionV1})
}
