package policies

import (
	"context"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
)

// AnalyzerName is the name of the policy analyzer and the Source of its
// rules.
const AnalyzerName = "policy"

// Rule IDs the analyzer reports besides the policies' own.
const (
	// RuleLoadError is the core rule for inputs that could not be used; a
	// policy that does not parse or compile is one.
	RuleLoadError = "load-error"
	// RulePolicyError reports a policy that failed while evaluating one
	// object (timeout, conflicting values, a malformed result).
	RulePolicyError = "policy-error"
)

// Analyzer evaluates conftest-style policies, the bundled library and
// Gatekeeper constraints over a cluster model. It satisfies lint.Analyzer.
// Build it with NewAnalyzer; it is safe for concurrent use.
type Analyzer struct {
	opts Options
	env  runEnv
	user *policySet
	// library holds the bundled policies once compiled; use lib().
	library *policySet
	// libraryDone is closed when library is ready, for a library
	// compiled in the background (see NewAnalyzer); nil otherwise.
	libraryDone chan struct{}
	// libraryErr is the background compile's failure, reported by Run.
	libraryErr error
	data       map[string]any
	problems   []Problem
	notes      []string
	// gkExtra are the templates and constraints read from
	// Options.GatekeeperPaths.
	gkExtra []*manifest.Object

	mu        sync.Mutex
	seenRules map[string]finding.Rule
	// runNotes are notes found while running (templates not evaluated).
	runNotes []string
}

// lib returns the bundled policies, waiting for their compile.
func (a *Analyzer) lib() *policySet {
	if a.libraryDone != nil {
		<-a.libraryDone
	}
	return a.library
}

// NewAnalyzer reads and compiles the policies Options name. Problems in the
// policies themselves (parse and compile errors, a refused builtin) do not
// fail it: they are reported by Run as findings of rule load-error. It
// fails only for invalid options: an unknown Rego version, an unreadable
// path, unknown bundled policies or parameters.
func NewAnalyzer(ctx context.Context, opts Options) (*Analyzer, error) {
	if opts.WorkDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("working directory: %w", err)
		}
		opts.WorkDir = wd
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.EvalTimeout == 0 {
		opts.EvalTimeout = DefaultEvalTimeout
	}
	version, auto, err := parseVersion(opts.RegoVersion)
	if err != nil {
		return nil, err
	}
	a := &Analyzer{opts: opts, seenRules: map[string]finding.Rule{}}
	a.env = runEnv{Debug: opts.Debug, debugMu: &sync.Mutex{}, WorkDir: opts.WorkDir, RBAC: opts.RBAC,
		Placement: opts.Placement, Now: opts.Now, Timeout: opts.EvalTimeout}

	if len(opts.PolicyPaths) > 0 {
		files, err := readRegoFiles(opts.PolicyPaths, opts.WorkDir, isRego)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("no policies (*.rego) found in %v", opts.PolicyPaths)
		}
		p := parseFiles(files, version, auto)
		a.notes = append(a.notes, p.Notes...)
		a.problems = append(a.problems, p.Problems...)
		if len(p.Problems) == 0 {
			set, problems, err := newPolicySet(p.Modules, opts.Namespaces, opts.AllNamespaces, "", opts.Debug != nil)
			if err != nil {
				return nil, err
			}
			a.problems = append(a.problems, problems...)
			a.user = set
			if set != nil {
				set.combine = opts.Combine
				a.notes = append(a.notes, set.notes...)
			}
		}
	}
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
		a.data = res.Documents
	}
	if len(opts.Library) == 0 {
		// Nothing to validate against the bundled policies, so they
		// compile in the background while the manifests load (and the
		// compile, which cannot fail on options, is off the path
		// before loading).
		a.libraryDone = make(chan struct{})
		go func() {
			defer close(a.libraryDone)
			a.library, a.libraryErr = newLibrarySet(nil, opts.Debug != nil)
		}()
	} else {
		lib, err := newLibrarySet(opts.Library, opts.Debug != nil)
		if err != nil {
			return nil, err
		}
		a.library = lib
	}
	if len(opts.GatekeeperPaths) > 0 {
		res := manifest.Load(ctx, opts.GatekeeperPaths, manifest.Options{WorkDir: opts.WorkDir})
		for _, e := range res.Errors {
			a.problems = append(a.problems, Problem{Path: e.Path, Line: e.Line, Col: e.Col, Message: e.Msg})
		}
		for _, o := range res.Objects {
			if isTemplate(o) || isConstraint(o) {
				a.gkExtra = append(a.gkExtra, o)
			}
		}
		if len(a.gkExtra) == 0 && len(res.Errors) == 0 {
			return nil, fmt.Errorf("no ConstraintTemplates or Constraints found in %v", opts.GatekeeperPaths)
		}
		gk := buildGatekeeper(a.gkExtra, opts.Debug != nil)
		for _, c := range gk.constraints {
			a.seenRules[c.Rule.ID] = c.Rule
		}
	}
	return a, nil
}

