package main

import "github.com/spf13/cobra"

// lintCommands returns lint, rules and explain.
func lintCommands(a *app) []*cobra.Command {
	return nil
}
