package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// sarifLog is the part of a SARIF log the tests look at.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID string `json:"id"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Results []struct {
			RuleID           string            `json:"ruleId"`
			RuleIndex        int               `json:"ruleIndex"`
			Level            string            `json:"level"`
			RelatedLocations []json.RawMessage `json:"relatedLocations"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

// renderSARIF renders res as SARIF, validates it and decodes it.
func renderSARIF(t testing.TB, opts Options, res *finding.Result) sarifLog {
	t.Helper()
	doc := render(t, "sarif", opts, res)
	validateSARIF(t, doc)
	var log sarifLog
	if err := json.Unmarshal(doc, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
		t.Fatalf("want one run with one invocation:\n%s", doc)
	}
	return log
}

// findingsWithSeverities builds one finding per severity, rule "r<i>".
func findingsWithSeverities(sevs ...finding.Severity) []finding.Finding {
	fs := make([]finding.Finding, len(sevs))
	for i, s := range sevs {
		fs[i] = finding.Finding{RuleID: fmt.Sprintf("r%d", i), Severity: s, Message: "m", Location: loc("a.yaml", i+1, 1, 0, 0)}
	}
	return fs
}

func TestSARIFResultCap(t *testing.T) {
	const (
		note    = finding.SeverityNote
		warning = finding.SeverityWarning
		err     = finding.SeverityError
	)
	tests := []struct {
		name        string
		max         int
		findings    []finding.Finding
		suppress    []int
		wantRules   []string
		wantDropped string
	}{
		{
			name:        "keeps the two most severe in their original order",
			max:         2,
			findings:    findingsWithSeverities(note, err, warning, err, note),
			wantRules:   []string{"r1", "r3"},
			wantDropped: "3 of 5 results were dropped",
		},
		{
			name:        "ties keep the earlier finding",
			max:         3,
			findings:    findingsWithSeverities(note, warning, err, warning, note),
			wantRules:   []string{"r1", "r2", "r3"},
			wantDropped: "2 of 5 results were dropped",
		},
		{
			name:        "suppressed findings go before unsuppressed ones of any severity",
			max:         2,
			findings:    findingsWithSeverities(err, note, err, note),
			suppress:    []int{0, 2},
			wantRules:   []string{"r1", "r3"},
			wantDropped: "2 of 4 results were dropped",
		},
		{
			name:      "at the cap nothing is dropped",
			max:       3,
			findings:  findingsWithSeverities(note, err, warning),
			wantRules: []string{"r0", "r1", "r2"},
		},
		{
			name:      "zero means GitHub's limit",
			max:       0,
			findings:  findingsWithSeverities(note, err, warning),
			wantRules: []string{"r0", "r1", "r2"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, i := range tc.suppress {
				tc.findings[i].Suppressed = &finding.Suppression{Kind: "external", Justification: "baseline"}
			}
			run := renderSARIF(t, Options{MaxSARIFResults: tc.max}, &finding.Result{Findings: tc.findings}).Runs[0]
			var got []string
			for _, r := range run.Results {
				got = append(got, r.RuleID)
				if rule := run.Tool.Driver.Rules[r.RuleIndex].ID; rule != r.RuleID {
					t.Errorf("result %s has ruleIndex %d naming rule %s", r.RuleID, r.RuleIndex, rule)
				}
			}
			if !slices.Equal(got, tc.wantRules) {
				t.Errorf("results = %q, want %q", got, tc.wantRules)
			}
			notes := run.Invocations[0].ToolExecutionNotifications
			if tc.wantDropped == "" {
				if len(notes) != 0 {
					t.Errorf("unexpected notifications: %+v", notes)
				}
				return
			}
			if len(notes) != 1 || notes[0].Level != "warning" || !strings.HasPrefix(notes[0].Message.Text, tc.wantDropped) {
				t.Errorf("notifications = %+v, want one warning starting %q", notes, tc.wantDropped)
			}
			if !run.Invocations[0].ExecutionSuccessful {
				t.Errorf("dropping results made the execution unsuccessful")
			}
		})
	}
}

func TestSARIFCapsRelatedLocations(t *testing.T) {
	f := finding.Finding{RuleID: "r", Severity: finding.SeverityError, Message: "m", Location: loc("a.yaml", 1, 1, 0, 0)}
	for i := range maxRelatedLocations + 5 {
		f.Related = append(f.Related, loc("b.yaml", i+1, 1, 0, 0))
	}
	run := renderSARIF(t, Options{}, &finding.Result{Findings: []finding.Finding{f}}).Runs[0]
	if n := len(run.Results[0].RelatedLocations); n != maxRelatedLocations {
		t.Errorf("got %d related locations, want %d", n, maxRelatedLocations)
	}
	notes := run.Invocations[0].ToolExecutionNotifications
	if len(notes) != 1 || !strings.Contains(notes[0].Message.Text, "more than 1000 related locations") {
		t.Errorf("notifications = %+v", notes)
	}
}

func TestSARIFDriverAndRun(t *testing.T) {
	tests := []struct {
		name         string
		opts         Options
		wantVersion  string
		wantSemver   string
		wantCategory string
	}{
		{name: "semantic version is copied", opts: Options{Version: "0.1.0"}, wantVersion: "0.1.0", wantSemver: "0.1.0", wantCategory: "kubeplan/"},
		{name: "leading v is dropped from the semantic version", opts: Options{Version: "v2.0.0-rc.1+build.5"}, wantVersion: "v2.0.0-rc.1+build.5", wantSemver: "2.0.0-rc.1+build.5", wantCategory: "kubeplan/"},
		{name: "dev is not a semantic version", opts: Options{Version: "dev"}, wantVersion: "dev", wantCategory: "kubeplan/"},
		{name: "category gets one trailing slash", opts: Options{Category: "kubeplan/prod/"}, wantCategory: "kubeplan/prod/"},
		{name: "category is prefixed to the slash", opts: Options{Category: "lint"}, wantCategory: "lint/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := renderSARIF(t, tc.opts, &finding.Result{}).Runs[0]
			d := run.Tool.Driver
			if d.Name != "kubeplan" || d.Version != tc.wantVersion || d.SemanticVersion != tc.wantSemver {
				t.Errorf("driver = %q %q %q, want kubeplan %q %q", d.Name, d.Version, d.SemanticVersion, tc.wantVersion, tc.wantSemver)
			}
			if run.AutomationDetails.ID != tc.wantCategory {
				t.Errorf("automation id = %q, want %q", run.AutomationDetails.ID, tc.wantCategory)
			}
		})
	}
}

func TestSARIFNotificationsSetExecutionSuccessful(t *testing.T) {
	tests := []struct {
		name  string
		level finding.Severity
		want  bool
	}{
		{name: "an error notification means the run failed", level: finding.SeverityError, want: false},
		{name: "a warning notification keeps the run successful", level: finding.SeverityWarning, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := &finding.Result{Notifications: []finding.Notification{{Level: tc.level, Message: "m", Location: loc("a.yaml", 0, 0, 0, 0)}}}
			inv := renderSARIF(t, Options{}, res).Runs[0].Invocations[0]
			if inv.ExecutionSuccessful != tc.want {
				t.Errorf("executionSuccessful = %v, want %v", inv.ExecutionSuccessful, tc.want)
			}
		})
	}
}

func TestSARIFRegion(t *testing.T) {
	// span is a region's line and column fields, 0 standing for absent
	// (every present value is at least 1).
	type span struct{ startLine, startCol, endLine, endCol int }
	tests := []struct {
		name string
		loc  finding.Location
		want span
	}{
		{name: "full span is copied", loc: loc("a", 2, 3, 4, 5), want: span{2, 3, 4, 5}},
		{name: "unknown line becomes line 1 without columns", loc: loc("a", 0, 3, 0, 5), want: span{startLine: 1}},
		{name: "negative line becomes line 1", loc: loc("a", -7, -1, -2, -3), want: span{startLine: 1}},
		{name: "zero column is left out", loc: loc("a", 2, 0, 0, 0), want: span{startLine: 2}},
		{name: "end column alone ends on the start line", loc: loc("a", 2, 3, 0, 9), want: span{2, 3, 2, 9}},
		{name: "end line before the start is left out", loc: loc("a", 5, 3, 4, 9), want: span{startLine: 5, startCol: 3}},
		{name: "end column before the start column on one line is left out", loc: loc("a", 5, 8, 5, 2), want: span{startLine: 5, startCol: 8, endLine: 5}},
		{name: "negative end column is left out", loc: loc("a", 5, 8, 6, -2), want: span{startLine: 5, startCol: 8, endLine: 6}},
	}
	deref := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := region(tc.loc)
			got := span{deref(r.StartLine), deref(r.StartColumn), deref(r.EndLine), deref(r.EndColumn)}
			if got != tc.want {
				t.Errorf("region(%+v) = %+v, want %+v", tc.loc, got, tc.want)
			}
		})
	}
}

func TestFileURI(t *testing.T) {
	tests := []struct {
		name         string
		path         string
		wantURI      string
		wantRelative bool
	}{
		{name: "plain relative path", path: "deploy/app.yaml", wantURI: "deploy/app.yaml", wantRelative: true},
		{name: "spaces and non-ASCII are percent-encoded", path: "charts/café app/v.yaml", wantURI: "charts/caf%C3%A9%20app/v.yaml", wantRelative: true},
		{name: "percent, query and fragment characters are encoded", path: "a%b?c#d.yaml", wantURI: "a%25b%3Fc%23d.yaml", wantRelative: true},
		{name: "colon in the first segment is not read as a scheme", path: "a:b/c.yaml", wantURI: "./a:b/c.yaml", wantRelative: true},
		{name: "backslash is encoded", path: `a\b.yaml`, wantURI: "a%5Cb.yaml", wantRelative: true},
		{name: "standard input", path: "-", wantURI: "-", wantRelative: true},
		{name: "absolute path becomes a file URI", path: "/tmp/x y.yaml", wantURI: "file:///tmp/x%20y.yaml"},
		{name: "windows drive path becomes a file URI", path: "C:/x.yaml", wantURI: "file:///C:/x.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			uri, relative := fileURI(tc.path)
			if uri != tc.wantURI || relative != tc.wantRelative {
				t.Errorf("fileURI(%q) = %q, %v; want %q, %v", tc.path, uri, relative, tc.wantURI, tc.wantRelative)
			}
			u, err := url.Parse(uri)
			if err != nil {
				t.Fatalf("url.Parse(%q): %v", uri, err)
			}
			if got := u.Path; got != tc.path && got != "/"+tc.path && got != "./"+tc.path {
				t.Errorf("URI %q decodes to path %q, want %q", uri, got, tc.path)
			}
		})
	}
}

func TestSARIFOmitsInvalidURIs(t *testing.T) {
	res := &finding.Result{Rules: []finding.Rule{{ID: "r", Title: "t", Description: "d", Severity: finding.SeverityNote, DocsURL: "docs/rules.md#r"}}}
	doc := string(render(t, "sarif", Options{InformationURI: "not a uri"}, res))
	validateSARIF(t, []byte(doc))
	for _, s := range []string{`"helpUri"`, `"informationUri"`} {
		if strings.Contains(doc, s) {
			t.Errorf("output has %s although the URI is not absolute", s)
		}
	}
}

func TestSchemaValidationCatchesInvalidSARIF(t *testing.T) {
	valid := render(t, "sarif", Options{}, basicResult())
	tests := []struct {
		name     string
		old, new string
	}{
		{name: "line zero", old: `"startLine": 4`, new: `"startLine": 0`},
		{name: "unknown level", old: `"level": "error"`, new: `"level": "fatal"`},
		{name: "null array", old: `"relatedLocations": []`, new: `"relatedLocations": null`},
		{name: "uri with a backslash", old: `"uri": "deploy/app.yaml"`, new: `"uri": "deploy\\app.yaml"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(valid, []byte(tc.old)) {
				t.Fatalf("fixture lacks %s", tc.old)
			}
			doc := bytes.Replace(valid, []byte(tc.old), []byte(tc.new), 1)
			if errs := sarifSchemaErrors(t, doc); len(errs) == 0 {
				t.Errorf("schema accepted %s", tc.new)
			}
		})
	}
}

