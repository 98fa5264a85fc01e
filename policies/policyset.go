package policies

import (
	"context"
	"fmt"

	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
)

// policySet is a compiled set of conftest-style policies and the one query
// that returns all its rules' results for an input.
type policySet struct {
	compiler *ast.Compiler
	rules    []ruleRef
	// exceptions are data.<ns>.exception refs; exceptionNS their packages.
	exceptions  []ast.Ref
	exceptionNS []string
	query       string
	// combine evaluates all objects at once (conftest --combine).
	combine bool
	// usesInventory says whether a module reads data.kubeplan.inventory
	// (or data.inventory), so the run builds it only when needed.
	usesInventory bool
	// disabled lists the bundled policies that are off (library only).
	disabled []finding.Rule
	// notes are remarks about rules that can never report.
	notes []string
}

// newPolicySet compiles parsed modules and selects the rules of the
// namespaces. Compile errors come back as problems with a nil set.
func newPolicySet(mods map[string]*ast.Module, namespaces []string, all bool, idPrefix string, debug bool) (*policySet, []Problem, error) {
	c, err := compile(mods, debug)
	if err != nil {
		return nil, problemsFromAST(err, ""), nil
	}
	nss, err := selectNamespaces(namespaces, all, availableNamespaces(mods))
	if err != nil {
		return nil, nil, err
	}
	rules, exceptions, problems, notes := collectRules(c, nss, idPrefix)
	s := &policySet{compiler: c, rules: rules, exceptions: exceptions, usesInventory: readsInventory(mods), notes: notes}
	for _, e := range exceptions {
		s.exceptionNS = append(s.exceptionNS, packageName(&ast.Package{Path: e[:len(e)-1]}))
	}
	if len(rules) > 0 {
		s.query = queryFor(rules, exceptions)
	}
	return s, problems, nil
}

// readsInventory reports whether any module refers to data.kubeplan
// (inventory or the whole document), data.inventory, or data itself.
func readsInventory(mods map[string]*ast.Module) bool {
	kubeplan := ast.MustParseRef("data.kubeplan")
	params := ast.MustParseRef("data.kubeplan.params")
	defNS := ast.MustParseRef("data.kubeplan.default_namespace")
	inv := ast.MustParseRef("data.inventory")
	found := false
	for _, m := range mods {
		ast.WalkRefs(m, func(r ast.Ref) bool {
			switch {
			case r.HasPrefix(params) || r.HasPrefix(defNS):
			case r.HasPrefix(kubeplan) || r.HasPrefix(inv):
				found = true
			case len(r) == 1 && r[0].Equal(ast.DefaultRootDocument):
				found = true
			case len(r) >= 2 && r[0].Equal(ast.DefaultRootDocument) && !isGround(r[1]):
				found = true
			}
			return found
		})
		if found {
			return true
		}
	}
	return false
}

func isGround(t *ast.Term) bool {
	_, ok := t.Value.(ast.String)
	return ok
}

// prepare prepares the set's query against the run's store.
func (s *policySet) prepare(ctx context.Context, store storage.Store, env runEnv) (*evaluator, error) {
	if s == nil || s.query == "" {
		return nil, nil
	}
	return prepare(ctx, s.compiler, s.query, store, env)
}

// ruleResults are the results of one rule for one input.
type ruleResults struct {
	Rule    *ruleRef
	Results []result
	// Excepted is true when a conftest exception covered the rule.
	Excepted bool
}

// evalSet evaluates the set for one input and returns each rule's results,
// with conftest's exception semantics: when data.<ns>.exception[_][_]
// names the rule (without its deny_/warn_/violation_ prefix), none of the
// rule's results count.
func (s *policySet) evalSet(ctx context.Context, ev *evaluator, input ast.Value) ([]ruleResults, error) {
	rs, err := ev.eval(ctx, input)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, nil
	}
	b := rs[0].Bindings
	excepted := map[string]map[string]bool{}
	for j, ns := range s.exceptionNS {
		vals, _ := b[fmt.Sprintf("e%d", j)].([]any)
		for _, v := range vals {
			if str, ok := v.(string); ok {
				if excepted[ns] == nil {
					excepted[ns] = map[string]bool{}
				}
				excepted[ns][str] = true
			}
		}
	}
	var out []ruleResults
	for i := range s.rules {
		r := &s.rules[i]
		vals, _ := b[fmt.Sprintf("r%d", i)].([]any)
		if len(vals) == 0 {
			continue
		}
		res, err := readResults(vals[0])
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.Ref, err)
		}
		if len(res) == 0 {
			continue
		}
		out = append(out, ruleResults{Rule: r, Results: res, Excepted: excepted[r.Namespace][r.exceptionName()]})
	}
	return out, nil
}
