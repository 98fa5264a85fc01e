package policies

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
	"github.com/open-policy-agent/opa/v1/ast"
)

// run is one evaluation of the analyzer over one model.
type run struct {
	a     *Analyzer
	model *cluster.Model
}

// gatekeeper is the compiled templates and constraints of a run.
type gatekeeper struct {
	constraints   []*gkConstraint
	problems      []Problem
	usesInventory bool
	// sources are the template and constraint manifests, which are not
	// reviewed themselves.
	sources map[*manifest.Object]bool
}

// buildGatekeeper compiles templates and binds constraints to them. When two
// templates define the same kind, the later one wins, as with kubectl
// apply.
func buildGatekeeper(objs []*manifest.Object, debug bool) gatekeeper {
	g := gatekeeper{sources: map[*manifest.Object]bool{}}
	templates := map[string]*gkTemplate{}
	for _, o := range objs {
		if !isTemplate(o) {
			continue
		}
		g.sources[o] = true
		t, problems := compileTemplate(o, debug)
		g.problems = append(g.problems, problems...)
		if t != nil && t.celOnly {
			templates[t.Kind] = t
			continue
		}
		if t != nil {
			templates[t.Kind] = t
			if readsInventory(t.compiler.Modules) {
				g.usesInventory = true
			}
		}
	}
	for _, o := range objs {
		if !isConstraint(o) {
			continue
		}
		g.sources[o] = true
		t := templates[o.Kind]
		if t != nil && t.celOnly {
			loc := o.Position()
			g.problems = append(g.problems, Problem{Path: loc.Path, Line: loc.Line, Col: loc.Col, NotModelled: true,
				Message: fmt.Sprintf("constraint %s/%s is not evaluated: its ConstraintTemplate %s has only CEL", o.Kind, o.Name, t.Name)})
			continue
		}
		if t == nil {
			loc := o.Position()
			g.problems = append(g.problems, Problem{Path: loc.Path, Line: loc.Line, Col: loc.Col,
				Message: fmt.Sprintf("constraint %s/%s: no ConstraintTemplate defines kind %s", o.Kind, o.Name, o.Kind)})
			continue
		}
		c, err := parseConstraint(o, t)
		if err != nil {
			loc := o.Position()
			g.problems = append(g.problems, Problem{Path: loc.Path, Line: loc.Line, Col: loc.Col,
				Message: fmt.Sprintf("constraint %s/%s: %v", o.Kind, o.Name, err)})
			continue
		}
		g.constraints = append(g.constraints, c)
	}
	return g
}

