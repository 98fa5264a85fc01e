package report

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

// fileSources serves in-memory files as Sources.
type fileSources map[string]*manifest.File

func (s fileSources) File(path string) *manifest.File { return s[path] }

// newSources wraps path → content pairs.
func newSources(files map[string]string) fileSources {
	s := make(fileSources, len(files))
	for path, data := range files {
		s[path] = manifest.NewFile(path, []byte(data))
	}
	return s
}

// loc builds a location.
func loc(path string, line, col, endLine, endCol int) finding.Location {
	return finding.Location{Path: path, Line: line, Col: col, EndLine: endLine, EndCol: endCol}
}

// sortedResult sorts the findings (filling fingerprints) and the rules, as
// the lint run does before reporting.
func sortedResult(res *finding.Result) *finding.Result {
	finding.SortRules(res.Rules)
	finding.Sort(res.Findings)
	return res
}

// sarifSchema is the official SARIF 2.1.0 schema, compiled once per test
// binary.
var sarifSchema = sync.OnceValues(func() (*gojsonschema.Schema, error) {
	data, err := os.ReadFile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		return nil, err
	}
	return gojsonschema.NewSchema(gojsonschema.NewBytesLoader(data))
})

// sarifSchemaErrors returns why doc does not validate against the official
// SARIF 2.1.0 schema, or nothing when it does.
func sarifSchemaErrors(t testing.TB, doc []byte) []string {
	t.Helper()
	schema, err := sarifSchema()
	if err != nil {
		t.Fatalf("load SARIF schema: %v", err)
	}
	res, err := schema.Validate(gojsonschema.NewBytesLoader(doc))
	if err != nil {
		return []string{err.Error()}
	}
	var msgs []string
	for _, e := range res.Errors() {
		msgs = append(msgs, e.String())
	}
	return msgs
}

// validateSARIF fails t unless doc validates against the official schema.
func validateSARIF(t testing.TB, doc []byte) {
	t.Helper()
	if errs := sarifSchemaErrors(t, doc); len(errs) > 0 {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema:\n  %s\n%s", strings.Join(errs, "\n  "), doc)
	}
}

// render runs the reporter for format over res.
func render(t testing.TB, format string, opts Options, res *finding.Result) []byte {
	t.Helper()
	r, err := New(format, opts)
	if err != nil {
		t.Fatalf("New(%q): %v", format, err)
	}
	var buf bytes.Buffer
	if err := r.Report(&buf, res); err != nil {
		t.Fatalf("%s report: %v", format, err)
	}
	return buf.Bytes()
}

// lineDiff returns a readable line diff of want and got ("-" lines only in
// want, "+" lines only in got) with two lines of context around changes,
// or "" when they are equal.
func lineDiff(want, got string) string {
	if want == got {
		return ""
	}
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		kind byte
		text string
	}
	var ops []op
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, op{' ', a[i]})
			i++
			j++
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, op{'+', b[j]})
			j++
		default:
			ops = append(ops, op{'-', a[i]})
			i++
		}
	}
	const context = 2
	var out strings.Builder
	lastShown := -1
	for k, o := range ops {
		near := false
		for d := max(0, k-context); d <= min(len(ops)-1, k+context); d++ {
			if ops[d].kind != ' ' {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		if lastShown >= 0 && k > lastShown+1 {
			out.WriteString("  ...\n")
		}
		fmt.Fprintf(&out, "%c %s\n", o.kind, o.text)
		lastShown = k
	}
	return out.String()
}
