package finding

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// Baseline is a set of known findings, identified by fingerprint, that a
// run hides (as suppressed) so that only new findings fail a build. It is
// written by `kubeplan lint --write-baseline` and read by `--baseline`.
type Baseline struct {
	// Version is the file format version, 1.
	Version int `json:"version"`
	// Findings are the known findings, sorted by fingerprint.
	Findings []BaselineEntry `json:"findings"`

	index map[string]bool
}

// BaselineEntry is one known finding. Only Fingerprint is used for
// matching; the other fields make the file reviewable.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"ruleId"`
	Object      string `json:"object,omitempty"`
	FieldPath   string `json:"fieldPath,omitempty"`
	Path        string `json:"path"`
}

// NewBaseline records the unsuppressed findings of fs.
func NewBaseline(fs []Finding) *Baseline {
	b := &Baseline{Version: 1, Findings: []BaselineEntry{}}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Suppressed != nil {
			continue
		}
		fp := f.Fingerprint
		if fp == "" {
			fp = f.ComputeFingerprint()
		}
		if seen[fp] {
			continue
		}
		seen[fp] = true
		b.Findings = append(b.Findings, BaselineEntry{Fingerprint: fp, RuleID: f.RuleID, Object: f.Object.String(), FieldPath: f.FieldPath, Path: f.Location.Path})
	}
	sort.Slice(b.Findings, func(i, j int) bool { return b.Findings[i].Fingerprint < b.Findings[j].Fingerprint })
	return b
}

// ReadBaseline parses a baseline file.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("reading baseline: unsupported version %d (want 1)", b.Version)
	}
	return &b, nil
}

// Write writes the baseline as indented JSON with a trailing newline.
func (b *Baseline) Write(w io.Writer) error {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("writing baseline: %w", err)
	}
	_, err = w.Write(append(out, '\n'))
	return err
}

// Contains reports whether the baseline knows the fingerprint.
func (b *Baseline) Contains(fingerprint string) bool {
	if b == nil {
		return false
	}
	if b.index == nil {
		b.index = make(map[string]bool, len(b.Findings))
		for _, e := range b.Findings {
			b.index[e.Fingerprint] = true
		}
	}
	return b.index[fingerprint]
}
