package main

import (
	"fmt"
	"runtime"
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

// versionInfo is the JSON shape of `kubeplan version -f json`.
type versionInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Date    string `json:"date,omitempty"`
	Go      string `json:"go"`
}

func newVersionCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "version",
		Short:   "Print kubeplan's version",
		GroupID: "info",
		Args:    cobra.NoArgs,
		Example: `  kubeplan version
  kubeplan version -f json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "json":
				return writeJSON(a.stdout, versionInfo{Version: versionString(), Commit: commit, Date: date, Go: runtime.Version()})
			case "text":
			default:
				return usageError("unknown format %q (want text or json)", format)
			}
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
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return cmd
}
