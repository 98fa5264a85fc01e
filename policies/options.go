package policies

import (
	"io"
	"time"
)

// Rego language versions accepted in Options.RegoVersion.
const (
	// RegoVersionAuto parses every file as Rego v1 and falls back to v0 for
	// files that only parse as v0, with a note naming each such file.
	RegoVersionAuto = ""
	// RegoVersionV1 parses every file as Rego v1 (OPA 1.x, conftest's
	// default); a v0 file fails with a hint to pass --rego-version v0.
	RegoVersionV1 = "v1"
	// RegoVersionV0 parses every file as Rego v0 (OPA 0.x).
	RegoVersionV0 = "v0"
)

// DefaultNamespace is the Rego package conftest evaluates when no namespace
// is given.
const DefaultNamespace = "main"

// DefaultEvalTimeout bounds one evaluation (one object against one policy
// set) when Options.EvalTimeout is zero.
const DefaultEvalTimeout = 10 * time.Second

// Options configures NewAnalyzer. The zero value runs nothing but the
// Gatekeeper templates found among the manifests; the lead's `kubeplan lint`
// fills it from flags and .kubeplan.yaml.
type Options struct {
	// PolicyPaths are conftest-style policy files or directories
	// (--policy); directories are walked for *.rego files.
	PolicyPaths []string
	// DataPaths are JSON or YAML files (or directories of them) merged into
	// data at its root, as conftest's --data does.
	DataPaths []string
	// Namespaces are the Rego packages evaluated (conftest --namespace,
	// kubeplan --policy-namespace); glob patterns such as "main.*" are
	// matched against the packages found. Empty means "main".
	Namespaces []string
	// AllNamespaces evaluates every package that defines deny, warn or
	// violation rules (conftest --all-namespaces).
	AllNamespaces bool
	// Combine passes all objects as one array of {path, contents} to each
	// policy instead of one object at a time (conftest --combine).
	Combine bool
	// RegoVersion is RegoVersionAuto, RegoVersionV1 or RegoVersionV0.
	RegoVersion string
	// GatekeeperPaths are files or directories holding ConstraintTemplates
	// and Constraints (--gatekeeper). Templates and constraints found among
	// the linted manifests are used too.
	GatekeeperPaths []string
	// Library configures the bundled policies (.kubeplan.yaml `policies:`);
	// a bundled policy without an entry is off.
	Library LibraryConfig
	// Debug, when set, receives the output of Rego print() calls as
	// "file:line: message" lines (--debug).
	Debug io.Writer
	// RBAC answers kubeplan.can_i and kubeplan.who_can; nil makes both
	// undefined.
	RBAC RBAC
	// Placement answers kubeplan.placement; nil makes it undefined.
	Placement Placement
	// EvalTimeout bounds each evaluation; 0 means DefaultEvalTimeout.
	EvalTimeout time.Duration
	// Now is the time policies see through time.now_ns; the zero value
	// means the time NewAnalyzer was called.
	Now time.Time
	// WorkDir is the directory paths in findings are relative to; "" means
	// the process working directory.
	WorkDir string
	// Workers bounds parallel evaluation; 0 means GOMAXPROCS.
	Workers int
}

// LibraryConfig is the `policies:` section of .kubeplan.yaml: bundled policy
// name → that policy's parameters. A policy is on when its name is present
// (an empty map turns on a policy whose parameters all have defaults) and off
// otherwise. Parameter values are plain YAML data (strings, numbers, bools,
// lists, maps); docs/policies.md lists each policy's parameters. Example:
//
//	policies:
//	  allowed-registries:
//	    registries: ["registry.example.com/", "ghcr.io/acme/"]
//	  forbidden-service-types:
//	    types: [NodePort, LoadBalancer]
type LibraryConfig map[string]map[string]any

// RBAC is what the kubeplan.can_i and kubeplan.who_can builtins ask. The
// lint package adapts kubeplan's rbac package to it.
type RBAC interface {
	// CanI reports whether subject may perform verb on resource in
	// namespace ("" for cluster-wide). Subjects are written as in
	// `kubectl auth can-i --as`: "jane", "system:serviceaccount:ns:name",
	// or "group:system:authenticated" for a group. resource is
	// "resource", "resource/subresource" or "resource.group".
	CanI(subject, verb, resource, namespace string) (bool, error)
	// WhoCan lists the subjects allowed to perform verb on resource in
	// namespace, written as CanI takes them: users and service accounts
	// by user name ("jane", "system:serviceaccount:ns:name"), groups as
	// "group:NAME".
	WhoCan(verb, resource, namespace string) ([]string, error)
}

// Placement is what the kubeplan.placement builtin asks. The lead adapts
// kubeplan's placement package to it.
type Placement interface {
	// Placement simulates scheduling the pods of the workload podRef
	// ("Kind/namespace/name", e.g. "Deployment/shop/web") over the nodes in
	// the model and returns plain data, for example
	// {"schedulable": false, "nodes": [], "reasons": ["0/3 nodes are available: ..."]}.
	Placement(podRef string) (map[string]any, error)
}
