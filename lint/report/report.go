// Package report writes a *finding.Result in the formats kubeplan offers:
// human-readable text with source snippets, a stable JSON document, SARIF
// 2.1.0 for GitHub code scanning and other SARIF consumers, and GitHub
// Actions workflow commands that annotate pull requests.
//
// Every format is a Reporter chosen by name with New; Formats lists the
// names. Reporters never read the clock, the working directory or the
// environment: everything they print comes from the Result and the Options
// the caller passes, so the same input always gives byte-identical output.
// A reporter buffers the whole document and writes it to w in one call, so
// an error never leaves half a report behind.
//
// The JSON format's wire schema (version 1) is documented on the jsonReport
// type in json.go.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

// Reporter writes a whole result in one format. Report reads res and never
// modifies it; a nil res is reported as an empty result. Findings are printed
// in the order of res.Findings, which the caller has sorted with
// finding.Sort.
type Reporter interface {
	Report(w io.Writer, res *finding.Result) error
}

// Sources gives reporters read access to the linted files for snippets. File
// returns nil when the path is unknown; a nil Sources means no snippets.
type Sources interface {
	File(path string) *manifest.File
}

// Options configure reporters; the zero value works. Each format reads only
// the fields that concern it.
type Options struct {
	// ToolName names the tool in SARIF and JSON; default "kubeplan".
	ToolName string
	// Version is the tool version, e.g. "0.1.0" or "dev"; SARIF also sets
	// semanticVersion when it is a semantic version (a leading "v" is
	// dropped there).
	Version string
	// InformationURI is SARIF's tool.driver.informationUri; default
	// "https://github.com/kubeplan/kubeplan". It is left out when it is not
	// an absolute URI.
	InformationURI string
	// Sources gives the text format the linted files for snippets; nil
	// means no snippets.
	Sources Sources
	// Color turns on ANSI colour in text output. The caller decides (TTY,
	// NO_COLOR); without it the text output holds no escape codes.
	Color bool
	// Quiet makes text output omit snippets and notes, keeping findings,
	// related locations, notifications and the summary.
	Quiet bool
	// ShowSuppressed makes text output also list suppressed findings,
	// marked "suppressed".
	ShowSuppressed bool
	// Category prefixes SARIF's runAutomationDetails.id, which is
	// Category+"/"; default "kubeplan". GitHub needs a distinct category
	// per SARIF file uploaded for the same commit.
	Category string
	// MaxSARIFResults caps the results of the SARIF run; default (and for
	// values below 1) 25000, GitHub's hard limit per run. Over the cap the
	// most severe findings are kept and a notification says how many were
	// dropped.
	MaxSARIFResults int
}

// Defaults of Options fields left empty.
const (
	DefaultToolName        = "kubeplan"
	DefaultInformationURI  = "https://github.com/kubeplan/kubeplan"
	DefaultCategory        = "kubeplan"
	DefaultMaxSARIFResults = 25000
)

// withDefaults returns o with empty fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.ToolName == "" {
		o.ToolName = DefaultToolName
	}
	if o.InformationURI == "" {
		o.InformationURI = DefaultInformationURI
	}
	if o.Category == "" {
		o.Category = DefaultCategory
	}
	if o.MaxSARIFResults < 1 {
		o.MaxSARIFResults = DefaultMaxSARIFResults
	}
	return o
}

// constructors maps each format name to the function building its reporter.
// It returns a fresh literal so that no package-level map can be written.
func constructors() map[string]func(Options) Reporter {
	return map[string]func(Options) Reporter{
		"github": func(o Options) Reporter { return githubReporter{opts: o} },
		"json":   func(o Options) Reporter { return jsonReporter{opts: o} },
		"sarif":  func(o Options) Reporter { return sarifReporter{opts: o} },
		"text":   func(o Options) Reporter { return textReporter{opts: o} },
	}
}

// New returns the reporter for format (case-insensitive, surrounding space
// ignored), configured by opts with defaults filled in. An unknown format is
// an error that lists Formats.
func New(format string, opts Options) (Reporter, error) {
	mk, ok := constructors()[strings.ToLower(strings.TrimSpace(format))]
	if !ok {
		return nil, fmt.Errorf("unknown report format %q (available: %s)", format, strings.Join(Formats(), ", "))
	}
	return mk(opts.withDefaults()), nil
}

// Formats returns the names New accepts, sorted: "github", "json", "sarif",
// "text".
func Formats() []string {
	m := constructors()
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// orEmpty returns res, or an empty result when res is nil.
func orEmpty(res *finding.Result) *finding.Result {
	if res == nil {
		return &finding.Result{}
	}
	return res
}

// summary counts the findings of a result the way every format reports
// them: unsuppressed findings per severity, suppressed ones in total.
type summary struct {
	errors, warnings, notes, suppressed int
	// files is the number of distinct paths with unsuppressed findings.
	files int
}

// summarize counts res's findings.
func summarize(res *finding.Result) summary {
	var s summary
	seen := make(map[string]bool)
	for _, f := range res.Findings {
		if f.Suppressed != nil {
			s.suppressed++
			continue
		}
		switch f.Severity {
		case finding.SeverityError:
			s.errors++
		case finding.SeverityWarning:
			s.warnings++
		case finding.SeverityNote:
			s.notes++
		}
		if !seen[f.Location.Path] {
			seen[f.Location.Path] = true
			s.files++
		}
	}
	return s
}

// String renders the summary line shared by the text and github formats:
// "3 errors, 1 warning, 0 notes in 2 files (1 suppressed)", or "no
// findings" (with the suppressed count when there is one).
func (s summary) String() string {
	var b strings.Builder
	if s.errors+s.warnings+s.notes == 0 {
		b.WriteString("no findings")
	} else {
		fmt.Fprintf(&b, "%s, %s, %s in %s",
			plural(s.errors, "error"), plural(s.warnings, "warning"),
			plural(s.notes, "note"), plural(s.files, "file"))
	}
	if s.suppressed > 0 {
		fmt.Fprintf(&b, " (%d suppressed)", s.suppressed)
	}
	return b.String()
}

// plural renders "1 error" or "2 errors".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
