// Package lint is kubeplan's pipeline: load sources into a cluster model,
// run the analyzers over it, suppress and sort the findings, and hand a
// finding.Result to a reporter.
package lint

import (
	"context"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// Analyzer is one family of checks over the whole model. Analyzers never
// modify the model and must be safe to run concurrently with each other.
type Analyzer interface {
	// Name identifies the analyzer in messages ("core", "rules", "rbac",
	// "placement", "policy").
	Name() string
	// Rules lists every rule the analyzer can report, enabled or not.
	Rules() []finding.Rule
	// Run returns the analyzer's findings. A finding whose rule is
	// disabled is dropped by the pipeline, so analyzers need not check.
	// Problems with the analyzer's own inputs (a policy that does not
	// compile) are findings of rule "load-error".
	Run(ctx context.Context, m *cluster.Model) []finding.Finding
}

// AllRules returns the rules of the core analyzer and of the given
// analyzers, sorted by id; a rule id defined twice is listed once.
func AllRules(analyzers []Analyzer) []finding.Rule {
	seen := map[string]bool{}
	var out []finding.Rule
	for _, a := range append([]Analyzer{coreAnalyzer{}}, analyzers...) {
		for _, r := range a.Rules() {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	return finding.SortRules(out)
}
