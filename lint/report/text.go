package report

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// ANSI escape sequences used by coloured text output.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// textReporter writes findings for people, compiler style:
//
//	deploy/app.yaml:13:18: warning image-tag-latest: container web uses the tag "latest"
//	  12 |         - name: web
//	  13 |           image: nginx:latest
//	     |                  ^~~~~~~~~~~~
//	  14 |           securityContext:
//	  related: deploy/other.yaml:4:9: first defined here
//
// Findings are grouped by file in the order of the result, with a blank line
// between files; then notifications that are not also findings, notes and
// one summary line.
type textReporter struct {
	opts Options
}

// Report writes res as text.
// fileSections renders the shown findings, one section per run of findings
// in the same file, rendering the sections in parallel (snippets make a
// large report slow to write on one core).
func (r textReporter) fileSections(findings []finding.Finding) []string {
	var groups [][]finding.Finding
	start := -1
	for i, f := range findings {
		shown := f.Suppressed == nil || r.opts.ShowSuppressed
		if start >= 0 && (!shown || f.Location.Path != findings[start].Location.Path) {
			groups = append(groups, findings[start:i])
			start = -1
		}
		if shown && start < 0 {
			start = i
		}
	}
	if start >= 0 {
		groups = append(groups, findings[start:])
	}
	// A suppressed finding between two of the same file splits them;
	// join such neighbours back into one section.
	sections := make([]string, len(groups))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(groups)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(groups) {
					return
				}
				var b bytes.Buffer
				for _, f := range groups[i] {
					r.writeFinding(&b, f)
				}
				sections[i] = b.String()
			}
		})
	}
	wg.Wait()
	out := sections[:0]
	for i, sec := range sections {
		if i > 0 && groups[i][0].Location.Path == groups[i-1][0].Location.Path {
			out[len(out)-1] += sec
			continue
		}
		out = append(out, sec)
	}
	return out
}

func (r textReporter) Report(w io.Writer, res *finding.Result) error {
	res = orEmpty(res)
	sections := r.fileSections(res.Findings)

	// A notification that repeats a finding (a load error is both) is
	// printed once, as the finding.
	shown := map[string]bool{}
	for _, f := range res.Findings {
		shown[f.Location.Path+"\x00"+f.Message] = true
	}
	var notes []finding.Notification
	for _, n := range res.Notifications {
		if !shown[n.Location.Path+"\x00"+n.Message] {
			notes = append(notes, n)
		}
	}
	if len(notes) > 0 {
		var b strings.Builder
		for _, n := range notes {
			if prefix := r.position(n.Location); prefix != "" {
				b.WriteString(prefix + ": ")
			}
			fmt.Fprintf(&b, "%s: %s\n", r.severity(n.Level), indentLines(sanitize(n.Message)))
		}
		sections = append(sections, b.String())
	}

	if len(res.Notes) > 0 && !r.opts.Quiet {
		var b strings.Builder
		for _, n := range res.Notes {
			fmt.Fprintf(&b, "note: %s\n", indentLines(sanitize(n)))
		}
		sections = append(sections, b.String())
	}

	sections = append(sections, summarize(res).String()+"\n")
	_, err := io.WriteString(w, strings.Join(sections, "\n"))
	return err
}

// writeFinding writes one finding: its headline, its snippet unless Quiet,
// and its related locations.
func (r textReporter) writeFinding(b *bytes.Buffer, f finding.Finding) {
	if prefix := r.position(f.Location); prefix != "" {
		b.WriteString(prefix + ": ")
	}
	b.WriteString(r.severity(f.Severity))
	if f.RuleID != "" {
		b.WriteString(" " + r.paint(ansiDim, sanitize(f.RuleID)))
	}
	b.WriteString(": " + indentLines(sanitize(f.Message)))
	if s := f.Suppressed; s != nil {
		b.WriteString(" (suppressed")
		if s.Justification != "" {
			b.WriteString(": " + indentLines(sanitize(s.Justification)))
		}
		b.WriteString(")")
	}
	b.WriteString("\n")
	if !r.opts.Quiet {
		r.writeSnippet(b, f.Location, severityColor(f.Severity))
	}
	for _, rel := range f.Related {
		var parts []string
		if pos := r.position(rel); pos != "" {
			parts = append(parts, pos)
		}
		if rel.Message != "" {
			parts = append(parts, indentLines(sanitize(rel.Message)))
		}
		b.WriteString("  related: " + strings.Join(parts, ": ") + "\n")
	}
}

