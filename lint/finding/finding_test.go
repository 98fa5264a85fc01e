package finding

import (
	"bytes"
	"reflect"
	"testing"
)

func TestParseSeverity(t *testing.T) {
	tests := []struct {
		in      string
		want    Severity
		wantErr bool
	}{
		{in: "error", want: SeverityError},
		{in: "Warning", want: SeverityWarning},
		{in: "warn", want: SeverityWarning},
		{in: "note", want: SeverityNote},
		{in: "info", want: SeverityNote},
		{in: "none", want: SeverityNone},
		{in: "loud", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSeverity(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseSeverity(%q) = %v, %v", tc.in, got, err)
			}
		})
	}
	if !(SeverityError > SeverityWarning && SeverityWarning > SeverityNote && SeverityNote > SeverityNone) {
		t.Error("severities are not ordered")
	}
}

func TestFingerprintIgnoresLines(t *testing.T) {
	base := Finding{RuleID: "r", Object: ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "a", Name: "b"}, FieldPath: "spec.replicas", Location: Location{Path: "x.yaml", Line: 3, Col: 5}, Message: "m"}
	moved := base
	moved.Location.Line, moved.Message = 30, "m2"
	if base.ComputeFingerprint() != moved.ComputeFingerprint() {
		t.Error("fingerprint changed when the finding moved or its message changed")
	}
	other := base
	other.FieldPath = "spec.template"
	if base.ComputeFingerprint() == other.ComputeFingerprint() {
		t.Error("different field paths share a fingerprint")
	}
	versioned := base
	versioned.Object.APIVersion = "apps/v1beta2"
	if base.ComputeFingerprint() != versioned.ComputeFingerprint() {
		t.Error("fingerprint depends on the API version, not just the group")
	}
	fileLevel := Finding{RuleID: "load-error", Location: Location{Path: "a.yaml", Line: 1}, Message: "bad"}
	fileLevel2 := fileLevel
	fileLevel2.Location.Path = "b.yaml"
	if fileLevel.ComputeFingerprint() == fileLevel2.ComputeFingerprint() {
		t.Error("file-level findings in different files share a fingerprint")
	}
}

func TestSortOrdersByPathLineColumnRule(t *testing.T) {
	fs := []Finding{
		{RuleID: "b", Location: Location{Path: "b.yaml", Line: 1, Col: 1}},
		{RuleID: "b", Location: Location{Path: "a.yaml", Line: 2, Col: 1}},
		{RuleID: "a", Location: Location{Path: "a.yaml", Line: 2, Col: 1}},
		{RuleID: "z", Location: Location{Path: "a.yaml", Line: 1, Col: 9}},
	}
	Sort(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Location.Path+":"+f.RuleID)
	}
	want := []string{"a.yaml:z", "a.yaml:a", "a.yaml:b", "b.yaml:b"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	for _, f := range fs {
		if f.Fingerprint == "" {
			t.Error("Sort did not fill the fingerprint")
		}
	}
}

func TestParseIgnoreComment(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		wantIDs   []string
		wantAll   bool
		wantFound bool
	}{
		{name: "rules after the directive", line: "  image: x # kubeplan:ignore latest-tag, no-probes", wantIDs: []string{"latest-tag", "no-probes"}, wantFound: true},
		{name: "whole-line comment", line: "# kubeplan:ignore a -- reviewed by ops", wantIDs: []string{"a"}, wantFound: true},
		{name: "no rules means all", line: "x: 1 # kubeplan:ignore", wantAll: true, wantFound: true},
		{name: "star means all", line: "# kubeplan:ignore *", wantAll: true, wantFound: true},
		{name: "no directive", line: "x: 1 # just a comment"},
		{name: "directive prefix of another word", line: "# kubeplan:ignored a"},
		{name: "second comment marker", line: `x: "#" # kubeplan:ignore a`, wantIDs: []string{"a"}, wantFound: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids, all, found := ParseIgnoreComment(tc.line)
			if found != tc.wantFound || all != tc.wantAll || !reflect.DeepEqual(ids, tc.wantIDs) {
				t.Errorf("got ids=%v all=%v found=%v", ids, all, found)
			}
		})
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	fs := []Finding{
		{RuleID: "a", Object: ObjectRef{Kind: "Pod", Name: "p"}, Location: Location{Path: "p.yaml", Line: 1}},
		{RuleID: "b", Location: Location{Path: "q.yaml", Line: 1}, Suppressed: &Suppression{Kind: "inSource"}},
	}
	b := NewBaseline(fs)
	if len(b.Findings) != 1 {
		t.Fatalf("baseline has %d entries, want 1 (suppressed findings are not recorded)", len(b.Findings))
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadBaseline(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Contains(fs[0].ComputeFingerprint()) || got.Contains(fs[1].ComputeFingerprint()) {
		t.Error("baseline does not contain exactly the unsuppressed finding")
	}
	if _, err := ReadBaseline(bytes.NewBufferString(`{"version": 2, "findings": []}`)); err == nil {
		t.Error("unknown version accepted")
	}
}

func TestRuleValidate(t *testing.T) {
	ok := Rule{ID: "a-b", Title: "t", Description: "d", Severity: SeverityWarning, SecuritySeverity: "5.5"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid rule refused: %v", err)
	}
	for name, r := range map[string]Rule{
		"upper-case id":             {ID: "A-b", Title: "t", Description: "d", Severity: SeverityWarning},
		"no title":                  {ID: "a", Description: "d", Severity: SeverityWarning},
		"no severity":               {ID: "a", Title: "t", Description: "d"},
		"security severity too big": {ID: "a", Title: "t", Description: "d", Severity: SeverityError, SecuritySeverity: "11"},
	} {
		if err := r.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
