package main

import (
	"context"

	"github.com/kubeplan/kubeplan/lint"
	"github.com/kubeplan/kubeplan/lint/config"
	"github.com/kubeplan/kubeplan/placement"
	"github.com/kubeplan/kubeplan/policies"
	"github.com/kubeplan/kubeplan/rbac"
	"github.com/kubeplan/kubeplan/rules"
	"github.com/spf13/cobra"
)

// stageFlags are the lint flags of the analysis stages beyond the core
// rules: rule catalog, RBAC, placement and policies. Flags win over
// .kubeplan.yaml; list flags add to the config's lists.
type stageFlags struct {
	kubeVersion, pssVersion string
	strictRefs              bool
	noDefaultRBAC           bool
	nodes                   []string
	defaultMaxPods          int
	policy, data            []string
	policyNamespaces        []string
	allNamespaces, combine  bool
	regoVersion             string
	gatekeeper              []string
	debug                   bool
}

// register adds the stage flags to cmd.
func (s *stageFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&s.kubeVersion, "kube-version", "", "target Kubernetes version for deprecated and removed APIs (default: latest stable)")
	f.StringVar(&s.pssVersion, "pss-version", "", "Pod Security Standards version for namespaces that pin none (default \"latest\")")
	f.BoolVar(&s.strictRefs, "strict-refs", false, "report references to ConfigMaps, Secrets, PVCs, ServiceAccounts and PriorityClasses missing from the input even when it holds none of that kind")
	f.BoolVar(&s.noDefaultRBAC, "no-default-rbac", false, "leave out the default roles and bindings every cluster has (cluster-admin, admin, edit, view, system:*)")
	f.StringArrayVar(&s.nodes, "nodes", nil, "Nodes, `kubectl get nodes -o yaml` output or NodePool profiles for the placement rules (repeatable)")
	f.IntVar(&s.defaultMaxPods, "default-max-pods", 0, "pods capacity of nodes that declare none (0: such nodes accept no pod, as upstream)")
	f.StringArrayVar(&s.policy, "policy", nil, "conftest-style Rego policy file or directory (repeatable)")
	f.StringArrayVar(&s.data, "data", nil, "data file or directory for the policies (repeatable)")
	f.StringSliceVar(&s.policyNamespaces, "policy-namespace", nil, "Rego packages to evaluate, conftest's --namespace (repeatable, globs; default main)")
	f.BoolVar(&s.allNamespaces, "all-namespaces", false, "evaluate every Rego package that has deny, warn or violation rules")
	f.BoolVar(&s.combine, "combine", false, "give policies all objects as one array, as conftest --combine")
	f.StringVar(&s.regoVersion, "rego-version", "", "Rego syntax of the policies: v1 or v0 (default: v1, v0 files detected)")
	f.StringArrayVar(&s.gatekeeper, "gatekeeper", nil, "Gatekeeper ConstraintTemplates and Constraints, file or directory (repeatable)")
	f.BoolVar(&s.debug, "debug", false, "print the output of Rego print() calls to stderr")
	_ = cmd.RegisterFlagCompletionFunc("rego-version", cobra.FixedCompletions([]string{"v1", "v0"}, cobra.ShellCompDirectiveNoFileComp))
}

// analyzers builds the stages' analyzers from flags and config. It adds the
// node files to the load paths, since nodes are part of the model.
func (s *stageFlags) analyzers(ctx context.Context, a *app, cfg *config.Config, opts *lint.Options) ([]lint.Analyzer, error) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	pick := func(flag, fromConfig string) string {
		if flag != "" {
			return flag
		}
		return fromConfig
	}
	resolve := func(paths []string) []string {
		out := make([]string, 0, len(paths))
		for _, p := range paths {
			out = append(out, cfg.Resolve(p))
		}
		return out
	}
	opts.Load.Paths = append(opts.Load.Paths, s.nodes...)
	opts.Load.Paths = append(opts.Load.Paths, resolve(cfg.Nodes)...)
	stage := lint.StageOptions{
		Rules: rules.Options{
			KubeVersion: pick(s.kubeVersion, cfg.KubeVersion),
			PSSVersion:  pick(s.pssVersion, cfg.PSSVersion),
			StrictRefs:  s.strictRefs || cfg.StrictRefs,
		},
		RBAC:      rbac.AnalyzerOptions{DefaultPolicy: !(s.noDefaultRBAC || cfg.RBAC.NoDefaultPolicy)},
		Placement: placement.AnalyzerOptions{Simulation: placement.Options{DefaultMaxPods: s.defaultMaxPods}},
		Policies: policies.Options{
			PolicyPaths:     append(append([]string(nil), s.policy...), resolve(cfg.Policies.Paths)...),
			DataPaths:       append(append([]string(nil), s.data...), resolve(cfg.Policies.Data)...),
			Namespaces:      append(append([]string(nil), s.policyNamespaces...), cfg.Policies.Namespaces...),
			AllNamespaces:   s.allNamespaces,
			Combine:         s.combine,
			RegoVersion:     s.regoVersion,
			GatekeeperPaths: append(append([]string(nil), s.gatekeeper...), resolve(cfg.Policies.Gatekeeper)...),
			Library:         policies.LibraryConfig(cfg.Policies.Library),
			WorkDir:         a.workDir,
		},
	}
	if s.debug {
		stage.Policies.Debug = a.stderr
	}
	analyzers, err := lint.Analyzers(ctx, stage)
	if err != nil {
		return nil, usageError("%v", err)
	}
	return analyzers, nil
}

// defaultAnalyzers are the analyzers with default options, for listing
// rules.
func defaultAnalyzers() []lint.Analyzer {
	return lint.DefaultAnalyzers()
}
