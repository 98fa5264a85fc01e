package lint

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/config"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

// suppressor decides whether a finding is suppressed, by the four
// mechanisms in order: the object's kubeplan.dev/ignore annotation, a
// "# kubeplan:ignore" comment on the finding's line or the line above, a
// suppression in the config, and the baseline.
type suppressor struct {
	model    *cluster.Model
	files    *manifest.Result
	rules    []configRule
	baseline *finding.Baseline
	bpath    string
}

type configRule struct {
	s     config.Suppression
	globs []*config.Glob
}

func newSuppressor(l *Loaded, opts Options) *suppressor {
	s := &suppressor{model: l.Model, files: l.Manifest, baseline: opts.Baseline, bpath: opts.BaselinePath}
	if opts.Config != nil {
		for _, cs := range opts.Config.Suppressions {
			cr := configRule{s: cs}
			for _, p := range cs.Paths {
				if g, err := config.CompileGlob(p); err == nil {
					cr.globs = append(cr.globs, g)
				}
			}
			s.rules = append(s.rules, cr)
		}
	}
	return s
}

func (s *suppressor) suppression(f finding.Finding) *finding.Suppression {
	if f.RuleID == RuleLoadError {
		return nil
	}
	if o := s.object(f); o != nil {
		if v, ok := o.Annotations[finding.IgnoreAnnotation]; ok {
			if ids, all := finding.ParseRuleList(v); finding.Matches(ids, all, f.RuleID) {
				return &finding.Suppression{Kind: "inSource", Justification: "annotation " + finding.IgnoreAnnotation + ": " + v}
			}
		}
	}
	if file := s.files.File(f.Location.Path); file != nil {
		for _, n := range []int{f.Location.Line, f.Location.Line - 1} {
			line, ok := file.Line(n)
			if !ok {
				continue
			}
			if ids, all, found := finding.ParseIgnoreComment(line); found && finding.Matches(ids, all, f.RuleID) {
				return &finding.Suppression{Kind: "inSource", Justification: "comment # " + finding.IgnoreDirective}
			}
		}
	}
	for _, r := range s.rules {
		if r.matches(f) {
			j := "config suppression"
			if r.s.Reason != "" {
				j += ": " + r.s.Reason
			}
			return &finding.Suppression{Kind: "external", Justification: j}
		}
	}
	if s.baseline.Contains(f.Fingerprint) {
		j := "baseline"
		if s.bpath != "" {
			j += " " + s.bpath
		}
		return &finding.Suppression{Kind: "external", Justification: j}
	}
	return nil
}

// object finds the model object a finding is about.
func (s *suppressor) object(f finding.Finding) *cluster.Object {
	if f.Object.IsZero() {
		return nil
	}
	if o := s.model.Get(f.Object.Group(), f.Object.Kind, f.Object.Namespace, f.Object.Name); o != nil {
		return o
	}
	return nil
}

func (r configRule) matches(f finding.Finding) bool {
	rules := r.s.Rules
	if r.s.Rule != "" {
		rules = append([]string{r.s.Rule}, rules...)
	}
	if len(rules) > 0 && !contains(rules, f.RuleID) && !contains(rules, "*") {
		return false
	}
	if len(r.globs) > 0 {
		ok := false
		for _, g := range r.globs {
			if g.Match(f.Location.Path) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(r.s.Namespaces) > 0 && !contains(r.s.Namespaces, f.Object.Namespace) {
		return false
	}
	if len(r.s.Kinds) > 0 && !contains(r.s.Kinds, f.Object.Kind) {
		return false
	}
	if len(r.s.Names) > 0 && !contains(r.s.Names, f.Object.Name) {
		return false
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
