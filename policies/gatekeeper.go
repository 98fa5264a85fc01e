package policies

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
)

// Gatekeeper API groups and the validation target kubeplan evaluates.
const (
	templatesGroup   = "templates.gatekeeper.sh"
	constraintsGroup = "constraints.gatekeeper.sh"
	admissionTarget  = "admission.k8s.gatekeeper.sh"
)

// isTemplate reports whether a manifest is a ConstraintTemplate (v1 or
// v1beta1/v1alpha1).
func isTemplate(o *manifest.Object) bool {
	return o.Kind == "ConstraintTemplate" && strings.HasPrefix(o.APIVersion, templatesGroup+"/")
}

// isConstraint reports whether a manifest is a Gatekeeper Constraint.
func isConstraint(o *manifest.Object) bool {
	return strings.HasPrefix(o.APIVersion, constraintsGroup+"/")
}

// gkTemplate is a compiled ConstraintTemplate.
type gkTemplate struct {
	// Name is metadata.name; Kind is the constraint kind it defines.
	Name, Kind string
	// Title and Description come from the template's annotations
	// (metadata.gatekeeper.sh/title, description).
	Title, Description string
	Source             *manifest.Object
	compiler           *ast.Compiler
	violation          ast.Ref
	// celOnly templates have no Rego; they and their constraints are
	// noted as not evaluated.
	celOnly bool
}

// regoSource is the Rego of a template's admission target.
type regoSource struct {
	Rego      string
	Libs      []string
	FieldPath string // where Rego sits in the template, for error lines
	LibPaths  []string
}

// templateRego finds the Rego of the admission target: spec.targets[].rego
// and libs (v1beta1 and v1), or the Rego engine entry of
// spec.targets[].code[] (v1, Gatekeeper 3.19+).
func templateRego(o *manifest.Object) (regoSource, bool) {
	spec, _ := o.Map()["spec"].(map[string]any)
	targets, _ := spec["targets"].([]any)
	for i, t := range targets {
		tm, _ := t.(map[string]any)
		if name, _ := tm["target"].(string); name != admissionTarget {
			continue
		}
		base := fmt.Sprintf("spec.targets[%d]", i)
		if code, ok := tm["code"].([]any); ok {
			for j, c := range code {
				cm, _ := c.(map[string]any)
				if eng, _ := cm["engine"].(string); eng != "Rego" {
					continue
				}
				src, _ := cm["source"].(map[string]any)
				if r, ok := src["rego"].(string); ok {
					p := fmt.Sprintf("%s.code[%d].source", base, j)
					return withLibs(regoSource{Rego: r, FieldPath: p + ".rego"}, src["libs"], p+".libs"), true
				}
			}
		}
		if r, ok := tm["rego"].(string); ok {
			return withLibs(regoSource{Rego: r, FieldPath: base + ".rego"}, tm["libs"], base+".libs"), true
		}
	}
	return regoSource{}, false
}

func withLibs(s regoSource, v any, path string) regoSource {
	libs, _ := v.([]any)
	for i, l := range libs {
		if str, ok := l.(string); ok {
			s.Libs = append(s.Libs, str)
			s.LibPaths = append(s.LibPaths, fmt.Sprintf("%s[%d]", path, i))
		}
	}
	return s
}

