package lint

import (
	"context"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

// LoadOptions says what to load and how.
type LoadOptions struct {
	// Paths are files, directories, kustomize directories or "-".
	Paths []string
	// DefaultNamespace is given to namespaced objects without one
	// ("" means "default").
	DefaultNamespace string
	// Manifest tunes the loader (working directory, stdin, size limit).
	Manifest manifest.Options
}

// Loaded is a built model plus what went wrong while loading it.
type Loaded struct {
	Model *cluster.Model
	// Manifest is the loader's raw result (files, objects, notes).
	Manifest *manifest.Result
	// LoadErrors are findings of rule "load-error", one per unreadable
	// file or document.
	LoadErrors []finding.Finding
}

// Load reads the sources and builds the model. It never fails as a whole:
// unreadable inputs become load-error findings.
func Load(ctx context.Context, opts LoadOptions) *Loaded {
	res := manifest.Load(ctx, opts.Paths, opts.Manifest)
	m := cluster.Build(ctx, res, cluster.Options{DefaultNamespace: opts.DefaultNamespace})
	out := &Loaded{Model: m, Manifest: res}
	for _, e := range res.Errors {
		out.LoadErrors = append(out.LoadErrors, LoadErrorFinding(e))
	}
	return out
}

// LoadErrorFinding turns a loader error into a finding of rule load-error.
func LoadErrorFinding(e *manifest.Error) finding.Finding {
	line, col := e.Line, e.Col
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return finding.Finding{
		RuleID:   RuleLoadError,
		Severity: finding.SeverityError,
		Message:  e.Msg,
		Location: finding.Location{Path: e.Path, Line: line, Col: col},
	}
}