// writeSnippet writes the line before, the line and the line after loc,
// with a caret line under loc's column right after loc's line. It writes
// nothing when the file or the line is not available.
func (r textReporter) writeSnippet(b *bytes.Buffer, loc finding.Location, color string) {
	if r.opts.Sources == nil || loc.Line < 1 {
		return
	}
	file := r.opts.Sources.File(loc.Path)
	if file == nil {
		return
	}
	text, ok := file.Line(loc.Line)
	if !ok {
		return
	}
	before, hasBefore := file.Line(loc.Line - 1)
	after, hasAfter := "", false
	if loc.Line < file.Lines() {
		after, hasAfter = file.Line(loc.Line + 1)
		// A file ending in a newline has an empty last "line" after it.
		if hasAfter && after == "" && loc.Line+1 == file.Lines() {
			hasAfter = false
		}
	}
	last := loc.Line
	if hasAfter {
		last++
	}
	width := len(strconv.Itoa(last))
	gutter := func(n int) string { return fmt.Sprintf("  %*d | ", width, n) }

	if hasBefore {
		b.WriteString(strings.TrimRight(gutter(loc.Line-1)+sanitize(before), " ") + "\n")
	}
	b.WriteString(strings.TrimRight(gutter(loc.Line)+sanitize(text), " ") + "\n")
	if caret := caretLine(text, loc); caret != "" {
		b.WriteString("  " + strings.Repeat(" ", width) + " | " + r.paint(color, caret) + "\n")
	}
	if hasAfter {
		b.WriteString(strings.TrimRight(gutter(loc.Line+1)+sanitize(after), " ") + "\n")
	}
}

// caretLine returns the marker for loc under line: padding up to loc.Col
// (tabs where the line has tabs, so the caret aligns), "^" at loc.Col and
// "~" up to just before loc.EndCol when the span ends on the same line.
// Columns are 1-based code points. It returns "" when loc has no column.
func caretLine(line string, loc finding.Location) string {
	if loc.Col < 1 {
		return ""
	}
	runes := []rune(line)
	col := min(loc.Col, len(runes)+1)
	var b strings.Builder
	for _, c := range runes[:col-1] {
		if c == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	if loc.EndLine == 0 || loc.EndLine == loc.Line {
		end := min(loc.EndCol, len(runes)+1)
		if n := end - col - 1; n > 0 {
			b.WriteString(strings.Repeat("~", n))
		}
	}
	return b.String()
}

// position renders "path:line:col", leaving out a zero line or column. The
// path is bold when colour is on. A location without a path renders as "".
func (r textReporter) position(loc finding.Location) string {
	if loc.Path == "" {
		return ""
	}
	s := r.paint(ansiBold, sanitize(loc.Path))
	if loc.Line > 0 {
		s += ":" + strconv.Itoa(loc.Line)
		if loc.Col > 0 {
			s += ":" + strconv.Itoa(loc.Col)
		}
	}
	return s
}

// severity renders a severity word in its colour.
func (r textReporter) severity(s finding.Severity) string {
	return r.paint(severityColor(s), s.String())
}

// paint wraps s in the escape sequence code when colour is on.
func (r textReporter) paint(code, s string) string {
	if !r.opts.Color || code == "" || s == "" {
		return s
	}
	return code + s + ansiReset
}

// severityColor is the colour of a severity: red, yellow or cyan.
func severityColor(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return ansiRed
	case finding.SeverityWarning:
		return ansiYellow
	case finding.SeverityNote:
		return ansiCyan
	}
	return ""
}

// sanitize replaces control characters other than tab and newline, and
// invalid UTF-8, with U+FFFD, so text read from manifests cannot move the
// cursor or inject escape codes. Each replaced code point stays one code
// point, so columns still line up.
func sanitize(s string) string {
	clean := true
	for _, c := range s {
		if isUnsafe(c) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(c rune) rune {
		if isUnsafe(c) {
			return utf8.RuneError
		}
		return c
	}, s)
}

// isUnsafe reports whether c must not reach a terminal: C0 and C1 controls
// except tab and newline, DEL, and the error rune of invalid UTF-8.
func isUnsafe(c rune) bool {
	switch {
	case c == '\t' || c == '\n':
		return false
	case c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0):
		return true
	}
	return c == utf8.RuneError
}

// indentLines indents the continuation lines of a multi-line message so
// that they are not mistaken for new findings.
func indentLines(s string) string {
	return strings.ReplaceAll(s, "\n", "\n    ")
}
