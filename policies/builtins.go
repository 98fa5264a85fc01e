package policies

import (
	"errors"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"
)

// Names of the kubeplan builtins.
const (
	BuiltinCanI      = "kubeplan.can_i"
	BuiltinWhoCan    = "kubeplan.who_can"
	BuiltinPlacement = "kubeplan.placement"
)

// errNoRBAC and errNoPlacement make the builtins undefined when the run has
// no RBAC or placement oracle.
var (
	errNoRBAC      = errors.New("RBAC answers are not available in this run")
	errNoPlacement = errors.New("placement answers are not available in this run (give Node manifests)")
)

func builtinDecls() []*ast.Builtin {
	return []*ast.Builtin{
		{Name: BuiltinCanI, Decl: canIDecl()},
		{Name: BuiltinWhoCan, Decl: whoCanDecl()},
		{Name: BuiltinPlacement, Decl: placementDecl()},
	}
}

func canIDecl() *types.Function {
	return types.NewFunction(types.Args(
		types.Named("subject", types.S).Description(`user, "system:serviceaccount:<ns>:<name>" or "group:<name>"`),
		types.Named("verb", types.S),
		types.Named("resource", types.S).Description(`"pods", "pods/exec" or "deployments.apps"`),
		types.Named("namespace", types.S).Description(`"" for cluster-wide`),
	), types.Named("allowed", types.B))
}

func whoCanDecl() *types.Function {
	return types.NewFunction(types.Args(
		types.Named("verb", types.S),
		types.Named("resource", types.S),
		types.Named("namespace", types.S),
	), types.Named("subjects", types.NewArray(nil, types.S)))
}

func placementDecl() *types.Function {
	return types.NewFunction(types.Args(
		types.Named("pod_ref", types.S).Description(`"Kind/namespace/name" of a workload`),
	), types.Named("result", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))))
}

// builtinOptions registers the kubeplan builtins, answered by the oracles.
func builtinOptions(r RBAC, p Placement) []func(*rego.Rego) {
	var out []func(*rego.Rego)
	for _, b := range builtinImpls(r, p) {
		out = append(out, b.Func)
	}
	return out
}

// builtinImpls returns the builtins in the form OPA's test runner takes.
func builtinImpls(r RBAC, p Placement) []*tester.Builtin {
	canI := rego.Function4(&rego.Function{Name: BuiltinCanI, Decl: canIDecl(), Memoize: true, Nondeterministic: false},
		func(_ rego.BuiltinContext, subject, verb, resource, ns *ast.Term) (*ast.Term, error) {
			if r == nil {
				return nil, errNoRBAC
			}
			args, err := stringArgs(BuiltinCanI, subject, verb, resource, ns)
			if err != nil {
				return nil, err
			}
			ok, err := r.CanI(args[0], args[1], args[2], args[3])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", BuiltinCanI, err)
			}
			return ast.BooleanTerm(ok), nil
		})
	whoCan := rego.Function3(&rego.Function{Name: BuiltinWhoCan, Decl: whoCanDecl(), Memoize: true},
		func(_ rego.BuiltinContext, verb, resource, ns *ast.Term) (*ast.Term, error) {
			if r == nil {
				return nil, errNoRBAC
			}
			args, err := stringArgs(BuiltinWhoCan, verb, resource, ns)
			if err != nil {
				return nil, err
			}
			subjects, err := r.WhoCan(args[0], args[1], args[2])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", BuiltinWhoCan, err)
			}
			terms := make([]*ast.Term, len(subjects))
			for i, s := range subjects {
				terms[i] = ast.StringTerm(s)
			}
			return ast.ArrayTerm(terms...), nil
		})
	placement := rego.Function1(&rego.Function{Name: BuiltinPlacement, Decl: placementDecl(), Memoize: true},
		func(_ rego.BuiltinContext, ref *ast.Term) (*ast.Term, error) {
			if p == nil {
				return nil, errNoPlacement
			}
			args, err := stringArgs(BuiltinPlacement, ref)
			if err != nil {
				return nil, err
			}
			res, err := p.Placement(args[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", BuiltinPlacement, err)
			}
			v, err := ast.InterfaceToValue(res)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", BuiltinPlacement, err)
			}
			return ast.NewTerm(v), nil
		})
	decls := builtinDecls()
	return []*tester.Builtin{
		{Decl: decls[0], Func: canI},
		{Decl: decls[1], Func: whoCan},
		{Decl: decls[2], Func: placement},
	}
}

func stringArgs(name string, terms ...*ast.Term) ([]string, error) {
	out := make([]string, len(terms))
	for i, t := range terms {
		s, ok := t.Value.(ast.String)
		if !ok {
			return nil, fmt.Errorf("%s: argument %d must be a string, got %v", name, i+1, ast.ValueName(t.Value))
		}
		out[i] = string(s)
	}
	return out, nil
}
