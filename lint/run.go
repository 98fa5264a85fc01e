package lint

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"
	"sync"

	"github.com/kubeplan/kubeplan/lint/config"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// Options is everything one lint run needs.
type Options struct {
	// Load says what to read.
	Load LoadOptions
	// ReportOnly, when not empty, restricts the findings reported to these
	// files (paths as the loader prints them, relative to the working
	// directory). The other loaded files still feed cross-object checks.
	ReportOnly []string
	// Analyzers run besides the core analyzer (invalid, duplicate and
	// ambiguous objects).
	Analyzers []Analyzer
	// Config is the loaded .kubeplan.yaml; nil means none.
	Config *config.Config
	// Enable and Disable are rule ids from the command line; they win over
	// the config. "all" means every rule, "source:NAME" every rule of one
	// analyzer (source:rbac, source:placement, ...).
	Enable, Disable []string
	// Baseline hides the findings it knows; nil means none.
	Baseline *finding.Baseline
	// BaselinePath names the baseline in suppression justifications.
	BaselinePath string
	// Progress, when set, is told when each stage starts: "loading",
	// then "analyzing N objects from M files". It must be cheap.
	Progress func(stage string)
}

// Noter is implemented by analyzers that have something to tell the user
// besides findings (for example "no nodes given, placement skipped").
// Notes is called after Run.
type Noter interface {
	Notes() []string
}

// Report is the outcome of a run: the result for reporters and the loaded
// input for snippets and exit codes.
type Report struct {
	Result *finding.Result
	Loaded *Loaded
}

// LoadFailed reports whether any input could not be loaded (exit code 2).
func (r *Report) LoadFailed() bool { return hasLoadError(r.Result.Findings) }

// Run loads the input, runs every analyzer, applies rule selection,
// severity overrides and suppressions, and returns the sorted result.
func Run(ctx context.Context, opts Options) *Report {
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	progress("loading")
	loaded := Load(ctx, opts.Load)
	progress(fmt.Sprintf("analyzing %d objects from %d files", len(loaded.Manifest.Objects), len(loaded.Manifest.Files)))
	res := &finding.Result{Findings: []finding.Finding{}, Rules: []finding.Rule{}}
	analyzers := append([]Analyzer{coreAnalyzer{}}, opts.Analyzers...)

	// An analyzer none of whose rules can be enabled is not run at all
	// (kubeplan lint --disable all --enable source:rbac runs only RBAC).
	pre := newSelection(opts)
	slots := make([][]finding.Finding, len(analyzers))
	notes := make([][]string, len(analyzers))
	var wg sync.WaitGroup
	for i, a := range analyzers {
		if i > 0 && pre.sourceOff(a.Name(), a.Rules()) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					slots[i] = []finding.Finding{{RuleID: RuleLoadError, Severity: finding.SeverityError,
						Message:  fmt.Sprintf("internal error in the %s analyzer: %v; its findings are missing. Please report this with the input.\n%s", a.Name(), r, debug.Stack()),
						Location: finding.Location{Path: ".", Line: 1, Col: 1}}}
				}
			}()
			slots[i] = a.Run(ctx, loaded.Model)
			if n, ok := a.(Noter); ok {
				notes[i] = n.Notes()
			}
		}()
	}
	wg.Wait()

	// Rules are collected after Run: some analyzers learn rules from the
	// input (Gatekeeper constraints among the manifests).
	sel := newSelection(opts)
	seen := map[string]string{}
	for _, a := range analyzers {
		for _, r := range a.Rules() {
			if owner, dup := seen[r.ID]; dup {
				if owner != a.Name() {
					res.Notifications = append(res.Notifications, finding.Notification{Level: finding.SeverityWarning,
						Message: fmt.Sprintf("rule %s is defined by both %s and %s; keeping the first", r.ID, owner, a.Name())})
				}
				continue
			}
			seen[r.ID] = a.Name()
			if sev, ok := sel.severity[r.ID]; ok {
				r.Severity = sev
			}
			if sel.enabled(r) {
				res.Rules = append(res.Rules, r)
			}
		}
	}
	finding.SortRules(res.Rules)
	enabled := make(map[string]bool, len(res.Rules))
	for _, r := range res.Rules {
		enabled[r.ID] = true
	}

	total := len(loaded.LoadErrors)
	for _, s := range slots {
		total += len(s)
	}
	all := make([]finding.Finding, 0, total)
	all = append(all, loaded.LoadErrors...)
	for _, s := range slots {
		all = append(all, s...)
	}
	res.Findings = make([]finding.Finding, 0, total)
	only := map[string]bool{}
	for _, p := range opts.ReportOnly {
		only[p] = true
	}
	sup := newSuppressor(loaded, opts)
	for _, f := range all {
		if !enabled[f.RuleID] && f.RuleID != RuleLoadError {
			continue
		}
		if len(only) > 0 && !only[f.Location.Path] {
			continue
		}
		if sev, ok := sel.severity[f.RuleID]; ok {
			f.Severity = sev
		}
		if f.Location.Line < 1 {
			f.Location.Line = 1
		}
		if f.Location.Col < 1 {
			f.Location.Col = 1
		}
		if f.Fingerprint == "" {
			f.Fingerprint = f.ComputeFingerprint()
		}
		f.Suppressed = sup.suppression(f)
		res.Findings = append(res.Findings, f)
	}
	if !enabled[RuleLoadError] && hasLoadError(res.Findings) {
		// load-error cannot be turned off: list it so every finding has its rule.
		for _, r := range coreRules() {
			if r.ID == RuleLoadError {
				res.Rules = finding.SortRules(append(res.Rules, r))
			}
		}
	}
	finding.Sort(res.Findings)
	for _, f := range loaded.LoadErrors {
		res.Notifications = append(res.Notifications, finding.Notification{Level: finding.SeverityError, Message: f.Message, Location: f.Location})
	}
	res.Notes = append(res.Notes, loaded.Manifest.Notes...)
	for _, n := range notes {
		res.Notes = append(res.Notes, n...)
	}
	sort.Strings(res.Notes)
	return &Report{Result: res, Loaded: loaded}
}

