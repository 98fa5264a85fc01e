package rules

import (
	"context"
	"fmt"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// Rule is one check of the catalog: its metadata plus exactly one check
// function. Workload checks see every object that runs pods, Object checks
// every object, Model checks the whole model once (cross-object rules).
type Rule struct {
	Meta     finding.Rule
	Workload func(c *Context, r *Report, w *cluster.Workload)
	Object   func(c *Context, r *Report, o *cluster.Object)
	Model    func(c *Context, r *Report)
}

// Report collects one rule's findings during one run. Each rule run owns its
// Report, so rules never share a mutable value.
type Report struct {
	rule     *finding.Rule
	findings []finding.Finding
}

// Add records a finding about o located at fieldPath (or its nearest
// existing parent), with optional related locations.
func (r *Report) Add(o *cluster.Object, fieldPath, message string, related ...finding.Location) {
	f := o.Finding(r.rule.ID, r.rule.Severity, fieldPath, message)
	f.Related = related
	r.findings = append(r.findings, f)
}

// Addf is Add with a format string.
func (r *Report) Addf(o *cluster.Object, fieldPath, format string, args ...any) {
	r.Add(o, fieldPath, fmt.Sprintf(format, args...))
}

// related is a related location: where a field of another object is, with
// an explanation naming that object.
func related(o *cluster.Object, fieldPath, message string) finding.Location {
	loc := o.Locate(fieldPath)
	loc.Message = message
	return loc
}

// runRule evaluates one rule over the model. A panic in a check is turned
// into a finding rather than crashing the run.
func runRule(ctx context.Context, c *Context, rule *Rule) (out []finding.Finding) {
	rep := &Report{rule: &rule.Meta}
	defer func() {
		if p := recover(); p != nil {
			out = append(rep.findings, finding.Finding{RuleID: rule.Meta.ID, Severity: finding.SeverityError,
				Message: fmt.Sprintf("internal error in rule %s: %v", rule.Meta.ID, p)})
		}
	}()
	switch {
	case rule.Workload != nil:
		for _, w := range c.Model.Workloads() {
			if ctx.Err() != nil {
				break
			}
			rule.Workload(c, rep, w)
		}
	case rule.Object != nil:
		for _, o := range c.Model.Objects() {
			if ctx.Err() != nil {
				break
			}
			rule.Object(c, rep, o)
		}
	case rule.Model != nil:
		rule.Model(c, rep)
	}
	return rep.findings
}
