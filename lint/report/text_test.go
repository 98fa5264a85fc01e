package report

import (
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

func TestCaretLine(t *testing.T) {
	tests := []struct {
		name string
		line string
		loc  finding.Location
		want string
	}{
		{name: "no column gives no caret", line: "  name: web", loc: loc("f", 1, 0, 0, 0), want: ""},
		{name: "negative column gives no caret", line: "  name: web", loc: loc("f", 1, -3, 0, 0), want: ""},
		{name: "caret alone without an end", line: "  name: web", loc: loc("f", 1, 9, 0, 0), want: "        ^"},
		{name: "tildes run to just before the end column", line: "  name: web", loc: loc("f", 1, 9, 1, 12), want: "        ^~~"},
		{name: "end column alone ends on the same line", line: "  name: web", loc: loc("f", 1, 3, 0, 7), want: "  ^~~~"},
		{name: "span ending on a later line has no tildes", line: "  name: web", loc: loc("f", 1, 3, 2, 7), want: "  ^"},
		{name: "end before start has no tildes", line: "  name: web", loc: loc("f", 1, 9, 1, 4), want: "        ^"},
		{name: "tabs are kept so the caret aligns", line: "\tkey:\tvalue", loc: loc("f", 1, 7, 1, 12), want: "\t    \t^~~~~"},
		{name: "multi-byte characters count one column each", line: `x: "日本語" ü`, loc: loc("f", 1, 10, 1, 11), want: "         ^"},
		{name: "column past the end of the line is clamped", line: "ab", loc: loc("f", 1, 1000, 1, 2000), want: "  ^"},
		{name: "end past the end of the line is clamped", line: "abcd", loc: loc("f", 1, 2, 1, 1<<40), want: " ^~~"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := caretLine(tc.line, tc.loc); got != tc.want {
				t.Errorf("caretLine(%q, %+v) = %q, want %q", tc.line, tc.loc, got, tc.want)
			}
		})
	}
}

func TestTextOptions(t *testing.T) {
	sources := goldenCases()[0].opts.Sources
	tests := []struct {
		name        string
		opts        Options
		wantHave    []string
		wantNotHave []string
	}{
		{
			name:        "default output has snippets and notes but no suppressed findings or colour",
			opts:        Options{Sources: sources},
			wantHave:    []string{"  4 |   name: web\n    |         ^~~\n", "note: skipped 1 document"},
			wantNotHave: []string{"\x1b[", "warning service-selector-mismatch"},
		},
		{
			name:        "without sources there are no snippets",
			opts:        Options{},
			wantHave:    []string{"deploy/app.yaml:4:9: error duplicate-object: Deployment shop/web is defined twice\n  related: "},
			wantNotHave: []string{" | "},
		},
		{
			name: "quiet omits snippets and notes but keeps findings, related locations, notifications and summary",
			opts: Options{Sources: sources, Quiet: true},
			wantHave: []string{
				"deploy/app.yaml:4:9: error duplicate-object: Deployment shop/web is defined twice\n  related: deploy/old.yaml:4:9: first defined here\ndeploy/app.yaml:7:13:",
				"deploy/broken.yaml:3:7: error: yaml:",
				"3 errors, 1 warning, 1 note in 2 files (1 suppressed)\n",
			},
			wantNotHave: []string{" | ", "skipped 1 document"},
		},
		{
			name:     "show suppressed lists suppressed findings marked with their justification",
			opts:     Options{Quiet: true, ShowSuppressed: true},
			wantHave: []string{"deploy/svc.yaml:10:10: warning service-selector-mismatch: selector app=web-frontend matches no pod template (suppressed: annotation kubeplan.dev/ignore)\n"},
		},
		{
			name: "colour paints paths bold, severities in their colours and rule ids dim",
			opts: Options{Quiet: true, Color: true},
			wantHave: []string{
				"\x1b[1mdeploy/app.yaml\x1b[0m:4:9: \x1b[31merror\x1b[0m \x1b[2mduplicate-object\x1b[0m: ",
				"\x1b[33mwarning\x1b[0m", "\x1b[36mnote\x1b[0m",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(render(t, "text", tc.opts, basicResult()))
			for _, s := range tc.wantHave {
				if !strings.Contains(got, s) {
					t.Errorf("output lacks %q:\n%s", s, got)
				}
			}
			for _, s := range tc.wantNotHave {
				if strings.Contains(got, s) {
					t.Errorf("output has %q:\n%s", s, got)
				}
			}
		})
	}
}

