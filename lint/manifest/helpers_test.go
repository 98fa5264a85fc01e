package manifest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"
	"github.com/kubeplan/kubeplan/lint/manifest/internal/ytree"
)

func repoRoot(t testing.TB) string { return testutil.ModuleRoot(t) }

// fixtureDir is testdata/manifest/<parts...> at the repository root.
func fixtureDir(t testing.TB, parts ...string) string {
	t.Helper()
	return filepath.Join(append([]string{repoRoot(t), "testdata", "manifest"}, parts...)...)
}

func sharedDir(t testing.TB, parts ...string) string { return testutil.SharedDir(t, parts...) }

// writeFiles creates files (path -> content, '/' separated) under dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// loadFiles writes files into a fresh directory and loads the given paths
// (all of the directory when none are given) with that directory as the
// working directory.
func loadFiles(t testing.TB, files map[string]string, paths ...string) *Result {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return Load(context.Background(), paths, Options{WorkDir: dir})
}

// loadOne parses a single file's content as name.
func loadOne(t testing.TB, name, content string) *Result {
	t.Helper()
	return loadFiles(t, map[string]string{name: content}, name)
}

// errorStrings prints every error as "path:line:col: message".
func errorStrings(res *Result) []string {
	var out []string
	for _, e := range res.Errors {
		out = append(out, e.Error())
	}
	return out
}

// objectRef is an object's identity and position, for comparing.
type objectRef struct {
	Path       string
	Doc, Item  int
	Line, Col  int
	Kind, Name string
}

func refsOf(res *Result) []objectRef {
	var out []objectRef
	for _, o := range res.Objects {
		out = append(out, objectRef{Path: o.File.Path, Doc: o.Doc, Item: o.Item, Line: o.Position().Line, Col: o.Position().Col, Kind: o.Kind, Name: o.Name})
	}
	return out
}

// configMap is a minimal valid manifest named name.
func configMap(name string) string {
	return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n"
}

// containsAll reports whether s contains every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// testTree parses one document as the loader does.
func testTree(doc []byte) (ytree.Node, error) {
	t, _, err := readText(doc)
	return t.Root(), err
}