// compileTemplate parses and compiles a template. Like Gatekeeper's
// driver (frameworks constraint/pkg/client/drivers/rego), each module is
// parsed as Rego v1 first and v0 when that fails, and the entry module must
// define `violation`.
func compileTemplate(o *manifest.Object, debug bool) (*gkTemplate, []Problem) {
	spec, _ := o.Map()["spec"].(map[string]any)
	crd, _ := spec["crd"].(map[string]any)
	crdSpec, _ := crd["spec"].(map[string]any)
	names, _ := crdSpec["names"].(map[string]any)
	kind, _ := names["kind"].(string)
	t := &gkTemplate{Name: o.Name, Kind: kind, Source: o}
	if md, ok := o.Map()["metadata"].(map[string]any); ok {
		ann, _ := md["annotations"].(map[string]any)
		t.Title, _ = ann["metadata.gatekeeper.sh/title"].(string)
		t.Description, _ = ann["description"].(string)
	}
	at := func(field, msg string) []Problem {
		loc, _ := o.Locate(field)
		return []Problem{{Path: loc.Path, Line: loc.Line, Col: loc.Col, Message: msg}}
	}
	if kind == "" {
		return nil, at("spec.crd.spec.names", "ConstraintTemplate "+o.Name+": spec.crd.spec.names.kind is required")
	}
	src, ok := templateRego(o)
	if !ok {
		ps := at("spec.targets", fmt.Sprintf("ConstraintTemplate %s has no Rego for target %s: not evaluated (kubeplan evaluates Rego, not CEL)", o.Name, admissionTarget))
		ps[0].NotModelled = true
		return &gkTemplate{Name: o.Name, Kind: kind, Source: o, celOnly: true}, ps
	}
	mods := map[string]*ast.Module{}
	var problems []Problem
	entry, err := parseEither(o.File.Path, src.Rego)
	if err != nil {
		problems = append(problems, shiftProblems(o, src.FieldPath, err)...)
	}
	for i, lib := range src.Libs {
		m, err := parseEither(o.File.Path, lib)
		if err != nil {
			problems = append(problems, shiftProblems(o, src.LibPaths[i], err)...)
			continue
		}
		mods[fmt.Sprintf("%s#lib%d", o.File.Path, i)] = m
	}
	if len(problems) > 0 {
		return nil, problems
	}
	hasViolation := false
	for _, r := range entry.Rules {
		if ruleHeadName(r) == "violation" {
			hasViolation = true
		}
	}
	if !hasViolation {
		return nil, at(src.FieldPath, "ConstraintTemplate "+o.Name+": invalid rego: missing required rules: [violation]")
	}
	mods[o.File.Path+"#rego"] = entry
	c, err := compile(mods, debug)
	if err != nil {
		return nil, shiftProblems(o, src.FieldPath, err)
	}
	t.compiler = c
	t.violation = entry.Package.Path.Append(ast.StringTerm("violation"))
	return t, nil
}

func parseEither(path, src string) (*ast.Module, error) {
	m, err := parseModule(path, src, ast.RegoV1)
	if err == nil {
		return m, nil
	}
	m, err0 := parseModule(path, src, ast.RegoV0)
	if err0 == nil {
		return m, nil
	}
	return nil, err0
}

// shiftProblems turns errors located in Rego embedded in a YAML string into
// problems located in the YAML file.
func shiftProblems(o *manifest.Object, fieldPath string, err error) []Problem {
	ps := problemsFromAST(err, "")
	span, found := o.ValueAt(fieldPath)
	for i := range ps {
		ps[i].Path = o.File.Path
		if !found {
			pos := o.Position()
			ps[i].Line, ps[i].Col = pos.Line, pos.Col
			continue
		}
		line, col := span.Line, span.Col
		if span.Block {
			// Block scalar: row 1 is the line after the indicator.
			// Columns are shifted by the block's indentation, read from
			// its first line.
			first, _ := o.File.Line(line + 1)
			line += ps[i].Line
			col = len(first) - len(strings.TrimLeft(first, " ")) + ps[i].Col
		} else {
			line += ps[i].Line - 1
			if ps[i].Line > 1 {
				col = ps[i].Col
			}
		}
		ps[i].Line, ps[i].Col = line, col
	}
	return ps
}

// gkConstraint is one Constraint bound to its template.
type gkConstraint struct {
	Kind, Name string
	Source     *manifest.Object
	Template   *gkTemplate
	Params     ast.Value
	Match      *gkMatch
	// Severity follows spec.enforcementAction: deny → error, warn →
	// warning, dryrun → note.
	Severity finding.Severity
	Rule     finding.Rule
	prepared *evaluator
}

// parseConstraint reads a Constraint's parameters, match and action.
func parseConstraint(o *manifest.Object, t *gkTemplate) (*gkConstraint, error) {
	spec, _ := o.Map()["spec"].(map[string]any)
	params := spec["parameters"]
	if params == nil {
		params = map[string]any{}
	}
	pv, err := ast.InterfaceToValue(params)
	if err != nil {
		return nil, fmt.Errorf("spec.parameters: %w", err)
	}
	m, err := parseMatch(spec["match"])
	if err != nil {
		return nil, err
	}
	sev, err := enforcementSeverity(spec)
	if err != nil {
		return nil, err
	}
	c := &gkConstraint{Kind: o.Kind, Name: o.Name, Source: o, Template: t, Params: pv, Match: m, Severity: sev}
	title := t.Title
	if title == "" {
		title = "Gatekeeper " + o.Kind
	}
	desc := strings.TrimSpace(t.Description)
	if desc == "" {
		desc = "Violations of Gatekeeper ConstraintTemplate " + t.Name + "."
	}
	c.Rule = finding.Rule{
		ID:          "gatekeeper." + strings.ToLower(o.Kind) + "." + o.Name,
		Title:       title + " (" + o.Name + ")",
		Description: desc,
		Remediation: "Change the object so that constraint " + o.Kind + "/" + o.Name + " allows it, or narrow the constraint's spec.match.",
		Severity:    sev,
		Source:      AnalyzerName,
	}
	return c, nil
}