func (r *run) evaluate(ctx context.Context) []finding.Finding {
	a := r.a
	objs := r.model.Objects()
	var gkObjs []*manifest.Object
	for _, o := range objs {
		if isTemplate(o.Source) || isConstraint(o.Source) {
			gkObjs = append(gkObjs, o.Source)
		}
	}
	gkObjs = append(gkObjs, a.gkExtra...)
	gk := buildGatekeeper(gkObjs, a.opts.Debug != nil)
	var out []finding.Finding
	for _, p := range gk.problems {
		switch {
		case p.NotModelled:
			a.mu.Lock()
			a.runNotes = append(a.runNotes, p.Error())
			a.mu.Unlock()
		case !a.isKnownProblem(p):
			out = append(out, problemFinding(p))
		}
	}
	a.mu.Lock()
	for _, c := range gk.constraints {
		a.seenRules[c.Rule.ID] = c.Rule
	}
	a.mu.Unlock()

	needInv := gk.usesInventory && len(gk.constraints) > 0
	for _, s := range []*policySet{a.user, a.lib()} {
		if s != nil && s.query != "" && s.usesInventory {
			needInv = true
		}
	}
	var inv map[string]any
	if needInv {
		inv = Inventory(r.model.Unique())
	} else {
		inv = map[string]any{"cluster": map[string]any{}, "namespace": map[string]any{}}
	}
	data := map[string]any{}
	for k, v := range a.data {
		data[k] = v
	}
	params := map[string]any{}
	for k, v := range a.opts.Library {
		params[k] = v
	}
	data["kubeplan"] = map[string]any{"inventory": inv, "params": params, "default_namespace": r.model.DefaultNamespace()}
	store := newStore(data)
	userEv, err := a.user.prepare(ctx, store, a.env)
	if err != nil {
		out = append(out, problemsAsFindings(err)...)
		userEv = nil
	}
	libEv, err := a.lib().prepare(ctx, store, a.env)
	if err != nil {
		out = append(out, problemsAsFindings(err)...)
		libEv = nil
	}
	if len(gk.constraints) > 0 {
		for _, p := range prepareConstraints(ctx, gk.constraints, newStore(map[string]any{"inventory": inv}), a.env) {
			out = append(out, problemFinding(p))
		}
	}

	perObject := userEv != nil && !a.user.combine
	if userEv != nil && a.user.combine {
		out = append(out, r.evalCombined(ctx, userEv)...)
	}
	if !perObject && libEv == nil && len(gk.constraints) == 0 {
		return out
	}
	slots := make([][]finding.Finding, len(objs))
	workers := a.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					continue
				}
				o := objs[i]
				if gk.sources[o.Source] {
					continue
				}
				var ev *evaluator
				if perObject {
					ev = userEv
				}
				slots[i] = r.evalObject(ctx, o, ev, libEv, gk.constraints)
			}
		}()
	}
	for i := range objs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, s := range slots {
		out = append(out, s...)
	}
	return out
}

// isKnownProblem reports whether a problem was already found by
// NewAnalyzer (templates from --gatekeeper are compiled at both times).
func (a *Analyzer) isKnownProblem(p Problem) bool {
	for _, q := range a.problems {
		if q == p {
			return true
		}
	}
	return false
}

func problemsAsFindings(err error) []finding.Finding {
	var out []finding.Finding
	for _, p := range problemsFromAST(err, "") {
		out = append(out, problemFinding(p))
	}
	return out
}

// evalObject evaluates every policy for one object. The object is converted
// to a Rego value once and shared by all of them.
func (r *run) evalObject(ctx context.Context, o *cluster.Object, userEv, libEv *evaluator, cs []*gkConstraint) []finding.Finding {
	v, err := valueOf(o)
	if err != nil {
		f := o.Finding(RulePolicyError, finding.SeverityError, "", "object cannot be given to policies: "+err.Error())
		return []finding.Finding{f}
	}
	var out []finding.Finding
	if userEv != nil {
		out = append(out, r.setFindings(ctx, r.a.user, userEv, v, o)...)
	}
	if libEv != nil {
		out = append(out, r.setFindings(ctx, r.a.lib(), libEv, v, o)...)
	}
	if len(cs) > 0 {
		out = append(out, r.gatekeeperFindings(ctx, o, v, cs)...)
	}
	return out
}

func (r *run) setFindings(ctx context.Context, s *policySet, ev *evaluator, v ast.Value, o *cluster.Object) []finding.Finding {
	rrs, err := s.evalSet(ctx, ev, v)
	if err != nil {
		return []finding.Finding{o.Finding(RulePolicyError, finding.SeverityError, "", "policy evaluation failed: "+err.Error())}
	}
	var out []finding.Finding
	for _, rr := range rrs {
		if rr.Excepted {
			continue
		}
		for _, res := range rr.Results {
			out = append(out, o.Finding(rr.Rule.Rule.ID, rr.Rule.Rule.Severity, res.Field, res.Message))
		}
	}
	return out
}

