package policies

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/open-policy-agent/opa/v1/ast"
)

// libraryFS holds the bundled policies, their shared helpers and their
// tests.
//
//go:embed library/*.rego
var libraryFS embed.FS

// libraryPrefix is the package every bundled policy lives under.
const libraryPrefix = "kubeplan.library."

// LibraryPolicy describes one bundled policy, as docs and `kubeplan rules`
// show it.
type LibraryPolicy struct {
	// Name is the key in .kubeplan.yaml's policies: section.
	Name string
	// Rule is the rule its findings carry.
	Rule finding.Rule
	// Params maps each parameter to its type: string, strings (a list of
	// strings), int, bool, quantity, or "map of int".
	Params map[string]string
}

// libraryFiles returns the embedded sources; tests selects the
// *_test.rego files instead of the policies.
func libraryFiles(tests bool) []regoFile {
	var out []regoFile
	_ = fs.WalkDir(libraryFS, "library", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isRego(p) || isRegoTest(p) != tests {
			return err
		}
		b, err := libraryFS.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, regoFile{Path: "kubeplan:" + p, Src: b})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// compileLibrary compiles the bundled policies and returns every rule of
// every bundled policy.
func compileLibrary(debug bool) (*ast.Compiler, map[string]*ast.Module, []ruleRef, error) {
	p := parseFiles(libraryFiles(false), ast.RegoV1, false)
	if len(p.Problems) > 0 {
		return nil, nil, nil, fmt.Errorf("bundled policies: %v", p.Problems[0])
	}
	c, err := compile(p.Modules, debug)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("bundled policies: %w", err)
	}
	var nss []string
	for _, ns := range availableNamespaces(p.Modules) {
		if strings.HasPrefix(ns, libraryPrefix) {
			nss = append(nss, ns)
		}
	}
	rules, _, problems, _ := collectRules(c, nss, "")
	if len(problems) > 0 {
		return nil, nil, nil, fmt.Errorf("bundled policies: %v", problems[0])
	}
	return c, p.Modules, rules, nil
}

// LibraryPolicies lists the bundled policies, sorted by name.
func LibraryPolicies() ([]LibraryPolicy, error) {
	_, _, rules, err := compileLibrary(false)
	if err != nil {
		return nil, err
	}
	out := make([]LibraryPolicy, 0, len(rules))
	for _, r := range rules {
		out = append(out, LibraryPolicy{Name: libraryName(r), Rule: r.Rule, Params: paramTypes(r.Meta)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// libraryName is the policy's key in .kubeplan.yaml: METADATA custom.name.
func libraryName(r ruleRef) string {
	if n := customString(r.Meta.Custom, "name"); n != "" {
		return n
	}
	return strings.ReplaceAll(strings.TrimPrefix(r.Namespace, libraryPrefix), "_", "-")
}

func paramTypes(m ruleMeta) map[string]string {
	out := map[string]string{}
	ps, _ := m.Custom["params"].(map[string]any)
	for k, v := range ps {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// newLibrarySet compiles the bundled policies, validates cfg against their
// declared parameters, and keeps the configured ones active; the others
// are reported as disabled rules.
func newLibrarySet(cfg LibraryConfig, debug bool) (*policySet, error) {
	c, mods, rules, err := compileLibrary(debug)
	if err != nil {
		return nil, err
	}
	known := map[string]ruleRef{}
	for _, r := range rules {
		known[libraryName(r)] = r
	}
	for _, name := range sortedKeys(cfg) {
		r, ok := known[name]
		if !ok {
			return nil, fmt.Errorf("policies.%s: no bundled policy has this name (known: %s)", name, strings.Join(sortedKeys(known), ", "))
		}
		if err := validateParams(name, cfg[name], paramTypes(r.Meta)); err != nil {
			return nil, err
		}
	}
	s := &policySet{compiler: c, usesInventory: readsInventory(mods)}
	for _, r := range rules {
		if _, on := cfg[libraryName(r)]; on {
			s.rules = append(s.rules, r)
			continue
		}
		d := r.Rule
		d.Disabled = true
		s.disabled = append(s.disabled, d)
	}
	if len(s.rules) > 0 {
		s.query = queryFor(s.rules, nil)
	}
	return s, nil
}

// validateParams checks each parameter's name and type.
func validateParams(policy string, params map[string]any, types map[string]string) error {
	for _, k := range sortedKeys(params) {
		typ, ok := types[k]
		if !ok {
			return fmt.Errorf("policies.%s: unknown parameter %q (known: %s)", policy, k, strings.Join(sortedKeys(types), ", "))
		}
		if !hasType(params[k], typ) {
			return fmt.Errorf("policies.%s.%s: want %s, got %v", policy, k, typ, params[k])
		}
	}
	return nil
}

func hasType(v any, typ string) bool {
	switch typ {
	case "string", "quantity":
		_, ok := v.(string)
		if typ == "quantity" && !ok {
			return isNumber(v)
		}
		return ok
	case "strings":
		l, ok := v.([]any)
		if !ok {
			return false
		}
		for _, x := range l {
			if _, ok := x.(string); !ok {
				return false
			}
		}
		return true
	case "int":
		return isNumber(v)
	case "bool":
		_, ok := v.(bool)
		return ok
	case "map of int":
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for _, x := range m {
			if !isNumber(x) {
				return false
			}
		}
		return true
	case "map of quantity":
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for _, x := range m {
			if !hasType(x, "quantity") {
				return false
			}
		}
		return true
	}
	return true
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, int64, float64, int32, uint64:
		return true
	}
	return false
}

// libraryTestFiles returns the bundled policies and their tests, for
// RunRegoTests; exported through LibraryTestSources for go test.
func libraryTestFiles() []regoFile {
	return append(libraryFiles(false), libraryFiles(true)...)
}
