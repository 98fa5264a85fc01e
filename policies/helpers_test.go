package policies

import (
	"context"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

func writeFiles(t *testing.T, files map[string]string) string { return testutil.TempTree(t, files) }

// modelOf loads the manifests under dir/paths into a model.
func modelOf(t *testing.T, dir string, paths ...string) *cluster.Model {
	t.Helper()
	res := manifest.Load(context.Background(), paths, manifest.Options{WorkDir: dir})
	for _, e := range res.Errors {
		t.Fatalf("loading fixtures: %v", e)
	}
	return cluster.Build(context.Background(), res, cluster.Options{})
}

// runAnalyzer builds an analyzer with opts (WorkDir set to dir) and runs it
// over the manifests at paths.
func runAnalyzer(t *testing.T, dir string, opts Options, paths ...string) []finding.Finding {
	t.Helper()
	opts.WorkDir = dir
	a, err := NewAnalyzer(context.Background(), opts)
	if err != nil {
		t.Fatalf("NewAnalyzer: %v", err)
	}
	return a.Run(context.Background(), modelOf(t, dir, paths...))
}

// brief renders findings as "rule path:line:col message" lines for
// comparison.
func brief(fs []finding.Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.RuleID+" "+f.Severity.String()+" "+locString(f.Location)+" "+f.Message)
	}
	return out
}

func locString(l finding.Location) string {
	return l.Path + ":" + itoa(l.Line) + ":" + itoa(l.Col)
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	neg := i < 0
	if neg {
		i = -i
	}
	for i > 0 {
		s = string(rune('0'+i%10)) + s
		i /= 10
	}
	if neg {
		s = "-" + s
	}
	return s
}
