package main

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/kubeplan/kubeplan/lint"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/spf13/cobra"
)

// allRules returns every rule of every analyzer, sorted by id.
func allRules() []finding.Rule {
	return lint.AllRules(defaultAnalyzers())
}

func allRuleIDs() []string {
	var ids []string
	for _, r := range allRules() {
		ids = append(ids, r.ID)
	}
	return ids
}

func newRulesCmd(a *app) *cobra.Command {
	var format, source, output string
	cmd := &cobra.Command{
		Use:     "rules",
		Short:   "List every rule: id, severity, source and title",
		GroupID: "info",
		Args:    cobra.NoArgs,
		Example: `  kubeplan rules
  kubeplan rules --source rbac
  kubeplan rules -f json
  kubeplan rules -f markdown > docs/rules.md`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var rules []finding.Rule
			for _, r := range allRules() {
				if source == "" || r.Source == source {
					rules = append(rules, r)
				}
			}
			w, closeOut, err := a.output(output)
			if err != nil {
				return err
			}
			defer closeOut()
			switch format {
			case "text":
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEVERITY\tSOURCE\tDEFAULT\tTITLE")
				for _, r := range rules {
					on := "on"
					if r.Disabled {
						on = "off"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Source, on, r.Title)
				}
				return tw.Flush()
			case "json":
				if rules == nil {
					rules = []finding.Rule{}
				}
				return writeJSON(w, rules)
			case "markdown":
				_, err := w.Write(RulesMarkdown(rules))
				return err
			}
			return usageError("unknown format %q (want text, json or markdown)", format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json or markdown")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of stdout")
	cmd.Flags().StringVar(&source, "source", "", "only rules of this source: core, rules, rbac, placement, policy")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json", "markdown"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func newExplainCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "explain RULE-ID",
		Short:   "Show a rule's full documentation",
		GroupID: "info",
		Args:    cobra.ExactArgs(1),
		Example: `  kubeplan explain duplicate-object
  kubeplan explain latest-tag -f json`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return allRuleIDs(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, r := range allRules() {
				if r.ID != args[0] {
					continue
				}
				switch format {
				case "json":
					return writeJSON(a.stdout, r)
				case "text":
					fmt.Fprint(a.stdout, explainText(r))
					return nil
				}
				return usageError("unknown format %q (want text or json)", format)
			}
			return usageError("unknown rule %q; `kubeplan rules` lists them%s", args[0], suggest(args[0], allRuleIDs()))
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return cmd
}

func explainText(r finding.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n", r.ID, r.Title)
	fmt.Fprintf(&b, "Severity:   %s\n", r.Severity)
	fmt.Fprintf(&b, "Source:     %s\n", r.Source)
	if len(r.Categories) > 0 {
		fmt.Fprintf(&b, "Categories: %s\n", strings.Join(r.Categories, ", "))
	}
	if r.SecuritySeverity != "" {
		fmt.Fprintf(&b, "Security severity (SARIF): %s\n", r.SecuritySeverity)
	}
	on := "yes"
	if r.Disabled {
		on = "no (enable with --enable " + r.ID + ")"
	}
	fmt.Fprintf(&b, "Enabled by default: %s\n\n%s\n", on, wrap(r.Description, 78))
	if r.Remediation != "" {
		fmt.Fprintf(&b, "\nRemediation:\n%s\n", wrap(r.Remediation, 78))
	}
	fmt.Fprintf(&b, "\nSuppress: annotate the object with %s: %q, or add \"# %s %s\" on or above the line.\n",
		finding.IgnoreAnnotation, r.ID, finding.IgnoreDirective, r.ID)
	if r.DocsURL != "" {
		fmt.Fprintf(&b, "Docs: %s\n", r.DocsURL)
	}
	return b.String()
}

// RulesMarkdown renders the rule reference (docs/rules.md).
func RulesMarkdown(rules []finding.Rule) []byte {
	var b strings.Builder
	b.WriteString("# Rules\n\n<!-- Generated from the rule registry by `go generate ./cmd/kubeplan` (kubeplan rules -f markdown). Do not edit. -->\n\n")
	bySource := map[string][]finding.Rule{}
	var sources []string
	for _, r := range rules {
		if _, ok := bySource[r.Source]; !ok {
			sources = append(sources, r.Source)
		}
		bySource[r.Source] = append(bySource[r.Source], r)
	}
	sort.Strings(sources)
	b.WriteString("| Rule | Severity | Source | Default | Title |\n|---|---|---|---|---|\n")
	for _, r := range rules {
		on := "on"
		if r.Disabled {
			on = "off"
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s |\n", r.ID, r.ID, r.Severity, r.Source, on, mdEscape(r.Title))
	}
	for _, src := range sources {
		fmt.Fprintf(&b, "\n## Source: %s\n", src)
		for _, r := range bySource[src] {
			fmt.Fprintf(&b, "\n### %s\n\n**%s.** Severity: %s", r.ID, mdEscape(r.Title), r.Severity)
			if len(r.Categories) > 0 {
				fmt.Fprintf(&b, "; categories: %s", strings.Join(r.Categories, ", "))
			}
			if r.SecuritySeverity != "" {
				fmt.Fprintf(&b, "; security severity %s", r.SecuritySeverity)
			}
			if r.Disabled {
				b.WriteString("; off by default")
			}
			fmt.Fprintf(&b, ".\n\n%s\n", r.Description)
			if r.Remediation != "" {
				fmt.Fprintf(&b, "\n*Remediation:* %s\n", r.Remediation)
			}
		}
	}
	return []byte(b.String())
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// wrap breaks text into lines of at most width characters.
func wrap(s string, width int) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && len(line)+1+len(w) > width {
				out = append(out, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// suggest returns ", did you mean X?" for the closest id, or "".
func suggest(s string, ids []string) string {
	best, bestD := "", 4
	for _, id := range ids {
		if d := editDistance(s, id); d < bestD {
			best, bestD = id, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
