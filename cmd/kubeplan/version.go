package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// versionString is the release version set by ldflags, else the module
// version recorded by `go install`, else "dev".
func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print kubeplan's version",
		GroupID: "info",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(a.stdout, "kubeplan %s\n", versionString())
			if commit != "" {
				fmt.Fprintf(a.stdout, "commit: %s\n", commit)
			}
			if date != "" {
				fmt.Fprintf(a.stdout, "built: %s\n", date)
			}
			return nil
		},
	}
}
