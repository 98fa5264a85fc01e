package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/kubeplan/kubeplan/policies"
	"github.com/spf13/cobra"
)

// policyCommands returns `policy` with its subcommand `policy test`.
func policyCommands(a *app) []*cobra.Command {
	policy := &cobra.Command{
		Use:     "policy",
		Short:   "Work with Rego policies and Gatekeeper templates",
		GroupID: "analyze",
		Example: `  kubeplan policy test ./policy
  kubeplan policy test ./gatekeeper-library/library/general/...`,
	}
	policy.AddCommand(newPolicyTestCmd(a))
	return []*cobra.Command{policy}
}

// policyTestFlags are the flags of `policy test`.
type policyTestFlags struct {
	data        []string
	regoVersion string
	run         string
	format      string
	output      string
}

func newPolicyTestCmd(a *app) *cobra.Command {
	var f policyTestFlags
	cmd := &cobra.Command{
		Use:   "test PATH...",
		Short: "Run Rego unit tests (*_test.rego) and Gatekeeper suites (suite.yaml)",
		Long: `Run the policy tests found under each PATH, offline:

  - Rego test rules (test_*) in *.rego files, together with the policies
    next to them, like 'opa test' and 'conftest verify'. The kubeplan
    builtins are available; network builtins are refused.
  - Gatekeeper suite.yaml files (kind: Suite), like 'gator verify': each
    test compiles its ConstraintTemplate, adds its Constraint, and checks
    the expected violations of each case.

A trailing '/...' on a PATH is accepted and means the directory and
everything below it. Exit code 0 when every test passes, 1 when a test
fails, 2 when no test was found or a policy does not compile.`,
		Example: `  kubeplan policy test ./policy
  kubeplan policy test ./policy --data ./data.yaml --run deny
  kubeplan policy test ./gatekeeper-library/library/general/... -f json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runPolicyTest(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.data, "data", nil, "JSON or YAML data files or directories, merged into data (repeatable)")
	fl.StringVar(&f.regoVersion, "rego-version", "", "Rego version of the policies: v1 or v0 (default: v1, with v0 files detected)")
	fl.StringVar(&f.run, "run", "", "only run Rego tests whose name matches this regular expression")
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text or json")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of stdout")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("rego-version", cobra.FixedCompletions([]string{"v0", "v1"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// policyTestReport is the JSON shape of `policy test -f json`.
type policyTestReport struct {
	Rego   *policies.TestReport   `json:"rego,omitempty"`
	Suites []policies.SuiteResult `json:"suites,omitempty"`
}

func (a *app) runPolicyTest(cmd *cobra.Command, args []string, f policyTestFlags) error {
	if f.format != "text" && f.format != "json" {
		return usageError("unknown format %q (want text or json)", f.format)
	}
	ctx := cmd.Context()
	var rep policyTestReport
	rego, err := policies.RunRegoTests(ctx, args, policies.TestOptions{
		DataPaths: f.data, RegoVersion: f.regoVersion, Run: f.run, WorkDir: a.workDir,
	})
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	if len(rego.Results) > 0 || len(rego.Problems) > 0 {
		rep.Rego = rego
	}
	suites, err := policies.RunSuites(ctx, args, a.workDir)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	rep.Suites = suites
	for _, n := range rego.Notes {
		fmt.Fprintln(a.stderr, "note:", n)
	}
	if rep.Rego == nil && len(rep.Suites) == 0 {
		return usageError("no Rego tests (test_* rules) or Gatekeeper suites (kind: Suite) found in %s", strings.Join(args, " "))
	}
	w, closeFn, err := a.output(f.output)
	if err != nil {
		return err
	}
	if f.format == "json" {
		err = writeJSON(w, rep)
	} else {
		err = writePolicyTestText(w, rep)
	}
	if cerr := closeFn(); err == nil {
		err = cerr
	}
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	switch {
	case rep.Rego != nil && len(rep.Rego.Problems) > 0:
		return exit(exitError)
	case rep.Rego != nil && rep.Rego.Failed():
		return exit(exitFindings)
	}
	for _, s := range rep.Suites {
		if s.Failed() {
			return exit(exitFindings)
		}
	}
	return nil
}

// writePolicyTestText prints Rego results like `opa test` (grouped by
// file, then a PASS/FAIL summary) and suites like `gator verify`.
func writePolicyTestText(w io.Writer, rep policyTestReport) error {
	var b strings.Builder
	if r := rep.Rego; r != nil {
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "error: %v\n", p)
		}
		counts := map[string]int{}
		file := ""
		for _, t := range r.Results {
			if t.Path != file {
				file = t.Path
				fmt.Fprintf(&b, "%s:\n", file)
			}
			counts[t.Outcome]++
			fmt.Fprintf(&b, "  %s: %s\n", t.Name, strings.ToUpper(t.Outcome))
			if t.Error != "" {
				fmt.Fprintf(&b, "    %s\n", t.Error)
			}
			if t.Output != "" && t.Outcome != "pass" {
				for _, l := range strings.Split(strings.TrimRight(t.Output, "\n"), "\n") {
					fmt.Fprintf(&b, "    %s\n", l)
				}
			}
		}
		if n := len(r.Results); n > 0 {
			fmt.Fprintln(&b, strings.Repeat("-", 80))
			for _, o := range []string{"pass", "fail", "skip", "error"} {
				if counts[o] > 0 {
					fmt.Fprintf(&b, "%s: %d/%d\n", strings.ToUpper(o), counts[o], n)
				}
			}
		}
	}
	for _, s := range rep.Suites {
		switch {
		case s.Skipped:
			fmt.Fprintf(&b, "skip\t%s\n", s.Path)
			continue
		case !s.Failed():
			fmt.Fprintf(&b, "ok\t%s\n", s.Path)
			continue
		}
		if s.Error != "" {
			fmt.Fprintf(&b, "    %s\n", s.Error)
		}
		for _, t := range s.Tests {
			failed := t.Error != ""
			for _, c := range t.Cases {
				failed = failed || c.Error != ""
			}
			if !failed {
				continue
			}
			fmt.Fprintf(&b, "--- FAIL: %s\n", t.Name)
			if t.Error != "" {
				fmt.Fprintf(&b, "    %s\n", t.Error)
			}
			for _, c := range t.Cases {
				if c.Error != "" {
					fmt.Fprintf(&b, "    --- FAIL: %s\n        %s\n", c.Name, c.Error)
				}
			}
		}
		fmt.Fprintf(&b, "FAIL\t%s\n", s.Path)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
