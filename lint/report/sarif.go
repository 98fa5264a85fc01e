package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// Limits GitHub code scanning puts on a SARIF run, and on the text of
// rule metadata it displays.
const (
	maxRelatedLocations = 1000
	maxRuleNameLen      = 255
	maxDescriptionLen   = 1024
)

// srcRoot is the uriBaseId of every relative artifact location: the
// directory kubeplan ran in, which relative finding paths start from.
const srcRoot = "%SRCROOT%"

// semverPattern is Semantic Versioning 2.0's own regular expression.
var semverPattern = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// sarifReporter writes one SARIF 2.1.0 run for GitHub code scanning and
// other SARIF consumers, built with go-sarif:
//
//   - tool.driver lists every rule of the result, plus a minimal rule for
//     any finding whose rule is missing, so every ruleIndex is valid;
//   - every finding is a result, suppressed ones with a suppression, in
//     the order of the result; over MaxSARIFResults only the most severe
//     are kept and a notification says so;
//   - locations are relative URIs against %SRCROOT%, columns in Unicode
//     code points; lines and columns that are zero or negative are left out
//     (startLine 1 when the line is unknown) so the log stays schema-valid;
//   - partialFingerprints.primaryLocationLineHash is the finding's
//     line-independent fingerprint, so alerts survive lines moving;
//   - notifications become invocations[0].toolExecutionNotifications and an
//     error notification makes executionSuccessful false.
//
// The document is indented with two spaces and ends with a newline.
type sarifReporter struct {
	opts Options
}

// Report writes res as SARIF.
func (r sarifReporter) Report(w io.Writer, res *finding.Result) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.build(orEmpty(res))); err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// build converts res to a SARIF log with one run.
func (r sarifReporter) build(res *finding.Result) *sarif.Report {
	driver := sarif.NewToolComponent().WithName(r.opts.ToolName)
	if r.opts.Version != "" {
		driver.WithVersion(r.opts.Version)
		if v := strings.TrimPrefix(r.opts.Version, "v"); semverPattern.MatchString(v) {
			driver.WithSemanticVersion(v)
		}
	}
	if isAbsoluteURI(r.opts.InformationURI) {
		driver.WithInformationURI(r.opts.InformationURI)
	}
	ruleIndex := addRules(driver, res)

	category := strings.TrimRight(r.opts.Category, "/")
	if category == "" {
		category = DefaultCategory
	}
	run := sarif.NewRun().
		WithTool(sarif.NewTool().WithDriver(driver)).
		WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(category + "/")).
		WithColumnKind("unicodeCodePoints").
		WithOriginalUriBaseIds(map[string]sarif.ArtifactLocation{
			srcRoot: *sarif.NewArtifactLocation().WithDescription(
				sarif.NewTextMessage("The directory " + r.opts.ToolName + " ran in; relative paths start from it.")),
		})

	kept := selectResults(res.Findings, r.opts.MaxSARIFResults)
	cutRelated := 0
	for _, i := range kept {
		f := res.Findings[i]
		run.AddResult(sarifResult(f, ruleIndex[validUTF8(f.RuleID)]))
		if len(f.Related) > maxRelatedLocations {
			cutRelated++
		}
	}

	inv := sarif.NewInvocation().WithExecutionSuccessful(true)
	for _, n := range res.Notifications {
		if n.Level == finding.SeverityError {
			inv.WithExecutionSuccessful(false)
		}
		note := sarif.NewNotification().WithLevel(sarifLevel(n.Level)).WithMessage(sarif.NewTextMessage(n.Message))
		if n.Location.Path != "" {
			note.AddLocation(sarif.NewLocationWithPhysicalLocation(physicalLocation(n.Location)))
		}
		inv.AddToolExecutionNotification(note)
	}
	if dropped := len(res.Findings) - len(kept); dropped > 0 {
		inv.AddToolExecutionNotification(sarif.NewNotification().WithLevel(sarif.LevelWarning).WithMessage(sarif.NewTextMessage(fmt.Sprintf(
			"%d of %d results were dropped: a run may carry at most %d results (GitHub code scanning rejects more than 25000); "+
				"the most severe were kept. Use the text or json format to see every finding.",
			dropped, len(res.Findings), r.opts.MaxSARIFResults))))
	}
	if cutRelated > 0 {
		inv.AddToolExecutionNotification(sarif.NewNotification().WithLevel(sarif.LevelWarning).WithMessage(sarif.NewTextMessage(fmt.Sprintf(
			"%d results had more than %d related locations; only the first %d of each were kept.",
			cutRelated, maxRelatedLocations, maxRelatedLocations))))
	}
	run.AddInvocation(inv)

	return sarif.NewReport().AddRun(run)
}

