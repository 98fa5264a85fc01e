package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// Location is a span in a source file. Lines and columns are 1-based;
// columns count Unicode code points, as the YAML parser does. EndLine and
// EndCol, when set, point just after the span (SARIF's convention); zero
// means "unknown". Path is relative to the working directory with '/'
// separators, or "-" for standard input.
type Location struct {
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"column,omitempty"`
	EndLine int    `json:"endLine,omitempty"`
	EndCol  int    `json:"endColumn,omitempty"`
	// Message explains a related location ("first defined here"); empty on
	// primary locations.
	Message string `json:"message,omitempty"`
}

// Less orders locations by path, line and column.
func (l Location) Less(o Location) bool {
	if l.Path != o.Path {
		return l.Path < o.Path
	}
	if l.Line != o.Line {
		return l.Line < o.Line
	}
	return l.Col < o.Col
}

// ObjectRef names a Kubernetes object the way users read it. APIVersion
// carries the group ("apps/v1"); Namespace is empty for cluster-scoped
// objects and for objects that could not be read.
type ObjectRef struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name,omitempty"`
}

// Group returns the API group of the reference: "" for the core group.
func (o ObjectRef) Group() string {
	if i := strings.Index(o.APIVersion, "/"); i >= 0 {
		return o.APIVersion[:i]
	}
	return ""
}

// String renders "Kind namespace/name" (or "Kind name" when cluster-scoped).
func (o ObjectRef) String() string {
	if o.Kind == "" && o.Name == "" {
		return ""
	}
	if o.Namespace == "" {
		return o.Kind + " " + o.Name
	}
	return o.Kind + " " + o.Namespace + "/" + o.Name
}

// IsZero reports whether the reference names nothing.
func (o ObjectRef) IsZero() bool { return o == ObjectRef{} }

// Suppression records why a finding is hidden. Suppressed findings are kept
// in results and reported as suppressed, never dropped.
type Suppression struct {
	// Kind is SARIF's suppression kind: "inSource" for annotations and
	// comments in the manifest, "external" for config and baseline.
	Kind string `json:"kind"`
	// Justification says which mechanism suppressed it, e.g.
	// "annotation kubeplan.dev/ignore" or "baseline kubeplan-baseline.json".
	Justification string `json:"justification"`
}

// Finding is one problem found by one rule in one place.
type Finding struct {
	RuleID   string   `json:"ruleId"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Object is the object the finding is about; zero for file-level
	// findings such as load errors.
	Object ObjectRef `json:"object,omitempty"`
	// FieldPath is the path of the offending field within the object, in
	// the form "spec.template.spec.containers[0].image"; empty for the
	// object itself.
	FieldPath string `json:"fieldPath,omitempty"`
	// Location is where the finding points: the key of FieldPath, or the
	// nearest existing parent when the field is absent.
	Location Location `json:"location"`
	// Related are further places the finding involves, e.g. the first
	// definition of a duplicate.
	Related []Location `json:"related,omitempty"`
	// Fingerprint identifies the finding independently of line numbers;
	// filled by Fingerprint() when empty.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Suppressed is non-nil when a suppression hides this finding.
	Suppressed *Suppression `json:"suppressed,omitempty"`
}

// ComputeFingerprint returns a stable identity for the finding: a hash of the
// rule, the object's group, kind, namespace and name, the field path and, for
// findings not tied to an object, the file path and message. Line numbers
// never enter it, so a finding keeps its fingerprint when lines move.
func (f Finding) ComputeFingerprint() string {
	h := sha256.New()
	parts := []string{f.RuleID, f.Object.Group(), f.Object.Kind, f.Object.Namespace, f.Object.Name, f.FieldPath}
	if f.Object.IsZero() {
		parts = append(parts, f.Location.Path, f.Message)
	}
	h.Write([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Less is the total order of findings in every report: path, line, column,
// rule, message, then object, so output never depends on the order in which
// analyzers ran.
func Less(a, b Finding) bool {
	if a.Location.Path != b.Location.Path {
		return a.Location.Path < b.Location.Path
	}
	if a.Location.Line != b.Location.Line {
		return a.Location.Line < b.Location.Line
	}
	if a.Location.Col != b.Location.Col {
		return a.Location.Col < b.Location.Col
	}
	if a.RuleID != b.RuleID {
		return a.RuleID < b.RuleID
	}
	if a.Message != b.Message {
		return a.Message < b.Message
	}
	if a.Object.String() != b.Object.String() {
		return a.Object.String() < b.Object.String()
	}
	return a.FieldPath < b.FieldPath
}

// Sort orders findings with Less, in place, and fills missing fingerprints.
func Sort(fs []Finding) {
	for i := range fs {
		if fs[i].Fingerprint == "" {
			fs[i].Fingerprint = fs[i].ComputeFingerprint()
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return Less(fs[i], fs[j]) })
}

// Notification is a problem of the run itself rather than of the manifests'
// content: a file that could not be read or parsed, a policy that did not
// compile. SARIF reports them as toolExecutionNotifications.
type Notification struct {
	Level    Severity `json:"level"`
	Message  string   `json:"message"`
	Location Location `json:"location"`
}

// Result is everything a run produced, ready for a reporter: the rules that
// ran (sorted by ID), the findings (sorted with Less, suppressed ones
// included) and the run's notifications.
type Result struct {
	Rules         []Rule         `json:"rules"`
	Findings      []Finding      `json:"findings"`
	Notifications []Notification `json:"notifications,omitempty"`
	// Notes are informational messages for the user (skipped documents,
	// features not modelled), printed on stderr by text output.
	Notes []string `json:"notes,omitempty"`
}

// Rule returns the rule with the given id and whether it is in the result.
func (r *Result) Rule(id string) (Rule, bool) {
	i := sort.Search(len(r.Rules), func(i int) bool { return r.Rules[i].ID >= id })
	if i < len(r.Rules) && r.Rules[i].ID == id {
		return r.Rules[i], true
	}
	return Rule{}, false
}

// Count returns how many unsuppressed findings are at or above sev.
func (r *Result) Count(sev Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Suppressed == nil && f.Severity >= sev && f.Severity != SeverityNone {
			n++
		}
	}
	return n
}
