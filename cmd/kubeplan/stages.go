package main

import (
	"context"

	"github.com/kubeplan/kubeplan/lint"
	"github.com/kubeplan/kubeplan/lint/config"
	"github.com/spf13/cobra"
)

// stageFlags are the lint flags of the analysis stages beyond the core
// rules: rule catalog, RBAC, placement and policies.
type stageFlags struct{}

// register adds the stage flags to cmd.
func (s *stageFlags) register(cmd *cobra.Command) {}

// analyzers builds the enabled stages' analyzers from flags and config. It
// may add load paths (node files) to opts.
func (s *stageFlags) analyzers(ctx context.Context, a *app, cfg *config.Config, opts *lint.Options) ([]lint.Analyzer, error) {
	return nil, nil
}

// defaultAnalyzers are the analyzers with default options, for listing
// rules.
func defaultAnalyzers() []lint.Analyzer {
	return nil
}
