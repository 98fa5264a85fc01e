package policies

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// refusedBuiltins are the OPA builtins a kubeplan policy may not call, with
// why. They reach outside the process (network, environment) and would make
// a lint run depend on more than its files.
var refusedBuiltins = map[string]string{
	"http.send":          "it makes network requests",
	"net.lookup_ip_addr": "it makes DNS requests",
	"opa.runtime":        "it exposes the environment and configuration of the process",
}

// capabilities returns OPA's capabilities for this version minus the refused
// builtins, with no network hosts allowed, plus the kubeplan.* builtins.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if _, refused := refusedBuiltins[b.Name]; !refused {
			kept = append(kept, b)
		}
	}
	caps.Builtins = append(kept, builtinDecls()...)
	caps.AllowNet = []string{}
	return caps
}

// explainCompileErrors rewrites OPA's "undefined function http.send" into an
// error that says the builtin is refused and why.
func explainCompileErrors(errs ast.Errors) ast.Errors {
	for _, e := range errs {
		if e == nil || e.Code != ast.TypeErr {
			continue
		}
		const prefix = "undefined function "
		if !strings.HasPrefix(e.Message, prefix) {
			continue
		}
		name := strings.TrimSpace(strings.TrimPrefix(e.Message, prefix))
		if why, ok := refusedBuiltins[name]; ok {
			e.Message = fmt.Sprintf("builtin %s is not allowed: %s, and kubeplan evaluates policies offline", name, why)
		}
	}
	return errs
}

// RefusedBuiltins lists the OPA builtins kubeplan refuses at compile time,
// sorted.
func RefusedBuiltins() []string {
	out := make([]string, 0, len(refusedBuiltins))
	for n := range refusedBuiltins {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
