package rules

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// corpusProjects lists the corpus units that are loaded on their own: each
// project of 01-install-manifests and each other top-level folder, so
// unrelated projects do not share namespaces.
func corpusProjects(t testing.TB, dir string) []string {
	var out []string
	entries, err := os.ReadDir(filepath.Join(dir, "01-install-manifests"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, filepath.Join("01-install-manifests", e.Name()))
		}
	}
	for _, top := range []string{"02-bootstrap-rbac", "03-linter-fixtures", "04-gatekeeper-library", "05-node-manifests"} {
		if _, err := os.Stat(filepath.Join(dir, top)); err == nil {
			out = append(out, top)
		}
	}
	sort.Strings(out)
	return out
}

// corpusFindings runs the catalog over every corpus project.
func corpusFindings(t testing.TB, dir string) ([]finding.Finding, int) {
	a := NewAnalyzer(Options{})
	var all []finding.Finding
	objects := 0
	for _, p := range corpusProjects(t, dir) {
		m := loadModel(t, dir, p)
		objects += len(m.Objects())
		all = append(all, a.Run(context.Background(), m)...)
	}
	return all, objects
}

// TestCorpus runs the whole catalog over the shared real-manifest corpus,
// one project at a time: no panic, no internal error, every finding located,
// and a per-rule count in the log (-v).
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped in -short mode")
	}
	dir := sharedDir(t, "corpus")
	fs, objects := corpusFindings(t, dir)
	for _, f := range fs {
		if f.Location.Path == "" || f.Location.Line == 0 {
			t.Errorf("finding without location: %+v", f)
			break
		}
	}
	for _, line := range sortedCounts(byRule(fs)) {
		t.Log(line)
	}
	t.Logf("%d objects, %d findings", objects, len(fs))
}