// enforcementSeverity maps spec.enforcementAction. For "scoped", the
// strongest action of spec.scopedEnforcementActions applies.
func enforcementSeverity(spec map[string]any) (finding.Severity, error) {
	action, _ := spec["enforcementAction"].(string)
	switch strings.ToLower(action) {
	case "", "deny":
		return finding.SeverityError, nil
	case "warn":
		return finding.SeverityWarning, nil
	case "dryrun":
		return finding.SeverityNote, nil
	case "scoped":
		best := finding.SeverityNone
		scoped, _ := spec["scopedEnforcementActions"].([]any)
		for _, s := range scoped {
			sm, _ := s.(map[string]any)
			a, _ := sm["action"].(string)
			sev, err := enforcementSeverity(map[string]any{"enforcementAction": a})
			if err == nil && sev > best && a != "scoped" {
				best = sev
			}
		}
		if best == finding.SeverityNone {
			best = finding.SeverityError
		}
		return best, nil
	}
	return finding.SeverityNone, fmt.Errorf("spec.enforcementAction: unknown action %q (want deny, warn, dryrun or scoped)", action)
}

// prepareConstraints prepares one query per template and shares it between
// the template's constraints.
func prepareConstraints(ctx context.Context, cs []*gkConstraint, store storage.Store, env runEnv) []Problem {
	byTemplate := map[*gkTemplate]*evaluator{}
	var problems []Problem
	for _, c := range cs {
		ev, ok := byTemplate[c.Template]
		if !ok {
			var err error
			ev, err = prepare(ctx, c.Template.compiler, "v := "+c.Template.violation.String(), store, env)
			if err != nil {
				problems = append(problems, shiftProblems(c.Template.Source, "spec.targets", err)...)
			}
			byTemplate[c.Template] = ev
		}
		c.prepared = ev
	}
	return problems
}

// violations evaluates the constraint against a review and returns the
// violation messages, sorted. An evaluation error is one violation whose
// message is the error, as in Gatekeeper's driver.
func (c *gkConstraint) violations(ctx context.Context, review ast.Value) []string {
	if c.prepared == nil {
		return nil
	}
	input := ast.NewObject(
		ast.Item(ast.StringTerm("review"), ast.NewTerm(review)),
		ast.Item(ast.StringTerm("parameters"), ast.NewTerm(c.Params)),
	)
	rs, err := c.prepared.eval(ctx, input)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, r := range rs {
		items, _ := r.Bindings["v"].([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			if msg, ok := m["msg"].(string); ok {
				out = append(out, msg)
			}
		}
	}
	sort.Strings(out)
	return out
}

// reviewValue builds input.review for an object the way Gatekeeper's
// target does for an object that is not an AdmissionReview
// (pkg/target unstructuredToAdmissionRequest): an AdmissionRequest with
// kind, name, namespace and object, here with operation CREATE.
func reviewValue(objValue ast.Value, group, version, kind, name, namespace string) ast.Value {
	kindObj := ast.NewObject(
		ast.Item(ast.StringTerm("group"), ast.StringTerm(group)),
		ast.Item(ast.StringTerm("version"), ast.StringTerm(version)),
		ast.Item(ast.StringTerm("kind"), ast.StringTerm(kind)),
	)
	items := [][2]*ast.Term{
		ast.Item(ast.StringTerm("uid"), ast.StringTerm("")),
		ast.Item(ast.StringTerm("kind"), ast.NewTerm(kindObj)),
		ast.Item(ast.StringTerm("resource"), ast.ObjectTerm(
			ast.Item(ast.StringTerm("group"), ast.StringTerm("")),
			ast.Item(ast.StringTerm("version"), ast.StringTerm("")),
			ast.Item(ast.StringTerm("resource"), ast.StringTerm("")))),
		ast.Item(ast.StringTerm("operation"), ast.StringTerm("CREATE")),
		ast.Item(ast.StringTerm("userInfo"), ast.ObjectTerm()),
		ast.Item(ast.StringTerm("object"), ast.NewTerm(objValue)),
		ast.Item(ast.StringTerm("oldObject"), ast.NullTerm()),
		ast.Item(ast.StringTerm("options"), ast.NullTerm()),
	}
	if name != "" {
		items = append(items, ast.Item(ast.StringTerm("name"), ast.StringTerm(name)))
	}
	if namespace != "" {
		items = append(items, ast.Item(ast.StringTerm("namespace"), ast.StringTerm(namespace)))
	}
	return ast.NewObject(items...)
}
