package lint

import (
	"context"
	"fmt"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/placement"
	"github.com/kubeplan/kubeplan/policies"
	"github.com/kubeplan/kubeplan/rbac"
	"github.com/kubeplan/kubeplan/rules"
)

// Compile-time checks that every capability satisfies Analyzer; the
// packages themselves do not import lint, so no arrow points up.
var (
	_ Analyzer = (*rules.Analyzer)(nil)
	_ Analyzer = (*rbac.Analyzer)(nil)
	_ Analyzer = (*placementStage)(nil)
	_ Analyzer = (*policyStage)(nil)
	_ Noter    = (*placementStage)(nil)
	_ Noter    = (*policyStage)(nil)
)

// StageOptions configure the analyzers that run besides the core rules.
type StageOptions struct {
	// Rules configures the rule catalog.
	Rules rules.Options
	// RBAC configures the RBAC analyzer.
	RBAC rbac.AnalyzerOptions
	// Placement configures the scheduling simulation; it only reports when
	// the model holds nodes.
	Placement placement.AnalyzerOptions
	// Policies configures Rego policies and Gatekeeper constraints. Its
	// RBAC and Placement oracles are filled in by Analyzers from the
	// model, so policies can call kubeplan.can_i, kubeplan.who_can and
	// kubeplan.placement.
	Policies policies.Options
}

// Analyzers builds every capability's analyzer, in a fixed order. It fails
// only on invalid options (an unreadable policy path, an unknown Rego
// version); problems inside policies are reported as findings by Run.
func Analyzers(ctx context.Context, opts StageOptions) ([]Analyzer, error) {
	oracle := &modelOracle{rbacOpts: rbac.Options{DefaultPolicy: opts.RBAC.DefaultPolicy}, placementOpts: opts.Placement.Simulation}
	popts := opts.Policies
	popts.RBAC, popts.Placement = oracle, oracle
	pol, err := policies.NewAnalyzer(ctx, popts)
	if err != nil {
		return nil, fmt.Errorf("policies: %w", err)
	}
	return []Analyzer{
		rules.NewAnalyzer(opts.Rules),
		rbac.NewAnalyzer(opts.RBAC),
		&placementStage{Analyzer: placement.NewAnalyzer(opts.Placement)},
		&policyStage{Analyzer: pol, oracle: oracle},
	}, nil
}

// DefaultAnalyzers are the analyzers with default options, for listing
// rules (kubeplan rules, explain, docs).
func DefaultAnalyzers() []Analyzer {
	as, err := Analyzers(context.Background(), StageOptions{RBAC: rbac.AnalyzerOptions{DefaultPolicy: true}})
	if err != nil {
		// Default options name no files, so this cannot fail; fall back
		// to the analyzers that need no options.
		return []Analyzer{rules.NewAnalyzer(rules.Options{}), rbac.NewAnalyzer(rbac.AnalyzerOptions{}), &placementStage{Analyzer: placement.NewAnalyzer(placement.AnalyzerOptions{})}}
	}
	return as
}

// placementStage adapts placement.Analyzer, whose notes depend on the
// model, to Noter.
type placementStage struct {
	*placement.Analyzer
	notes []string
}

func (p *placementStage) Run(ctx context.Context, m *cluster.Model) []finding.Finding {
	out := p.Analyzer.Run(ctx, m)
	p.notes = p.Analyzer.Notes(m)
	return out
}

func (p *placementStage) Notes() []string { return p.notes }

// policyStage binds the policy builtins' oracle to the model before the
// policies run.
type policyStage struct {
	*policies.Analyzer
	oracle *modelOracle
}

func (p *policyStage) Run(ctx context.Context, m *cluster.Model) []finding.Finding {
	p.oracle.bind(m)
	return p.Analyzer.Run(ctx, m)
}
