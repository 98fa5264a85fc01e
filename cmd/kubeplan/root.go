package main

import (
	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Each capability adds its commands
// from its own file (cmd_*.go).
func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "kubeplan",
		Short: "See what a Kubernetes cluster would do with your manifests, before you apply them",
		Long: `kubeplan reads Kubernetes manifests (files, folders, stdin, kustomize
directories) and shows, offline and in seconds, what a cluster would do with
them: lint findings, who can do what (RBAC), where pods would land
(scheduling), and what your policies say.`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("kubeplan {{.Version}}\n")
	root.PersistentFlags().Int64Var(&a.maxFileSizeMiB, "max-file-size", 0, "largest manifest file to read, in MiB (default 32)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%v (see '%s --help')", err, c.CommandPath())
	})
	root.AddGroup(
		&cobra.Group{ID: "analyze", Title: "Analysis Commands:"},
		&cobra.Group{ID: "rbac", Title: "RBAC Commands:"},
		&cobra.Group{ID: "info", Title: "Information Commands:"},
	)
	root.SetHelpCommandGroupID("info")
	root.SetCompletionCommandGroupID("info")
	root.AddCommand(newVersionCmd(a))
	// Capability commands: one constructor per file.
	for _, cmds := range [][]*cobra.Command{
		lintCommands(a),
		policyCommands(a),
		rbacCommands(a),
		scheduleCommands(a),
	} {
		root.AddCommand(cmds...)
	}
	return root
}
