package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubeplan/kubeplan/lint"
	"github.com/kubeplan/kubeplan/lint/config"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/report"
	"github.com/spf13/cobra"
)

// lintFlags are the flags of `kubeplan lint`.
type lintFlags struct {
	format, output, configPath, failOn, namespace string
	enable, disable                               []string
	baseline, writeBaseline                       string
	noColor, quiet, showSuppressed                bool
	sarifCategory, sarifOutput                    string
	context                                       []string
	stages                                        stageFlags
}

// lintCommands returns lint, rules and explain.
func lintCommands(a *app) []*cobra.Command {
	return []*cobra.Command{newLintCmd(a), newRulesCmd(a), newExplainCmd(a)}
}

func newLintCmd(a *app) *cobra.Command {
	var f lintFlags
	cmd := &cobra.Command{
		Use:     "lint [PATH...]",
		Short:   "Check manifests and report findings",
		GroupID: "analyze",
		Long: `Lint loads manifests (files, directories, "-" for stdin, kustomize
directories), builds one cluster model and runs every enabled rule over it.

Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage error or
input that could not be loaded (everything that did load is still reported).`,
		Example: `  kubeplan lint ./deploy
  kubeplan lint -f sarif -o kubeplan.sarif .
  kubeplan lint -f github .
  kubeplan lint -f json - < all.yaml
  kubeplan lint --fail-on warning --disable yaml-ambiguous-value ./deploy
  kubeplan lint --write-baseline .kubeplan-baseline.json .   # accept today's findings
  kubeplan lint --baseline .kubeplan-baseline.json .         # fail only on new ones`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runLint(cmd.Context(), cmd, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: "+strings.Join(report.Formats(), ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of stdout")
	fl.StringVar(&f.configPath, "config", "", "config file (default: .kubeplan.yaml in the working directory or a parent)")
	fl.StringVar(&f.failOn, "fail-on", "", "lowest severity that makes lint exit 1: error, warning, note or none (default error)")
	fl.StringSliceVar(&f.enable, "enable", nil, "enable rules by id (repeatable, comma-separated; \"all\" for every rule, \"source:rbac\" for one analyzer's)")
	fl.StringSliceVar(&f.disable, "disable", nil, "disable rules by id (repeatable, comma-separated; \"all\" for every rule, \"source:rbac\" for one analyzer's)")
	fl.StringVarP(&f.namespace, "namespace", "n", "", "namespace of namespaced objects that set none (default \"default\")")
	fl.StringVar(&f.baseline, "baseline", "", "hide the findings recorded in this baseline file (they are reported as suppressed)")
	fl.StringVar(&f.writeBaseline, "write-baseline", "", "record the current unsuppressed findings in this baseline file")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour text output (NO_COLOR is also honoured)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "text output: no snippets or notes, only findings and the summary")
	fl.BoolVar(&f.showSuppressed, "show-suppressed", false, "text output: also list suppressed findings")
	fl.StringVar(&f.sarifCategory, "sarif-category", "kubeplan", "SARIF runAutomationDetails category (distinct per uploaded SARIF file)")
	fl.StringVar(&f.sarifOutput, "sarif-output", "", "also write SARIF to this file (one run for annotations and code scanning)")
	fl.StringSliceVar(&f.context, "context", nil, "also load these paths for cross-object checks, but report findings only for the PATH arguments (for pre-commit)")
	f.stages.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(report.Formats(), cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"error", "warning", "note", "none"}, cobra.ShellCompDirectiveNoFileComp))
	ruleIDs := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return allRuleIDs(), cobra.ShellCompDirectiveNoFileComp
	}
	_ = cmd.RegisterFlagCompletionFunc("enable", ruleIDs)
	_ = cmd.RegisterFlagCompletionFunc("disable", ruleIDs)
	return cmd
}

// loadConfig reads --config, or finds .kubeplan.yaml from the working
// directory upward. No file is not an error.
func (a *app) loadConfig(path string) (*config.Config, error) {
	if path == "" {
		path = config.Find(a.workDir)
		if path == "" {
			return nil, nil
		}
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(a.workDir, path)
	}
	c, err := config.Load(path)
	if err != nil {
		return nil, &codeError{code: exitError, err: err}
	}
	return c, nil
}

