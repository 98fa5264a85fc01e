package report

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// githubReporter writes GitHub Actions workflow commands, which the Actions
// runner turns into annotations on the pull request and the run summary:
//
//	::error file=deploy/app.yaml,line=4,col=9,endLine=4,endColumn=12,title=duplicate-object::Deployment shop/web is defined twice
//
// One command per unsuppressed finding ("error", "warning", or "notice" for
// notes), in the order of the result, then one per notification, then the
// summary line of the text format as plain text (it starts with no "::", so
// the runner just logs it). Properties that are zero or empty are left out;
// values and messages are escaped as the runner expects.
type githubReporter struct {
	opts Options
}

// Report writes res as workflow commands.
func (r githubReporter) Report(w io.Writer, res *finding.Result) error {
	res = orEmpty(res)
	var b bytes.Buffer
	for _, f := range res.Findings {
		if f.Suppressed != nil {
			continue
		}
		writeCommand(&b, f.Severity, f.Location, f.RuleID, f.Message)
	}
	for _, n := range res.Notifications {
		writeCommand(&b, n.Level, n.Location, "", n.Message)
	}
	b.WriteString(summarize(res).String() + "\n")
	_, err := w.Write(b.Bytes())
	return err
}

// writeCommand writes one "::level props::message" line.
func writeCommand(b *bytes.Buffer, sev finding.Severity, loc finding.Location, title, msg string) {
	b.WriteString("::" + githubLevel(sev))
	var props []string
	if loc.Path != "" {
		props = append(props, "file="+escapeProperty(loc.Path))
	}
	for _, p := range []struct {
		name string
		v    int
	}{{"line", loc.Line}, {"col", loc.Col}, {"endLine", loc.EndLine}, {"endColumn", loc.EndCol}} {
		if p.v > 0 {
			props = append(props, p.name+"="+strconv.Itoa(p.v))
		}
	}
	if title != "" {
		props = append(props, "title="+escapeProperty(title))
	}
	if len(props) > 0 {
		b.WriteString(" " + strings.Join(props, ","))
	}
	b.WriteString("::" + escapeData(msg) + "\n")
}

// githubLevel maps a severity to a workflow command: error, warning or
// notice (for notes and anything lower).
func githubLevel(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return "error"
	case finding.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a command's message as the Actions runner unescapes it:
// '%', CR and LF.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a command property value: as escapeData plus ':'
// and ','.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
