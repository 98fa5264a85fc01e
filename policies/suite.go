package policies

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kubeplan/kubeplan/lint/manifest"
	"github.com/open-policy-agent/opa/v1/ast"
)

// SuiteResult is the outcome of one Gatekeeper suite.yaml, as `gator
// verify` reports it.
type SuiteResult struct {
	Path    string       `json:"path"`
	Skipped bool         `json:"skipped,omitempty"`
	Error   string       `json:"error,omitempty"`
	Tests   []TestOfCase `json:"tests,omitempty"`
}

// TestOfCase is one test of a suite: a template, a constraint and cases.
type TestOfCase struct {
	Name    string       `json:"name"`
	Skipped bool         `json:"skipped,omitempty"`
	Error   string       `json:"error,omitempty"`
	Cases   []CaseResult `json:"cases,omitempty"`
}

// CaseResult is one case: an object and assertions about its violations.
type CaseResult struct {
	Name    string `json:"name"`
	Skipped bool   `json:"skipped,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Failed reports whether the suite, a test or a case failed.
func (s SuiteResult) Failed() bool {
	if s.Error != "" {
		return true
	}
	for _, t := range s.Tests {
		if t.Error != "" {
			return true
		}
		for _, c := range t.Cases {
			if c.Error != "" {
				return true
			}
		}
	}
	return false
}

// IsSuite reports whether a manifest is a Gatekeeper test suite.
func IsSuite(o *manifest.Object) bool {
	return o.Kind == "Suite" && strings.HasPrefix(o.APIVersion, "test.gatekeeper.sh/")
}

// RunSuites finds every Gatekeeper Suite among the YAML files under paths
// and runs it the way `gator verify` does: for each test, compile the
// template, add the constraint, and for each case review the object (or
// AdmissionReview) with the case's inventory and check the assertions.
func RunSuites(ctx context.Context, paths []string, workDir string) ([]SuiteResult, error) {
	files, err := findFiles(paths, workDir, func(n string) bool { return isData(n) && !strings.HasSuffix(n, ".json") })
	if err != nil {
		return nil, err
	}
	var out []SuiteResult
	for _, f := range files {
		res := manifest.Load(ctx, []string{f}, manifest.Options{WorkDir: workDir})
		for _, o := range res.Objects {
			if IsSuite(o) {
				out = append(out, runSuite(ctx, o, filepath.Dir(f)))
			}
		}
	}
	return out, nil
}

func runSuite(ctx context.Context, s *manifest.Object, dir string) SuiteResult {
	r := SuiteResult{Path: s.File.Path}
	if skip, _ := s.Map()["skip"].(bool); skip {
		r.Skipped = true
		return r
	}
	tests, _ := s.Map()["tests"].([]any)
	for _, t := range tests {
		tm, _ := t.(map[string]any)
		r.Tests = append(r.Tests, runSuiteTest(ctx, tm, dir))
	}
	return r
}

func runSuiteTest(ctx context.Context, t map[string]any, dir string) TestOfCase {
	name, _ := t["name"].(string)
	res := TestOfCase{Name: name}
	if skip, _ := t["skip"].(bool); skip {
		res.Skipped = true
		return res
	}
	c, err := loadSuiteConstraint(ctx, t, dir)
	if invalid, _ := t["invalid"].(bool); invalid {
		if err == nil {
			res.Error = "constraint is valid, want it rejected (invalid: true)"
		}
		return res
	}
	if err != nil {
		res.Error = err.Error()
		return res
	}
	cases, _ := t["cases"].([]any)
	for _, cv := range cases {
		cm, _ := cv.(map[string]any)
		cname, _ := cm["name"].(string)
		cr := CaseResult{Name: cname}
		if skip, _ := cm["skip"].(bool); skip {
			cr.Skipped = true
		} else if err := runSuiteCase(ctx, c, cm, dir); err != nil {
			cr.Error = err.Error()
		}
		res.Cases = append(res.Cases, cr)
	}
	return res
}

// loadSuiteConstraint compiles a test's template and constraint.
func loadSuiteConstraint(ctx context.Context, t map[string]any, dir string) (*gkConstraint, error) {
	tp, _ := t["template"].(string)
	cp, _ := t["constraint"].(string)
	if tp == "" {
		return nil, fmt.Errorf("invalid suite: missing template")
	}
	if cp == "" {
		return nil, fmt.Errorf("invalid suite: missing constraint")
	}
	objs, err := readSuiteObjects(ctx, dir, tp)
	if err != nil {
		return nil, err
	}
	var tmpl *gkTemplate
	for _, o := range objs {
		if isTemplate(o) {
			t, problems := compileTemplate(o, false)
			if len(problems) > 0 {
				return nil, fmt.Errorf("adding template: %v", problems[0])
			}
			tmpl = t
		}
	}
	if tmpl == nil {
		return nil, fmt.Errorf("%s: no ConstraintTemplate", tp)
	}
	cobjs, err := readSuiteObjects(ctx, dir, cp)
	if err != nil {
		return nil, err
	}
	if len(cobjs) != 1 || cobjs[0].Kind != tmpl.Kind {
		return nil, fmt.Errorf("%s: want one %s constraint", cp, tmpl.Kind)
	}
	c, err := parseConstraint(cobjs[0], tmpl)
	if err != nil {
		return nil, fmt.Errorf("adding constraint: %w", err)
	}
	env := runEnv{Timeout: DefaultEvalTimeout}
	if problems := prepareConstraints(ctx, []*gkConstraint{c}, newStore(map[string]any{}), env); len(problems) > 0 {
		return nil, fmt.Errorf("adding template: %v", problems[0])
	}
	return c, nil
}

func readSuiteObjects(ctx context.Context, dir, p string) ([]*manifest.Object, error) {
	abs := filepath.Join(dir, filepath.FromSlash(p))
	res := manifest.Load(ctx, []string{abs}, manifest.Options{WorkDir: dir})
	if len(res.Errors) > 0 {
		return nil, res.Errors[0]
	}
	if len(res.Objects) == 0 {
		return nil, fmt.Errorf("path %q defines no YAML objects", p)
	}
	return res.Objects, nil
}

// runSuiteCase reviews a case's object and checks its assertions.
func runSuiteCase(ctx context.Context, c *gkConstraint, cm map[string]any, dir string) error {
	op, _ := cm["object"].(string)
	if op == "" {
		return fmt.Errorf("invalid case: must define object")
	}
	assertions, _ := cm["assertions"].([]any)
	if len(assertions) == 0 {
		return fmt.Errorf("invalid case: assertions must be non-empty")
	}
	objs, err := readSuiteObjects(ctx, dir, op)
	if err != nil {
		return err
	}
	if len(objs) != 1 {
		return fmt.Errorf("%q defines %d objects", op, len(objs))
	}
	// The case's inventory becomes data.inventory and the namespace cache.
	var invObjs []*manifest.Object
	invPaths, _ := cm["inventory"].([]any)
	for _, ip := range invPaths {
		p, _ := ip.(string)
		objs, err := readSuiteObjects(ctx, dir, p)
		if err != nil {
			return err
		}
		invObjs = append(invObjs, objs...)
	}
	msgs, err := reviewSuiteObject(ctx, c, objs[0], invObjs)
	if err != nil {
		return err
	}
	for _, a := range assertions {
		am, _ := a.(map[string]any)
		if err := checkAssertion(am, msgs); err != nil {
			return err
		}
	}
	return nil
}

// reviewSuiteObject matches and evaluates the constraint for one object.
func reviewSuiteObject(ctx context.Context, c *gkConstraint, o *manifest.Object, inv []*manifest.Object) ([]string, error) {
	nsLabels := map[string]map[string]string{}
	for _, n := range inv {
		if n.Kind == "Namespace" && (n.APIVersion == "v1") {
			nsLabels[n.Name] = labelsOf(n.Map())
		}
	}
	store := newStore(map[string]any{"inventory": manifestInventory(inv)})
	env := runEnv{Timeout: DefaultEvalTimeout}
	ev, err := prepare(ctx, c.Template.compiler, "v := "+c.Template.violation.String(), store, env)
	if err != nil {
		return nil, err
	}
	cc := *c
	cc.prepared = ev

	var review ast.Value
	var subjects []map[string]any
	group, version := splitAPIVersion(o.APIVersion)
	if o.Kind == "AdmissionReview" && group == "admission.k8s.io" {
		req, ok := o.Map()["request"].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("invalid AdmissionReview: request did not actually pass in an AdmissionRequest")
		}
		req = copyMap(req)
		obj, _ := req["object"].(map[string]any)
		old, _ := req["oldObject"].(map[string]any)
		if obj == nil && old == nil {
			return nil, fmt.Errorf("AdmissionRequest does not contain an \"object\" or \"oldObject\" to review")
		}
		if opn, _ := req["operation"].(string); opn == "DELETE" {
			req["object"] = old
			obj = old
		}
		for _, k := range []string{"uid", "operation"} {
			if _, ok := req[k]; !ok {
				req[k] = ""
			}
		}
		if _, ok := req["userInfo"]; !ok {
			req["userInfo"] = map[string]any{}
		}
		v, err := ast.InterfaceToValue(req)
		if err != nil {
			return nil, err
		}
		review = v
		for _, s := range []map[string]any{obj, old} {
			if s != nil {
				subjects = append(subjects, s)
			}
		}
	} else {
		v, err := ast.InterfaceToValue(o.Map())
		if err != nil {
			return nil, err
		}
		review = reviewValue(v, group, version, o.Kind, o.Name, o.Namespace)
		subjects = []map[string]any{o.Map()}
	}
	matched := false
	for _, s := range subjects {
		t := matchableOf(s)
		if l, ok := nsLabels[t.Namespace]; ok {
			t.NamespaceKnown, t.NamespaceLabels = true, l
		}
		ok, err := c.Match.matches(t)
		if err != nil {
			return nil, err
		}
		if ok {
			matched = true
			break
		}
	}
	if !matched {
		return nil, nil
	}
	return cc.violations(ctx, review), nil
}

func splitAPIVersion(av string) (group, version string) {
	if i := strings.Index(av, "/"); i >= 0 {
		return av[:i], av[i+1:]
	}
	return "", av
}

func labelsOf(m map[string]any) map[string]string {
	md, _ := m["metadata"].(map[string]any)
	l, _ := md["labels"].(map[string]any)
	out := map[string]string{}
	for k, v := range l {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// matchableOf reads what the matcher needs from an object's data, with its
// namespace as written (gator does not default it).
func matchableOf(m map[string]any) matchable {
	av, _ := m["apiVersion"].(string)
	group, _ := splitAPIVersion(av)
	kind, _ := m["kind"].(string)
	md, _ := m["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	gen, _ := md["generateName"].(string)
	ns, _ := md["namespace"].(string)
	return matchable{Group: group, Kind: kind, Name: name, GenerateName: gen, Namespace: ns, Labels: labelsOf(m)}
}

// manifestInventory is Inventory for loose manifests (a suite case's
// inventory): namespaces as written.
func manifestInventory(objs []*manifest.Object) map[string]any {
	clusterDoc := map[string]any{}
	nsDoc := map[string]any{}
	for _, o := range objs {
		if o.APIVersion == "" || o.Kind == "" || o.Name == "" {
			continue
		}
		root := clusterDoc
		if o.Namespace != "" {
			root = child(nsDoc, o.Namespace)
		}
		child(child(root, o.APIVersion), o.Kind)[o.Name] = o.Map()
	}
	return map[string]any{"cluster": clusterDoc, "namespace": nsDoc}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