func (a *app) runLint(ctx context.Context, cmd *cobra.Command, f lintFlags, args []string) error {
	if _, err := report.New(f.format, report.Options{}); err != nil {
		return usageError("%v", err)
	}
	cfg, err := a.loadConfig(f.configPath)
	if err != nil {
		return err
	}
	failOn := finding.SeverityError
	switch {
	case f.failOn != "":
		if failOn, err = finding.ParseSeverity(f.failOn); err != nil {
			return usageError("--fail-on: %v", err)
		}
	case cfg != nil && cfg.FailOn != "":
		failOn, _ = finding.ParseSeverity(cfg.FailOn)
	}
	ns := f.namespace
	if ns == "" && cfg != nil {
		ns = cfg.Namespace
	}
	paths := args
	if len(paths) == 0 {
		paths = []string{"."}
	}
	opts := lint.Options{
		Load: lint.LoadOptions{
			Paths:            append(append([]string(nil), paths...), f.context...),
			DefaultNamespace: ns,
			Manifest:         a.manifestOptions(),
		},
		Config:  cfg,
		Enable:  f.enable,
		Disable: f.disable,
	}
	if len(f.context) > 0 {
		opts.ReportOnly = a.reportOnly(args)
	}
	if f.baseline != "" {
		b, err := a.readBaseline(f.baseline)
		if err != nil {
			return err
		}
		opts.Baseline, opts.BaselinePath = b, f.baseline
	} else if cfg != nil && cfg.Baseline != "" {
		b, err := a.readBaseline(cfg.Resolve(cfg.Baseline))
		if err != nil {
			return err
		}
		opts.Baseline, opts.BaselinePath = b, cfg.Baseline
	}
	stages, err := f.stages.analyzers(ctx, a, cfg, &opts)
	if err != nil {
		return err
	}
	opts.Analyzers = stages
	var pw io.Writer
	if a.stderrTTY && !noColor() {
		pw = a.stderr
	}
	prog := newProgress(pw)
	opts.Progress = prog.set
	rep := lint.Run(ctx, opts)
	prog.done()

	if f.writeBaseline != "" {
		// Findings hidden by the old baseline are still known: keep them.
		var keep []finding.Finding
		for _, x := range rep.Result.Findings {
			if x.RuleID == lint.RuleLoadError {
				continue
			}
			if x.Suppressed != nil && strings.HasPrefix(x.Suppressed.Justification, "baseline") {
				x.Suppressed = nil
			}
			keep = append(keep, x)
		}
		if err := a.writeBaseline(f.writeBaseline, finding.NewBaseline(keep)); err != nil {
			return err
		}
	}
	r, _ := report.New(f.format, report.Options{
		Version:        versionString(),
		Sources:        rep.Loaded.Manifest,
		Color:          f.format == "text" && !f.noColor && !noColor() && a.stdoutTTY && (f.output == "" || f.output == "-"),
		Quiet:          f.quiet,
		ShowSuppressed: f.showSuppressed,
		Category:       f.sarifCategory,
	})
	if err := a.writeReport(r, f.output, rep.Result); err != nil {
		return err
	}
	if f.sarifOutput != "" {
		sr, _ := report.New("sarif", report.Options{Version: versionString(), Category: f.sarifCategory})
		if err := a.writeReport(sr, f.sarifOutput, rep.Result); err != nil {
			return err
		}
	}
	if f.format != "text" || f.output != "" {
		for _, n := range rep.Result.Notifications {
			if n.Level == finding.SeverityError {
				fmt.Fprintf(a.stderr, "error: %s:%d:%d: %s\n", n.Location.Path, n.Location.Line, n.Location.Col, n.Message)
			}
		}
	}
	switch {
	case rep.LoadFailed():
		return exit(exitError)
	case failOn != finding.SeverityNone && rep.Result.Count(failOn) > 0:
		return exit(exitFindings)
	}
	return nil
}

// writeReport writes one report to path ("" or "-" for stdout).
func (a *app) writeReport(r report.Reporter, path string, res *finding.Result) error {
	w, closeOut, err := a.output(path)
	if err != nil {
		return err
	}
	werr := r.Report(w, res)
	if cerr := closeOut(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return &codeError{code: exitError, err: fmt.Errorf("writing report: %w", werr)}
	}
	return nil
}

// reportOnly turns the PATH arguments into the loader's relative file paths.
func (a *app) reportOnly(args []string) []string {
	var out []string
	for _, p := range args {
		if p == "-" {
			out = append(out, "-")
			continue
		}
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(a.workDir, p)
		}
		r, err := filepath.Rel(a.workDir, abs)
		if err != nil {
			r = abs
		}
		out = append(out, filepath.ToSlash(r))
	}
	return out
}

func (a *app) readBaseline(path string) (*finding.Baseline, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(a.workDir, path)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, &codeError{code: exitError, err: fmt.Errorf("baseline: %w", err)}
	}
	defer fh.Close()
	b, err := finding.ReadBaseline(fh)
	if err != nil {
		return nil, &codeError{code: exitError, err: fmt.Errorf("%s: %w", path, err)}
	}
	return b, nil
}

func (a *app) writeBaseline(path string, b *finding.Baseline) error {
	if !filepath.IsAbs(path) {
		path = filepath.Join(a.workDir, path)
	}
	fh, err := os.Create(path)
	if err != nil {
		return &codeError{code: exitError, err: fmt.Errorf("baseline: %w", err)}
	}
	werr := b.Write(fh)
	if cerr := fh.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return &codeError{code: exitError, err: fmt.Errorf("baseline: %w", werr)}
	}
	return nil
}