// selection decides which rules run and at what severity.
type selection struct {
	cfgEnable, cfgDisable, flagEnable, flagDisable map[string]bool
	severity                                       map[string]finding.Severity
}

func newSelection(opts Options) *selection {
	set := func(ids []string) map[string]bool {
		m := map[string]bool{}
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	s := &selection{flagEnable: set(opts.Enable), flagDisable: set(opts.Disable), severity: map[string]finding.Severity{}}
	if c := opts.Config; c != nil {
		s.cfgEnable, s.cfgDisable = set(c.Rules.Enable), set(c.Rules.Disable)
		for id, v := range c.Rules.Severity {
			if sev, err := finding.ParseSeverity(v); err == nil {
				s.severity[id] = sev
			}
		}
	} else {
		s.cfgEnable, s.cfgDisable = map[string]bool{}, map[string]bool{}
	}
	return s
}

// sourceOff reports whether an analyzer can be skipped: every rule it lists
// is disabled, and its whole source is disabled (so rules it learns while
// running, such as Gatekeeper constraints, would be disabled too).
func (s *selection) sourceOff(source string, rules []finding.Rule) bool {
	for _, r := range rules {
		if s.enabled(r) {
			return false
		}
	}
	return !s.enabled(finding.Rule{ID: "\x00", Source: source})
}

// enabled applies, from weakest to strongest: the rule's default, the
// config's "all", its "source:X", its ids, then the same three of the flags.
func (s *selection) enabled(r finding.Rule) bool {
	on := !r.Disabled
	src := "source:" + r.Source
	layer := func(enable, disable map[string]bool) {
		if disable["all"] {
			on = false
		}
		if enable["all"] {
			on = true
		}
		if disable[src] {
			on = false
		}
		if enable[src] {
			on = true
		}
		if disable[r.ID] {
			on = false
		}
		if enable[r.ID] {
			on = true
		}
	}
	layer(s.cfgEnable, s.cfgDisable)
	layer(s.flagEnable, s.flagDisable)
	return on
}

func hasLoadError(fs []finding.Finding) bool {
	for _, f := range fs {
		if f.RuleID == RuleLoadError {
			return true
		}
	}
	return false
}
