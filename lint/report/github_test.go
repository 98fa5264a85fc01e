package report

import (
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

func TestGitHubCommands(t *testing.T) {
	tests := []struct {
		name string
		f    finding.Finding
		want string
	}{
		{
			name: "error with a full span",
			f:    finding.Finding{RuleID: "r", Severity: finding.SeverityError, Message: "m", Location: loc("a.yaml", 1, 2, 3, 4)},
			want: "::error file=a.yaml,line=1,col=2,endLine=3,endColumn=4,title=r::m\n",
		},
		{
			name: "warning without columns leaves them out",
			f:    finding.Finding{RuleID: "r", Severity: finding.SeverityWarning, Message: "m", Location: loc("a.yaml", 7, 0, 0, 0)},
			want: "::warning file=a.yaml,line=7,title=r::m\n",
		},
		{
			name: "note becomes notice and a zero line is left out",
			f:    finding.Finding{RuleID: "r", Severity: finding.SeverityNote, Message: "m", Location: loc("a.yaml", 0, 0, 0, 0)},
			want: "::notice file=a.yaml,title=r::m\n",
		},
		{
			name: "negative positions are left out",
			f:    finding.Finding{RuleID: "r", Severity: finding.SeverityNote, Message: "m", Location: loc("a.yaml", -1, -2, -3, -4)},
			want: "::notice file=a.yaml,title=r::m\n",
		},
		{
			name: "message escapes percent, carriage return and newline only",
			f:    finding.Finding{RuleID: "r", Severity: finding.SeverityError, Message: "100%: a,b\r\nc::d", Location: loc("a.yaml", 1, 0, 0, 0)},
			want: "::error file=a.yaml,line=1,title=r::100%25: a,b%0D%0Ac::d\n",
		},
		{
			name: "property values also escape colon and comma",
			f:    finding.Finding{RuleID: "policy:x,y", Severity: finding.SeverityError, Message: "m", Location: loc("dir,1/a:b%.yaml", 1, 0, 0, 0)},
			want: "::error file=dir%2C1/a%3Ab%25.yaml,line=1,title=policy%3Ax%2Cy::m\n",
		},
		{
			name: "finding without path or rule has no properties",
			f:    finding.Finding{Severity: finding.SeverityWarning, Message: "m"},
			want: "::warning::m\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(render(t, "github", Options{}, &finding.Result{Findings: []finding.Finding{tc.f}}))
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got:\n%s\nwant first line:\n%s", got, tc.want)
			}
		})
	}
}

func TestGitHubSkipsSuppressedAndEndsWithPlainSummary(t *testing.T) {
	got := string(render(t, "github", Options{}, basicResult()))
	if strings.Contains(got, "service-selector-mismatch") {
		t.Errorf("suppressed finding was reported:\n%s", got)
	}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if want := "::error file=deploy/broken.yaml,line=3,col=7::yaml: mapping values are not allowed in this context"; lines[len(lines)-2] != want {
		t.Errorf("notification line = %q, want %q", lines[len(lines)-2], want)
	}
	if last := lines[len(lines)-1]; strings.HasPrefix(last, "::") || last != "3 errors, 1 warning, 1 note in 2 files (1 suppressed)" {
		t.Errorf("last line = %q, want the plain summary", last)
	}
}
