package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// jsonSchemaVersion is the version of the JSON wire schema. It changes only
// when a field is removed or changes meaning; adding a field keeps it.
const jsonSchemaVersion = 1

// jsonReporter writes the JSON wire schema documented on jsonReport.
type jsonReporter struct {
	opts Options
}

// jsonReport is the JSON report, wire schema version 1. It is the contract
// for scripts reading `kubeplan lint --format json`; the domain types in
// package finding may change without changing it.
//
//	{
//	  "version": 1,
//	  "tool": {"name": "kubeplan", "version": "0.1.0"},
//	  "findings": [
//	    {
//	      "ruleId": "duplicate-object",
//	      "severity": "error",
//	      "message": "Deployment shop/web is defined twice",
//	      "object": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop", "name": "web"},
//	      "fieldPath": "metadata.name",
//	      "location": {"path": "deploy/app.yaml", "line": 4, "column": 9, "endLine": 4, "endColumn": 12},
//	      "related": [
//	        {"path": "deploy/old.yaml", "line": 4, "column": 9, "endLine": 0, "endColumn": 0, "message": "first defined here"}
//	      ],
//	      "fingerprint": "3f0c…",
//	      "suppressed": {"kind": "inSource", "justification": "annotation kubeplan.dev/ignore"}
//	    }
//	  ],
//	  "notifications": [
//	    {"level": "error", "message": "yaml: …", "location": {"path": "bad.yaml", "line": 3, "column": 1, "endLine": 0, "endColumn": 0}}
//	  ],
//	  "summary": {"error": 1, "warning": 0, "note": 0, "suppressed": 0}
//	}
//
// Rules:
//   - The document is indented with two spaces and ends with a newline.
//   - "findings", "notifications" and every "related" are always arrays,
//     empty when there is nothing, never null. Findings come in kubeplan's
//     report order: path, line, column, rule, message.
//   - "severity" and "level" are "error", "warning" or "note" ("none" only
//     for findings whose severity was turned off).
//   - "object" is absent for findings not about one Kubernetes object (load
//     errors, file-level checks); inside it, empty fields are absent
//     ("namespace" for cluster-scoped objects).
//   - "fieldPath" is always present, "" when the finding is about the whole
//     object, e.g. "spec.template.spec.containers[0].image".
//   - A location always carries all five fields. Lines and columns are
//     1-based, columns count Unicode code points, "endLine"/"endColumn"
//     point just after the span; 0 means unknown. "path" is relative to the
//     working directory with '/' separators, or "-" for standard input.
//   - "fingerprint" identifies the finding independently of line numbers,
//     for baselines and deduplication.
//   - "suppressed" is absent unless a suppression hides the finding; "kind"
//     is "inSource" (annotation or comment) or "external" (config or
//     baseline). Suppressed findings are listed, never dropped.
//   - "summary" counts unsuppressed findings per severity; "suppressed"
//     counts suppressed findings of any severity.
type jsonReport struct {
	Version       int                `json:"version"`
	Tool          jsonTool           `json:"tool"`
	Findings      []jsonFinding      `json:"findings"`
	Notifications []jsonNotification `json:"notifications"`
	Summary       jsonSummary        `json:"summary"`
}

// jsonTool names the tool that wrote the report.
type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// jsonFinding is one finding on the wire.
type jsonFinding struct {
	RuleID      string           `json:"ruleId"`
	Severity    string           `json:"severity"`
	Message     string           `json:"message"`
	Object      *jsonObject      `json:"object,omitempty"`
	FieldPath   string           `json:"fieldPath"`
	Location    jsonLocation     `json:"location"`
	Related     []jsonRelated    `json:"related"`
	Fingerprint string           `json:"fingerprint"`
	Suppressed  *jsonSuppression `json:"suppressed,omitempty"`
}

// jsonObject names a Kubernetes object.
type jsonObject struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name,omitempty"`
}

// jsonLocation is a span in a file; zero lines and columns mean unknown.
type jsonLocation struct {
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
}

// jsonRelated is a further location a finding involves, with its message.
type jsonRelated struct {
	jsonLocation
	Message string `json:"message"`
}

// jsonSuppression says why a finding is hidden.
type jsonSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

// jsonNotification is a problem of the run itself, such as a load error.
type jsonNotification struct {
	Level    string       `json:"level"`
	Message  string       `json:"message"`
	Location jsonLocation `json:"location"`
}

// jsonSummary counts findings: unsuppressed per severity, suppressed in
// total.
type jsonSummary struct {
	Error      int `json:"error"`
	Warning    int `json:"warning"`
	Note       int `json:"note"`
	Suppressed int `json:"suppressed"`
}

// Report writes res as JSON.
func (r jsonReporter) Report(w io.Writer, res *finding.Result) error {
	res = orEmpty(res)
	doc := jsonReport{
		Version:       jsonSchemaVersion,
		Tool:          jsonTool{Name: r.opts.ToolName, Version: r.opts.Version},
		Findings:      make([]jsonFinding, 0, len(res.Findings)),
		Notifications: make([]jsonNotification, 0, len(res.Notifications)),
	}
	for _, f := range res.Findings {
		doc.Findings = append(doc.Findings, toJSONFinding(f))
	}
	for _, n := range res.Notifications {
		doc.Notifications = append(doc.Notifications, jsonNotification{
			Level:    n.Level.String(),
			Message:  n.Message,
			Location: toJSONLocation(n.Location),
		})
	}
	s := summarize(res)
	doc.Summary = jsonSummary{Error: s.errors, Warning: s.warnings, Note: s.notes, Suppressed: s.suppressed}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// toJSONFinding converts a finding to its wire form, computing the
// fingerprint when the finding has none.
func toJSONFinding(f finding.Finding) jsonFinding {
	jf := jsonFinding{
		RuleID:      f.RuleID,
		Severity:    f.Severity.String(),
		Message:     f.Message,
		FieldPath:   f.FieldPath,
		Location:    toJSONLocation(f.Location),
		Related:     make([]jsonRelated, 0, len(f.Related)),
		Fingerprint: fingerprint(f),
	}
	if !f.Object.IsZero() {
		o := f.Object
		jf.Object = &jsonObject{APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name}
	}
	for _, rel := range f.Related {
		jf.Related = append(jf.Related, jsonRelated{jsonLocation: toJSONLocation(rel), Message: rel.Message})
	}
	if s := f.Suppressed; s != nil {
		jf.Suppressed = &jsonSuppression{Kind: s.Kind, Justification: s.Justification}
	}
	return jf
}

// toJSONLocation converts a location to its wire form.
func toJSONLocation(l finding.Location) jsonLocation {
	return jsonLocation{Path: l.Path, Line: l.Line, Column: l.Col, EndLine: l.EndLine, EndColumn: l.EndCol}
}

// fingerprint returns the finding's fingerprint, computing it when empty.
func fingerprint(f finding.Finding) string {
	if f.Fingerprint != "" {
		return f.Fingerprint
	}
	return f.ComputeFingerprint()
}