// addRules lists res's rules on driver, skipping repeated IDs, then adds a
// minimal rule for each finding whose rule is not among them. It returns
// the index in driver.Rules of every rule ID, keyed by validUTF8(ID).
func addRules(driver *sarif.ToolComponent, res *finding.Result) map[string]int {
	index := make(map[string]int, len(res.Rules))
	for _, rule := range res.Rules {
		rule.ID = validUTF8(rule.ID)
		if _, dup := index[rule.ID]; dup {
			continue
		}
		index[rule.ID] = len(driver.Rules)
		driver.AddRule(ruleDescriptor(rule))
	}
	for _, f := range res.Findings {
		id := validUTF8(f.RuleID)
		if _, ok := index[id]; ok {
			continue
		}
		index[id] = len(driver.Rules)
		driver.AddRule(ruleDescriptor(finding.Rule{
			ID:          id,
			Title:       f.RuleID,
			Description: "No description is available for this rule.",
			Severity:    f.Severity,
		}))
	}
	return index
}

// ruleDescriptor converts a rule to SARIF's reportingDescriptor with the
// properties GitHub reads: tags, precision, and security-severity or
// problem.severity.
func ruleDescriptor(rule finding.Rule) *sarif.ReportingDescriptor {
	title := rule.Title
	if strings.TrimSpace(title) == "" {
		title = rule.ID
	}
	description := rule.Description
	if strings.TrimSpace(description) == "" {
		description = title
	}
	help := rule.Help()
	d := sarif.NewRule(rule.ID).
		WithName(truncate(title, maxRuleNameLen)).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(truncate(title, maxDescriptionLen))).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(truncate(description, maxDescriptionLen))).
		WithHelp(sarif.NewMultiformatMessageString().WithText(help).WithMarkdown(help)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().
			WithLevel(sarifLevel(rule.Severity)).
			WithEnabled(!rule.Disabled))
	if isAbsoluteURI(rule.DocsURL) {
		d.WithHelpURI(rule.DocsURL)
	}
	props := sarif.NewPropertyBag().Add("precision", "high")
	if rule.SecuritySeverity != "" {
		props.Add("security-severity", rule.SecuritySeverity)
	} else {
		props.Add("problem.severity", problemSeverity(rule.Severity))
	}
	if tags := distinct(rule.Categories); len(tags) > 0 {
		props.WithTags(tags)
	}
	return d.WithProperties(props)
}

// sarifResult converts one finding to a result pointing at rule index idx.
func sarifResult(f finding.Finding, idx int) *sarif.Result {
	res := sarif.NewRuleResult(validUTF8(f.RuleID)).
		WithRuleIndex(idx).
		WithLevel(sarifLevel(f.Severity)).
		WithMessage(sarif.NewTextMessage(f.Message)).
		WithPartialFingerprints(map[string]string{"primaryLocationLineHash": fingerprint(f)})
	if f.Location.Path != "" {
		res.AddLocation(sarif.NewLocationWithPhysicalLocation(physicalLocation(f.Location)))
	}
	for i, rel := range f.Related[:min(len(f.Related), maxRelatedLocations)] {
		msg := rel.Message
		if msg == "" {
			msg = "related location"
		}
		loc := sarif.NewLocation().WithID(i + 1).WithMessage(sarif.NewTextMessage(msg))
		if rel.Path != "" {
			loc.WithPhysicalLocation(physicalLocation(rel))
		}
		res.AddRelatedLocation(loc)
	}
	if s := f.Suppressed; s != nil {
		kind := "external"
		if s.Kind == "inSource" {
			kind = "inSource"
		}
		sup := sarif.NewSuppression().WithKind(kind).WithStatus("accepted")
		if s.Justification != "" {
			sup.WithJustification(s.Justification)
		}
		res.AddSuppression(sup)
	}
	return res
}