func TestTextSeparatesFilesWithBlankLines(t *testing.T) {
	got := string(render(t, "text", Options{Quiet: true}, basicResult()))
	want := "deploy/app.yaml:14:24: error run-as-root: container \"web\" runs as root (runAsUser: 0)\n\ndeploy/svc.yaml:8:1:"
	if !strings.Contains(got, want) {
		t.Errorf("output lacks a blank line between files:\n%s", got)
	}
}

func TestTextNeutralisesControlCharacters(t *testing.T) {
	res := &finding.Result{Findings: []finding.Finding{{
		RuleID: "r", Severity: finding.SeverityError,
		Message:  "evil \x1b[2Jclear\rand\x07bell\nnext line",
		Location: loc("a\x1b.yaml", 1, 3, 0, 0),
	}}}
	opts := Options{Sources: newSources(map[string]string{"a\x1b.yaml": "k:\x1b[31m red\n"})}
	got := string(render(t, "text", opts, res))
	if strings.ContainsAny(got, "\x1b\r\x07") {
		t.Errorf("control characters reached the output: %q", got)
	}
	want := "a\uFFFD.yaml:1:3: error r: evil \uFFFD[2Jclear\uFFFDand\uFFFDbell\n    next line\n" +
		"  1 | k:\uFFFD[31m red\n" +
		"    |   ^\n"
	if !strings.HasPrefix(got, want) {
		t.Errorf("got:\n%q\nwant prefix:\n%q", got, want)
	}
}

func TestTextSnippetSkipsMissingLines(t *testing.T) {
	opts := Options{Sources: newSources(map[string]string{"one.yaml": "only: line"})}
	tests := []struct {
		name string
		loc  finding.Location
		want string
	}{
		{name: "single line file shows just that line", loc: loc("one.yaml", 1, 7, 1, 11), want: "one.yaml:1:7: error r: m\n  1 | only: line\n    |       ^~~~\n\n"},
		{name: "line beyond the file shows no snippet", loc: loc("one.yaml", 9, 1, 0, 0), want: "one.yaml:9:1: error r: m\n\n"},
		{name: "unknown file shows no snippet", loc: loc("other.yaml", 1, 1, 0, 0), want: "other.yaml:1:1: error r: m\n\n"},
		{name: "location without a path has no prefix", loc: loc("", 1, 1, 0, 0), want: "error r: m\n\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := &finding.Result{Findings: []finding.Finding{{RuleID: "r", Severity: finding.SeverityError, Message: "m", Location: tc.loc}}}
			got := string(render(t, "text", opts, res))
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got:\n%s\nwant prefix:\n%s", got, tc.want)
			}
		})
	}
}

// Sections are rendered in parallel; a suppressed finding between two of
// the same file must not split their section, and order must hold.
func TestTextSectionsKeepOrderAroundSuppressedFindings(t *testing.T) {
	mk := func(path string, line int, suppressed bool) finding.Finding {
		f := finding.Finding{RuleID: "r", Severity: finding.SeverityError, Message: path + " finding", Location: loc(path, line, 1, 0, 0)}
		if suppressed {
			f.Suppressed = &finding.Suppression{Kind: "inSource"}
		}
		return f
	}
	var fs []finding.Finding
	for i := range 50 {
		p := string(rune('a'+i%26)) + strings.Repeat("x", i/26) + ".yaml"
		fs = append(fs, mk(p, 1, false), mk(p, 2, true), mk(p, 3, false))
	}
	r := textReporter{}
	sections := r.fileSections(fs)
	if len(sections) != 50 {
		t.Fatalf("%d sections, want one per file (50)", len(sections))
	}
	for i, s := range sections {
		p := string(rune('a'+i%26)) + strings.Repeat("x", i/26) + ".yaml"
		if strings.Count(s, p+" finding") != 2 {
			t.Errorf("section %d does not hold %s's two shown findings:\n%s", i, p, s)
		}
	}
	r.opts.ShowSuppressed = true
	if got := r.fileSections(fs); len(got) != 50 || strings.Count(got[0], "finding") != 3 {
		t.Errorf("with suppressed findings shown: %d sections, first %q", len(got), got[0])
	}
}