func (r *run) gatekeeperFindings(ctx context.Context, o *cluster.Object, v ast.Value, cs []*gkConstraint) []finding.Finding {
	t := matchable{Group: o.GVK.Group, Kind: o.GVK.Kind, Name: o.Name, Namespace: o.Namespace, Labels: o.Labels}
	if md, ok := o.Map()["metadata"].(map[string]any); ok {
		t.GenerateName, _ = md["generateName"].(string)
	}
	if o.Namespace != "" {
		if ns := r.model.Get("", "Namespace", "", o.Namespace); ns != nil {
			t.NamespaceKnown, t.NamespaceLabels = true, ns.Labels
		} else {
			// Offline, a namespace missing from the input is taken to
			// exist without labels.
			t.NamespaceKnown = true
		}
	}
	var review ast.Value
	var out []finding.Finding
	for _, c := range cs {
		ok, err := c.Match.matches(t)
		if err != nil {
			out = append(out, o.Finding(RulePolicyError, finding.SeverityError, "", fmt.Sprintf("constraint %s/%s: %v", c.Kind, c.Name, err)))
			continue
		}
		if !ok {
			continue
		}
		if review == nil {
			review = reviewValue(v, o.GVK.Group, o.GVK.Version, o.GVK.Kind, o.Name, o.Namespace)
		}
		cloc := c.Source.Position()
		cloc.Message = "constraint " + c.Kind + "/" + c.Name
		for _, msg := range c.violations(ctx, review) {
			f := o.Finding(c.Rule.ID, c.Severity, "", msg)
			f.Related = []finding.Location{cloc}
			out = append(out, f)
		}
	}
	return out
}

// evalCombined evaluates the user's policies once over all objects, as
// conftest --combine does: input is [{path, contents}, ...] in file order.
func (r *run) evalCombined(ctx context.Context, ev *evaluator) []finding.Finding {
	objs := r.model.Objects()
	items := make([]*ast.Term, 0, len(objs))
	for _, o := range objs {
		v, err := valueOf(o)
		if err != nil {
			continue
		}
		items = append(items, ast.ObjectTerm(
			ast.Item(ast.StringTerm("path"), ast.StringTerm(o.Path())),
			ast.Item(ast.StringTerm("contents"), ast.NewTerm(v)),
		))
	}
	rrs, err := r.a.user.evalSet(ctx, ev, ast.NewArray(items...))
	if err != nil {
		msg := "policy evaluation failed: " + err.Error()
		if o := r.anchor(result{}); o != nil {
			return []finding.Finding{o.Finding(RulePolicyError, finding.SeverityError, "", msg)}
		}
		return []finding.Finding{{RuleID: RulePolicyError, Severity: finding.SeverityError, Message: msg}}
	}
	var out []finding.Finding
	for _, rr := range rrs {
		if rr.Excepted {
			continue
		}
		for _, res := range rr.Results {
			if o := r.anchor(res); o != nil {
				out = append(out, o.Finding(rr.Rule.Rule.ID, rr.Rule.Rule.Severity, res.Field, res.Message))
			} else {
				out = append(out, finding.Finding{RuleID: rr.Rule.Rule.ID, Severity: rr.Rule.Rule.Severity, Message: res.Message,
					Location: finding.Location{Path: rr.Rule.Where.Path, Line: rr.Rule.Where.Line, Col: rr.Rule.Where.Col}})
			}
		}
	}
	return out
}

// anchor picks the object a combined result is about: the one its kind,
// name and namespace name, else the first object of its path, else the
// first object of the model.
func (r *run) anchor(res result) *cluster.Object {
	objs := r.model.Objects()
	if res.Name != "" {
		for _, o := range objs {
			if o.Name == res.Name && (res.Kind == "" || o.GVK.Kind == res.Kind) && (res.Namespace == "" || o.Namespace == res.Namespace) {
				return o
			}
		}
	}
	if res.Path != "" {
		for _, o := range objs {
			if o.Path() == res.Path {
				return o
			}
		}
	}
	if len(objs) > 0 {
		return objs[0]
	}
	return nil
}
