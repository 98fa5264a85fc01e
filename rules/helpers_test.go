package rules

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

func moduleRoot(t testing.TB) string { return testutil.ModuleRoot(t) }

func sharedDir(t testing.TB, name string) string { return testutil.SharedDir(t, name) }

// loadModel loads paths (relative to workDir) into a model.
func loadModel(t testing.TB, workDir string, paths ...string) *cluster.Model {
	t.Helper()
	ctx := context.Background()
	res := manifest.Load(ctx, paths, manifest.Options{WorkDir: workDir})
	for _, e := range res.Errors {
		t.Logf("load error: %v", e)
	}
	return cluster.Build(ctx, res, cluster.Options{})
}

// loadYAML builds a model from one in-memory document set.
func loadYAML(t testing.TB, yaml string) *cluster.Model {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.yaml"), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return loadModel(t, dir, "in.yaml")
}

// byRule counts findings per rule ID.
func byRule(fs []finding.Finding) map[string]int {
	out := map[string]int{}
	for _, f := range fs {
		out[f.RuleID]++
	}
	return out
}

// withRule returns the findings of one rule.
func withRule(fs []finding.Finding, id string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

// sortedCounts renders counts as "id=n" lines sorted by ID.
func sortedCounts(m map[string]int) []string {
	var out []string
	for _, k := range sortedKeys(m) {
		out = append(out, k+"="+itoa(m[k]))
	}
	sort.Strings(out)
	return out
}