// selectResults returns the indexes of the findings to report, in their
// original order: all of them when there are at most limit, else the
// limit most important ones: unsuppressed before suppressed, then error before
// warning before note, then earlier before later.
func selectResults(fs []finding.Finding, limit int) []int {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	if len(fs) <= limit {
		return idx
	}
	sort.SliceStable(idx, func(a, b int) bool {
		fa, fb := fs[idx[a]], fs[idx[b]]
		if (fa.Suppressed == nil) != (fb.Suppressed == nil) {
			return fa.Suppressed == nil
		}
		return fa.Severity > fb.Severity
	})
	idx = idx[:limit]
	sort.Ints(idx)
	return idx
}

// physicalLocation converts a location to a SARIF physical location.
func physicalLocation(l finding.Location) *sarif.PhysicalLocation {
	uri, relative := fileURI(l.Path)
	art := sarif.NewSimpleArtifactLocation(uri)
	if relative {
		art.WithURIBaseID(srcRoot)
	}
	return sarif.NewPhysicalLocation().WithArtifactLocation(art).WithRegion(region(l))
}

// region converts a location's span to a SARIF region that is always
// schema-valid: startLine is at least 1 (1 when the line is unknown, as
// GitHub requires a line), and columns and ends are included only when
// they are positive and do not end before the start.
func region(l finding.Location) *sarif.Region {
	reg := sarif.NewRegion()
	if l.Line < 1 {
		return reg.WithStartLine(1)
	}
	reg.WithStartLine(l.Line)
	startCol := 1
	if l.Col > 0 {
		reg.WithStartColumn(l.Col)
		startCol = l.Col
	}
	endLine := l.EndLine
	if endLine == 0 && l.EndCol > 0 {
		endLine = l.Line // an end column alone ends on the start line
	}
	if endLine < l.Line {
		return reg
	}
	reg.WithEndLine(endLine)
	if l.EndCol > 0 && (endLine > l.Line || l.EndCol >= startCol) {
		reg.WithEndColumn(l.EndCol)
	}
	return reg
}

// fileURI turns a finding path into a URI reference. Relative paths (the
// norm) become relative references, to be resolved against %SRCROOT%;
// absolute paths become file URIs. Characters that may not appear in a URI
// are percent-encoded.
func fileURI(path string) (uri string, relative bool) {
	switch {
	case strings.HasPrefix(path, "/"):
		return "file://" + (&url.URL{Path: path}).EscapedPath(), false
	case len(path) >= 3 && path[1] == ':' && path[2] == '/' &&
		('a' <= path[0]|0x20 && path[0]|0x20 <= 'z'):
		return "file:///" + (&url.URL{Path: path}).EscapedPath(), false
	}
	return (&url.URL{Path: path}).String(), true
}

// isAbsoluteURI reports whether s is an absolute URI, as the SARIF schema's
// "uri" format requires.
func isAbsoluteURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && !strings.Contains(s, `\`)
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return sarif.LevelError
	case finding.SeverityWarning:
		return sarif.LevelWarning
	case finding.SeverityNote:
		return sarif.LevelNote
	}
	return sarif.LevelNone
}

// problemSeverity maps a severity to GitHub's problem.severity of
// non-security rules.
func problemSeverity(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return "error"
	case finding.SeverityWarning:
		return "warning"
	}
	return "recommendation"
}

// distinct returns the non-empty strings of ss without repeats, in order;
// SARIF tags must be unique.
func distinct(ss []string) []string {
	var out []string
	seen := make(map[string]bool, len(ss))
	for _, s := range ss {
		s = validUTF8(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// validUTF8 replaces invalid UTF-8 in s with U+FFFD, as encoding/json
// would, so strings that must be unique stay unique once encoded.
func validUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// truncate cuts s to at most n code points, ending with "…" when cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	runes := []rune(s)
	if len(runes) <= n {
		return s
	}
	return string(runes[:n-1]) + "…"
}
