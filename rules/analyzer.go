// Package rules is kubeplan's built-in rule catalog: single-object checks
// (images, probes, resources, security context, host access), cross-object
// checks that only a whole-model tool can make (Services without pods,
// dangling references, PodDisruptionBudgets that block every drain),
// controller semantics, Pod Security Standards and deprecated APIs.
//
// Every rule is a finding.Rule plus one check function, registered once in
// catalog. The Analyzer runs the rules over a cluster.Model in parallel;
// each rule writes into its own slot, so the hot path takes no locks, and
// findings are sorted before they are returned.
package rules

import (
	"context"
	"runtime"
	"sync"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// AnalyzerName is the name of the analyzer and the Source of its rules.
const AnalyzerName = "rules"

// Options tunes the catalog. The zero value is ready to use.
type Options struct {
	// KubeVersion is the Kubernetes version the manifests target, as
	// "1.29" or "v1.29.3"; "" means the latest stable release
	// (deprecation.LatestStable). It decides which apiVersions are
	// deprecated or removed.
	KubeVersion string
	// PSSVersion is the Pod Security Standards version used for
	// namespaces that do not pin one with a -version label: "latest" or
	// "v1.x"; "" means "latest".
	PSSVersion string
	// StrictRefs reports references to ConfigMaps, Secrets,
	// PersistentVolumeClaims, ServiceAccounts and PriorityClasses that the
	// input does not define even when the input holds no object of that
	// kind.
	StrictRefs bool
	// Workers bounds parallel rule evaluation; 0 means GOMAXPROCS.
	Workers int
}

// Analyzer runs the rule catalog. It satisfies lint.Analyzer.
type Analyzer struct {
	opts  Options
	rules []Rule
	// setupErr is a problem with Options (an unparsable version); it is
	// reported as a finding of rule "invalid-option" on every run.
	setupErr error
	env      *env
}

// NewAnalyzer builds the catalog for opts. Invalid options do not fail
// construction: Run reports them as a finding of rule "invalid-option" and
// falls back to the defaults.
func NewAnalyzer(opts Options) *Analyzer {
	e, err := newEnv(opts)
	return &Analyzer{opts: opts, rules: catalog(), setupErr: err, env: e}
}

// Name returns "rules".
func (a *Analyzer) Name() string { return AnalyzerName }

// Rules returns the metadata of every rule in the catalog, sorted by ID.
func (a *Analyzer) Rules() []finding.Rule {
	out := make([]finding.Rule, 0, len(a.rules)+1)
	for _, r := range a.rules {
		out = append(out, r.Meta)
	}
	out = append(out, optionRule())
	return finding.SortRules(out)
}

// Run evaluates every rule over the model and returns the findings, sorted
// with finding.Sort. Run is safe for concurrent use.
func (a *Analyzer) Run(ctx context.Context, m *cluster.Model) []finding.Finding {
	c := newContext(m, a.env, a.opts)
	slots := make([][]finding.Finding, len(a.rules))
	workers := a.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				slots[i] = runRule(ctx, c, &a.rules[i])
			}
		}()
	}
feed:
	for i := range a.rules {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	var out []finding.Finding
	if a.setupErr != nil {
		out = append(out, finding.Finding{RuleID: optionRule().ID, Severity: optionRule().Severity, Message: a.setupErr.Error()})
	}
	for _, s := range slots {
		out = append(out, s...)
	}
	finding.Sort(out)
	return out
}

// optionRule reports options the catalog could not use.
func optionRule() finding.Rule {
	return finding.Rule{
		ID:          "invalid-option",
		Title:       "Rule catalog option not understood",
		Description: "A --kube-version or --pss-version value could not be parsed, so the catalog fell back to its default.",
		Remediation: "Pass a version such as 1.29 for --kube-version and latest or v1.29 for --pss-version.",
		Severity:    finding.SeverityError,
		Categories:  []string{finding.CategoryCorrectness},
		Source:      AnalyzerName,
	}
}