// FuzzSARIF builds results from fuzzed strings and numbers and checks the
// SARIF output is schema-valid and deterministic, and that no format panics.
func FuzzSARIF(f *testing.F) {
	f.Add("msg", "deploy/app.yaml", "dup-object", "first here", 3, 5, 3, 9, uint8(3), 0)
	f.Add("line\r\nbreak\x00\x1b[31m", "a b/ü:%?#\\x.yaml", "policy.main.deny", "", 0, 0, 0, 0, uint8(0), 1)
	f.Add("", "", "", "inSource", -5, -1, -9, -2, uint8(2), 2)
	f.Add("\xff\xfe", "/abs/\xff.yaml", "\xff", "\xfe", 1<<62, 1<<62, 1<<62+1, 1<<62, uint8(1), 3)
	f.Add("https://example.com/x", "C:/w.yaml", "v1.2.3", "external", 2, 9, 1, 1, uint8(255), -4)
	f.Fuzz(func(t *testing.T, msg, path, ruleID, other string, line, col, endLine, endCol int, sev uint8, limit int) {
		severity := finding.Severity(sev % 4)
		l := finding.Location{Path: path, Line: line, Col: col, EndLine: endLine, EndCol: endCol, Message: other}
		res := &finding.Result{
			Rules: []finding.Rule{
				{ID: ruleID, Title: msg, Description: other, Severity: severity, Categories: []string{path, path, other}, SecuritySeverity: other, DocsURL: path},
				{ID: ruleID, Title: "duplicate id"},
			},
			Findings: []finding.Finding{
				{RuleID: ruleID, Severity: severity, Message: msg, Location: l, Related: []finding.Location{l, l, {Path: other, Line: -line}}},
				{RuleID: ruleID + "\xff", Severity: finding.SeverityError, Message: other, Location: finding.Location{Path: other, Line: -line, Col: -col},
					Suppressed: &finding.Suppression{Kind: other, Justification: msg}},
				{RuleID: other, Severity: finding.Severity(int(sev) - 100), Message: msg, Location: finding.Location{Path: path, Line: endLine, Col: endCol, EndLine: line, EndCol: col},
					Fingerprint: other},
			},
			Notifications: []finding.Notification{
				{Level: severity, Message: msg, Location: l},
				{Level: severity, Message: msg, Location: l},
			},
			Notes: []string{msg},
		}
		opts := Options{
			ToolName: ruleID, Version: other, InformationURI: path, Category: msg, MaxSARIFResults: limit % 4,
			Sources: newSources(map[string]string{path: msg + "\n" + other + "\n"}),
		}
		doc := render(t, "sarif", opts, res)
		validateSARIF(t, doc)
		if again := render(t, "sarif", opts, res); !bytes.Equal(doc, again) {
			t.Fatalf("two runs differ:\n%s", lineDiff(string(doc), string(again)))
		}
		for _, format := range []string{"text", "json", "github"} {
			out := render(t, format, opts, res)
			if format == "json" && !json.Valid(out) {
				t.Fatalf("json output is not valid JSON:\n%s", out)
			}
		}
	})
}
