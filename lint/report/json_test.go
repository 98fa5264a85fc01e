package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

func TestJSONArraysAreNeverNull(t *testing.T) {
	res := &finding.Result{Findings: []finding.Finding{{RuleID: "r", Severity: finding.SeverityNote, Message: "m", Location: loc("a.yaml", 1, 1, 0, 0)}}}
	for _, tc := range []struct {
		name string
		res  *finding.Result
	}{
		{name: "empty result", res: &finding.Result{}},
		{name: "nil result", res: nil},
		{name: "finding without related locations", res: res},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := render(t, "json", Options{}, tc.res)
			if bytes.Contains(got, []byte("null")) {
				t.Errorf("output contains null:\n%s", got)
			}
			if !bytes.HasSuffix(got, []byte("}\n")) {
				t.Errorf("output does not end with a newline")
			}
		})
	}
}

func TestJSONRoundTripsTheBasicResult(t *testing.T) {
	var got jsonReport
	dec := json.NewDecoder(bytes.NewReader(render(t, "json", Options{Version: "1.0.0"}, basicResult())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || got.Tool != (jsonTool{Name: "kubeplan", Version: "1.0.0"}) {
		t.Errorf("header = %d %+v", got.Version, got.Tool)
	}
	if want := (jsonSummary{Error: 3, Warning: 1, Note: 1, Suppressed: 1}); got.Summary != want {
		t.Errorf("summary = %+v, want %+v", got.Summary, want)
	}
	if len(got.Findings) != 6 || len(got.Notifications) != 1 {
		t.Fatalf("got %d findings and %d notifications, want 6 and 1", len(got.Findings), len(got.Notifications))
	}
	first := jsonFinding{
		RuleID: "duplicate-object", Severity: "error", Message: "Deployment shop/web is defined twice",
		Object:    &jsonObject{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"},
		FieldPath: "metadata.name",
		Location:  jsonLocation{Path: "deploy/app.yaml", Line: 4, Column: 9, EndLine: 4, EndColumn: 12},
		Related: []jsonRelated{{
			jsonLocation: jsonLocation{Path: "deploy/old.yaml", Line: 4, Column: 9, EndLine: 4, EndColumn: 12},
			Message:      "first defined here",
		}},
		Fingerprint: basicResult().Findings[0].Fingerprint,
	}
	if !reflect.DeepEqual(got.Findings[0], first) {
		t.Errorf("first finding = %+v\nwant %+v", got.Findings[0], first)
	}
	suppressed := got.Findings[5]
	if suppressed.Suppressed == nil || *suppressed.Suppressed != (jsonSuppression{Kind: "inSource", Justification: "annotation kubeplan.dev/ignore"}) {
		t.Errorf("suppressed finding = %+v", suppressed)
	}
}

func TestJSONOmitsZeroObjectAndComputesMissingFingerprint(t *testing.T) {
	f := finding.Finding{RuleID: "load-error", Severity: finding.SeverityError, Message: "m", Location: loc("a.yaml", 0, 0, 0, 0)}
	got := string(render(t, "json", Options{}, &finding.Result{Findings: []finding.Finding{f}}))
	if strings.Contains(got, `"object"`) {
		t.Errorf("zero object is present:\n%s", got)
	}
	if want := `"fingerprint": "` + f.ComputeFingerprint() + `"`; !strings.Contains(got, want) {
		t.Errorf("output lacks %s:\n%s", want, got)
	}
	if !strings.Contains(got, `"fieldPath": ""`) {
		t.Errorf("empty fieldPath is not present:\n%s", got)
	}
}

func TestJSONDoesNotEscapeHTML(t *testing.T) {
	f := finding.Finding{RuleID: "r", Severity: finding.SeverityError, Message: "a < b && c > d", Location: loc("a.yaml", 1, 1, 0, 0)}
	got := string(render(t, "json", Options{}, &finding.Result{Findings: []finding.Finding{f}}))
	if !strings.Contains(got, `"message": "a < b && c > d"`) {
		t.Errorf("message was escaped:\n%s", got)
	}
}
