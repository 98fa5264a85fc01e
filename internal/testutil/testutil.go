// Package testutil holds the helpers kubeplan's tests share: finding the
// module root, the shared corpus and conformance data next to it (skipping
// when absent), and writing small file trees. Only tests import it.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// ModuleRoot is the directory holding go.mod, found by walking up from the
// test's working directory (go test runs in each package's folder).
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// SharedDir is ../shared/<parts...> next to the module; the test is skipped
// when it is absent, as it is outside the project's own machines.
func SharedDir(t testing.TB, parts ...string) string {
	t.Helper()
	dir := filepath.Join(append([]string{ModuleRoot(t), "..", "shared"}, parts...)...)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s not present", dir)
	}
	return dir
}

// Fixture is testdata/<parts...> at the module root.
func Fixture(t testing.TB, parts ...string) string {
	t.Helper()
	return filepath.Join(append([]string{ModuleRoot(t), "testdata"}, parts...)...)
}

// WriteTree writes files (slash-separated path -> content) under dir,
// creating folders as needed.
func WriteTree(t testing.TB, dir string, files map[string]string) {
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

// TempTree writes files into a new temporary directory and returns it.
func TempTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	WriteTree(t, dir, files)
	return dir
}
