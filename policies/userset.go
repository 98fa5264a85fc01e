package policies

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/open-policy-agent/opa/v1/ast"
)

// conftest's rule-name patterns (policy/engine.go): failures and warnings.
var (
	failureRule = regexp.MustCompile(`^(deny|violation)(_[a-zA-Z0-9]+)*$`)
	warningRule = regexp.MustCompile(`^warn(_[a-zA-Z0-9]+)*$`)
)

// ruleRef is one conftest-style rule of a policy set: every definition of
// data.<Namespace>.<Name> together.
type ruleRef struct {
	// Namespace is the package path without "data." ("main").
	Namespace string
	// Name is the rule name ("deny_privileged").
	Name string
	// Ref is data.<Namespace>.<Name>.
	Ref ast.Ref
	// Failure is true for deny/violation rules, false for warn rules.
	Failure bool
	// Rule is the finding rule its results are reported under.
	Rule finding.Rule
	// Where is the first definition, for messages about the rule itself.
	Where Problem
	// Meta is what the rule's METADATA says.
	Meta ruleMeta
}

// exceptionName is the name conftest exceptions use for a rule: the rule
// name without its deny_/warn_/violation_ prefix ("" for a bare deny).
func (r ruleRef) exceptionName() string {
	switch r.Name {
	case "deny", "warn", "violation":
		return ""
	}
	for _, p := range []string{"violation_", "deny_", "warn_"} {
		r.Name = strings.TrimPrefix(r.Name, p)
	}
	return r.Name
}

// packageName renders a package path without "data.".
func packageName(p *ast.Package) string {
	return strings.TrimPrefix(p.Path.String(), "data.")
}