func absPath(wd, p string) string {
	if p == "-" || len(p) > 0 && p[0] == '/' {
		return p
	}
	return wd + string(os.PathSeparator) + p
}

// Name returns "policy".
func (a *Analyzer) Name() string { return AnalyzerName }

// Notes are informational messages about the policies (files read as
// Rego v0 by detection, CEL-only templates not evaluated), for stderr.
// Call it after Run for the notes about templates among the manifests.
func (a *Analyzer) Notes() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := append([]string(nil), a.notes...)
	out = append(out, a.runNotes...)
	sort.Strings(out)
	return out
}

// Rules lists the rules the analyzer can report: policy-error, one per
// conftest rule of the user's policies, one per bundled policy (disabled
// unless configured) and one per Gatekeeper constraint. Constraints found
// among the linted manifests are known only after Run, so call Rules after
// Run to get them too.
func (a *Analyzer) Rules() []finding.Rule {
	rules := []finding.Rule{{
		ID:          RulePolicyError,
		Title:       "Policy failed to evaluate",
		Description: "A Rego policy failed while evaluating an object: it timed out, produced conflicting values, or returned a result without a string msg. The object was not checked by that policy.",
		Remediation: "Fix the policy named in the message; run it with --debug and print() to see its input.",
		Severity:    finding.SeverityError,
		Categories:  []string{finding.CategoryCorrectness},
		Source:      AnalyzerName,
	}}
	lib := a.lib()
	for _, s := range []*policySet{a.user, lib} {
		if s == nil {
			continue
		}
		for _, r := range s.rules {
			rules = append(rules, r.Rule)
		}
	}
	if lib != nil {
		rules = append(rules, lib.disabled...)
	}
	a.mu.Lock()
	for _, id := range sortedKeys(a.seenRules) {
		rules = append(rules, a.seenRules[id])
	}
	a.mu.Unlock()
	return finding.SortRules(dedupeRules(rules))
}

func dedupeRules(rules []finding.Rule) []finding.Rule {
	seen := map[string]bool{}
	out := rules[:0]
	for _, r := range rules {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
}

// Run evaluates every policy over the model and returns the findings,
// sorted; policy problems are findings of rule load-error.
func (a *Analyzer) Run(ctx context.Context, m *cluster.Model) []finding.Finding {
	var out []finding.Finding
	for _, p := range a.problems {
		out = append(out, problemFinding(p))
	}
	if a.lib() == nil && a.libraryErr != nil {
		out = append(out, problemFinding(Problem{Path: "kubeplan:library", Line: 1, Col: 1, Message: a.libraryErr.Error()}))
	}
	r := &run{a: a, model: m}
	out = append(out, r.evaluate(ctx)...)
	finding.Sort(out)
	return out
}

// problemFinding turns a problem into a load-error finding.
func problemFinding(p Problem) finding.Finding {
	line, col := p.Line, p.Col
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return finding.Finding{
		RuleID:   RuleLoadError,
		Severity: finding.SeverityError,
		Message:  p.Message,
		Location: finding.Location{Path: p.Path, Line: line, Col: col},
	}
}

// valueOf converts an object's plain data to a Rego value.
func valueOf(o *cluster.Object) (ast.Value, error) {
	return ast.InterfaceToValue(o.Map())
}
