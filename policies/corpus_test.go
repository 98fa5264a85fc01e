package policies

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// sharedDir finds ../shared/<sub> next to the module root, or skips.
func sharedDir(t testing.TB, sub ...string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root not found")
		}
		dir = parent
	}
	p := filepath.Join(append([]string{dir, "..", "shared"}, sub...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not present", p)
	}
	return p
}

// gatorExceptions lists the suite cases kubeplan is known to decide
// differently from gator, keyed "suite path > test > case", with the
// reason. Empty: every suite of the corpus passes.
var gatorExceptions = map[string]string{}

// TestGatekeeperLibrarySuitesPass runs every suite.yaml of the Gatekeeper
// library corpus like `gator verify` and requires each case to pass.
func TestGatekeeperLibrarySuitesPass(t *testing.T) {
	dir := sharedDir(t, "corpus", "04-gatekeeper-library")
	results, err := RunSuites(context.Background(), []string{dir}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no suites found")
	}
	cases := 0
	for _, s := range results {
		if s.Error != "" {
			t.Errorf("%s: %s", s.Path, s.Error)
		}
		for _, tc := range s.Tests {
			if tc.Error != "" {
				key := s.Path + " > " + tc.Name
				if _, ok := gatorExceptions[key]; !ok {
					t.Errorf("%s: %s", key, tc.Error)
				}
			}
			for _, c := range tc.Cases {
				cases++
				key := s.Path + " > " + tc.Name + " > " + c.Name
				if c.Error != "" {
					if _, ok := gatorExceptions[key]; !ok {
						t.Errorf("%s: %s", key, c.Error)
					}
				}
			}
		}
	}
	t.Logf("%d suites, %d cases", len(results), cases)
}