// selectNamespaces resolves --namespace patterns against the packages that
// exist, as conftest does: literal names are kept as given (a missing
// package simply has no rules), and when any pattern has a glob
// metacharacter, every pattern is matched with path.Match.
func selectNamespaces(patterns []string, all bool, available []string) ([]string, error) {
	if all {
		return available, nil
	}
	if len(patterns) == 0 {
		return []string{DefaultNamespace}, nil
	}
	glob := false
	for _, p := range patterns {
		if strings.ContainsAny(p, "*?[") {
			glob = true
		}
	}
	if !glob {
		return dedupe(patterns), nil
	}
	var out []string
	for _, ns := range available {
		for _, p := range patterns {
			ok, err := path.Match(p, ns)
			if err != nil {
				return nil, fmt.Errorf("namespace pattern %q: %w", p, err)
			}
			if ok {
				out = append(out, ns)
				break
			}
		}
	}
	return out, nil
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// collectRules finds the conftest rules of the selected namespaces in
// compiled modules, in a stable order (namespace, then name), reads their
// METADATA and reports rules conftest refuses (deny if without contains).
func collectRules(c *ast.Compiler, namespaces []string, idPrefix string) (rules []ruleRef, exceptions []ast.Ref, problems []Problem, notes []string) {
	want := map[string]bool{}
	for _, ns := range namespaces {
		want[ns] = true
	}
	byKey := map[string]*ruleRef{}
	seenExc := map[string]bool{}
	for _, name := range sortedKeys(c.Modules) {
		mod := c.Modules[name]
		ns := packageName(mod.Package)
		if !want[ns] {
			continue
		}
		for _, rule := range mod.Rules {
			head := ruleHeadName(rule)
			if head == "exception" && !seenExc[ns] {
				seenExc[ns] = true
				exceptions = append(exceptions, mod.Package.Path.Append(ast.StringTerm("exception")))
			}
			fail, warn := failureRule.MatchString(head), warningRule.MatchString(head)
			if !fail && !warn {
				continue
			}
			loc := rule.Location
			if rule.Head.Key == nil && rule.Head.Value != nil && rule.Head.Value.String() == "true" {
				if rule.Head.Name == "" {
					// conftest refuses boolean rules with a ref head
					// (policy/engine.go problematicIf, OPA issue 6509).
					problems = append(problems, Problem{Path: loc.File, Line: loc.Row, Col: loc.Col,
						Message: fmt.Sprintf("rule %s is using 'if' keyword without 'contains' keyword: write `%s contains msg if { ... }`", head, head)})
					continue
				}
				// conftest counts a boolean deny as a success whatever its
				// value; kubeplan does too, and says so.
				notes = append(notes, fmt.Sprintf("%s:%d: rule %s is a boolean (`%s if ...`), which never reports anything; write `%s contains msg if { ... }`", loc.File, loc.Row, head, head, head))
			}
			key := ns + "\x00" + head
			if _, ok := byKey[key]; ok {
				continue
			}
			meta := readMeta(c.GetAnnotationSet(), rule)
			sev := finding.SeverityWarning
			if fail {
				sev = finding.SeverityError
			}
			ref := mod.Package.Path.Append(ast.StringTerm(head))
			r, err := meta.toRule(idPrefix+ns+"."+head, sev, "Rego rule "+ref.String()+" in "+loc.File)
			if err != nil {
				problems = append(problems, Problem{Path: loc.File, Line: loc.Row, Col: loc.Col, Message: err.Error()})
			}
			byKey[key] = &ruleRef{Namespace: ns, Name: head, Ref: ref, Failure: fail, Rule: r, Meta: meta,
				Where: Problem{Path: loc.File, Line: loc.Row, Col: loc.Col}}
		}
	}
	out := make([]ruleRef, 0, len(byKey))
	sort.Strings(notes)
	ids := map[string]int{}
	for _, k := range sortedKeys(byKey) {
		out = append(out, *byKey[k])
		ids[byKey[k].Rule.ID]++
	}
	// A custom.id shared by several rules (a package-scope METADATA block)
	// is made unique with the rule name.
	for i := range out {
		if ids[out[i].Rule.ID] > 1 {
			out[i].Rule.ID += "." + out[i].Name
		}
	}
	sort.Slice(exceptions, func(i, j int) bool { return exceptions[i].Compare(exceptions[j]) < 0 })
	return out, exceptions, problems, notes
}

// ruleHeadName is the rule's name as conftest sees it: the first term of the
// head's reference.
func ruleHeadName(r *ast.Rule) string {
	if r.Head.Name != "" {
		return string(r.Head.Name)
	}
	if len(r.Head.Reference) > 0 {
		if v, ok := r.Head.Reference[0].Value.(ast.Var); ok {
			return string(v)
		}
	}
	return ""
}

// availableNamespaces lists the packages of the modules, sorted.
func availableNamespaces(mods map[string]*ast.Module) []string {
	set := map[string]bool{}
	for _, m := range mods {
		set[packageName(m.Package)] = true
	}
	return sortedKeys(set)
}

// queryFor builds one query that returns every rule's value and every
// exception in one evaluation. Each rule is wrapped in a comprehension so an
// undefined rule yields [] instead of making the whole query undefined.
func queryFor(rules []ruleRef, exceptions []ast.Ref) string {
	var b strings.Builder
	for i, r := range rules {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "r%d := [x | x := %s]", i, r.Ref.String())
	}
	for j, ref := range exceptions {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "e%d := [x | x := %s[_][_]]", j, ref.String())
	}
	return b.String()
}

// result is one message a policy rule produced for one input.
type result struct {
	Message string
	// Field is the optional "field" of an object result: where in the
	// object the problem is.
	Field string
	// Object fields an object result may carry to name the object in
	// --combine mode.
	Path, Kind, Name, Namespace string
}

// readResults turns a rule's value into results with conftest's rules:
// a set or array of strings or of objects with a string "msg"; any other
// value counts as success.
func readResults(v any) ([]result, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, nil
	}
	var out []result
	for _, it := range items {
		switch x := it.(type) {
		case string:
			out = append(out, result{Message: x})
		case map[string]any:
			msg, ok := x["msg"].(string)
			if !ok {
				return nil, fmt.Errorf(`%q field must be present and a string`, "msg")
			}
			r := result{Message: msg}
			r.Field, _ = x["field"].(string)
			r.Path, _ = x["path"].(string)
			r.Kind, _ = x["kind"].(string)
			r.Name, _ = x["name"].(string)
			r.Namespace, _ = x["namespace"].(string)
			out = append(out, r)
		}
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
