package policies

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

// fakeRBAC answers can_i from a set of "subject verb resource namespace"
// strings and who_can from a fixed list.
type fakeRBAC struct{ allowed map[string]bool }

func (f fakeRBAC) CanI(subject, verb, resource, namespace string) (bool, error) {
	return f.allowed[subject+" "+verb+" "+resource+" "+namespace], nil
}

func (f fakeRBAC) WhoCan(verb, resource, namespace string) ([]string, error) {
	var out []string
	for k := range f.allowed {
		p := strings.Fields(k + " ")
		if len(p) >= 3 && p[1] == verb && p[2] == resource {
			out = append(out, p[0])
		}
	}
	return out, nil
}

type fakePlacement map[string]map[string]any

func (f fakePlacement) Placement(ref string) (map[string]any, error) { return f[ref], nil }

const podYAML = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  serviceAccountName: web
  containers:
    - name: app
      image: nginx:latest
      securityContext:
        privileged: true
`

func TestAnalyzerFindings(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opts  Options
		want  []string
	}{
		{
			name: "a result's field points the finding at that field's line",
			files: map[string]string{
				"p/main.rego": "package main\n\nimport rego.v1\n\ndeny contains {\"msg\": \"privileged\", \"field\": \"spec.containers[0].securityContext.privileged\"} if {\n\tinput.spec.containers[0].securityContext.privileged\n}\n",
				"m/pod.yaml":  podYAML,
			},
			opts: Options{PolicyPaths: []string{"p"}},
			want: []string{"main.deny error m/pod.yaml:12:9 privileged"},
		},
		{
			name: "METADATA custom.id and custom.severity name the rule",
			files: map[string]string{
				"p/main.rego": "package main\n\nimport rego.v1\n\n# METADATA\n# title: No latest\n# description: Images must be pinned.\n# custom:\n#   id: no-latest\n#   severity: note\nwarn contains \"latest tag\" if {\n\tendswith(input.spec.containers[_].image, \":latest\")\n}\n",
				"m/pod.yaml":  podYAML,
			},
			opts: Options{PolicyPaths: []string{"p"}},
			want: []string{"no-latest note m/pod.yaml:1:1 latest tag"},
		},
		{
			name: "a policy calling http.send is a load error naming the builtin and line",
			files: map[string]string{
				"p/main.rego": "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tmsg := http.send({\"method\": \"GET\", \"url\": \"http://x\"}).body\n}\n",
				"m/pod.yaml":  podYAML,
			},
			opts: Options{PolicyPaths: []string{"p"}},
			want: []string{"load-error error p/main.rego:6:9 rego_type_error: builtin http.send is not allowed: it makes network requests, and kubeplan evaluates policies offline"},
		},
		{
			name: "a Rego v0 file with --rego-version v1 is a load error with a hint",
			files: map[string]string{
				"p/main.rego": "package main\n\ndeny[msg] {\n\tmsg := \"x\"\n}\n",
				"m/pod.yaml":  podYAML,
			},
			opts: Options{PolicyPaths: []string{"p"}, RegoVersion: RegoVersionV1},
			want: []string{
				"load-error error p/main.rego:3:1 rego_parse_error: `contains` keyword is required for partial set rules (the file is Rego v0: pass --rego-version v0)",
				"load-error error p/main.rego:3:1 rego_parse_error: `if` keyword is required before rule body (the file is Rego v0: pass --rego-version v0)",
			},
		},
		{
			name: "deny if without contains is a boolean that never reports, as in conftest v0.71.1",
			files: map[string]string{
				"p/main.rego": "package main\n\nimport rego.v1\n\ndeny if input.kind == \"Pod\"\n",
				"m/pod.yaml":  podYAML,
			},
			opts: Options{PolicyPaths: []string{"p"}},
			want: nil,
		},
		{
			name: "kubeplan.can_i and kubeplan.who_can ask the RBAC oracle",
			files: map[string]string{
				"p/main.rego": "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tsa := sprintf(\"system:serviceaccount:%s:%s\", [input.metadata.namespace, input.spec.serviceAccountName])\n\tkubeplan.can_i(sa, \"get\", \"secrets\", input.metadata.namespace)\n\tmsg := sprintf(\"%s can read secrets; so can %v\", [sa, kubeplan.who_can(\"get\", \"secrets\", \"shop\")])\n}\n",
				"m/pod.yaml":  podYAML,
			},
			opts: Options{PolicyPaths: []string{"p"}, RBAC: fakeRBAC{allowed: map[string]bool{"system:serviceaccount:shop:web get secrets shop": true}}},
			want: []string{`main.deny error m/pod.yaml:1:1 system:serviceaccount:shop:web can read secrets; so can ["system:serviceaccount:shop:web"]`},
		},
		{
			name: "kubeplan builtins are undefined without an oracle",
			files: map[string]string{
				"p/main.rego": "package main\n\nimport rego.v1\n\ndeny contains \"can\" if kubeplan.can_i(\"u\", \"get\", \"pods\", \"\")\n\ndeny contains \"cannot\" if not kubeplan.can_i(\"u\", \"get\", \"pods\", \"\")\n",
				"m/pod.yaml":  podYAML,
			},
			opts: Options{PolicyPaths: []string{"p"}},
			want: []string{"main.deny error m/pod.yaml:1:1 cannot"},
		},
		{
			name: "kubeplan.placement asks the placement oracle",
			files: map[string]string{
				"p/main.rego": "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tp := kubeplan.placement(sprintf(\"%s/%s/%s\", [input.kind, input.metadata.namespace, input.metadata.name]))\n\tnot p.schedulable\n\tmsg := p.reasons[0]\n}\n",
				"m/pod.yaml":  podYAML,
			},
			opts: Options{PolicyPaths: []string{"p"}, Placement: fakePlacement{"Pod/shop/web": {"schedulable": false, "reasons": []any{"0/3 nodes are available: 3 Insufficient cpu."}}}},
			want: []string{"main.deny error m/pod.yaml:1:1 0/3 nodes are available: 3 Insufficient cpu."},
		},
		{
			name: "data.kubeplan.inventory holds every object by namespace, group-version, kind and name",
			files: map[string]string{
				"p/main.rego": "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.kind == \"Pod\"\n\tnot data.kubeplan.inventory.namespace[input.metadata.namespace].v1.ServiceAccount[input.spec.serviceAccountName]\n\tmsg := \"service account missing\"\n}\n",
				"m/pod.yaml":  podYAML,
			},
			opts: Options{PolicyPaths: []string{"p"}},
			want: []string{"main.deny error m/pod.yaml:1:1 service account missing"},
		},
		{
			name: "a Gatekeeper constraint among the manifests checks matching objects with its enforcementAction",
			files: map[string]string{
				"m/pod.yaml": podYAML,
				"m/gk.yaml": `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sprivileged
spec:
  crd:
    spec:
      names:
        kind: K8sPrivileged
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sprivileged
        violation[{"msg": msg}] {
          c := input.review.object.spec.containers[_]
          c.securityContext.privileged
          msg := sprintf("%v: privileged container %v", [input.parameters.prefix, c.name])
        }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sPrivileged
metadata:
  name: no-privileged
spec:
  enforcementAction: warn
  match:
    kinds:
      - apiGroups: [""]
        kinds: [Pod]
    excludedNamespaces: [kube-*]
  parameters:
    prefix: policy
`,
			},
			want: []string{"gatekeeper.k8sprivileged.no-privileged warning m/pod.yaml:1:1 policy: privileged container app"},
		},
		{
			name: "a template that does not compile is a load error at its line in the YAML file",
			files: map[string]string{
				"m/gk.yaml": "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata:\n  name: broken\nspec:\n  crd:\n    spec:\n      names:\n        kind: Broken\n  targets:\n    - target: admission.k8s.gatekeeper.sh\n      rego: |\n        package broken\n        violation[{\"msg\": msg}] {\n          msg := undefined_function(1)\n        }\n",
			},
			want: []string{"load-error error m/gk.yaml:15:18 rego_type_error: undefined function undefined_function"},
		},
		{
			name:  "a bundled policy configured in .kubeplan.yaml reports at the offending field",
			files: map[string]string{"m/pod.yaml": podYAML},
			opts:  Options{Library: LibraryConfig{"image-tags": {}}},
			want:  []string{`policy-image-tags warning m/pod.yaml:10:7 image "nginx:latest" of container "app" uses forbidden tag "latest"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			got := brief(runAnalyzer(t, dir, tc.opts, "m"))
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestNewAnalyzerRefusesBadOptions(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{name: "unknown rego version", opts: Options{RegoVersion: "v2"}, wantErr: `unknown Rego version "v2"`},
		{name: "unknown bundled policy", opts: Options{Library: LibraryConfig{"allowed-registry": {}}}, wantErr: "policies.allowed-registry: no bundled policy has this name"},
		{name: "unknown parameter", opts: Options{Library: LibraryConfig{"allowed-registries": {"registry": []any{"x"}}}}, wantErr: `policies.allowed-registries: unknown parameter "registry"`},
		{name: "parameter of the wrong type", opts: Options{Library: LibraryConfig{"allowed-registries": {"registries": "x"}}}, wantErr: "policies.allowed-registries.registries: want strings"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.WorkDir = t.TempDir()
			_, err := NewAnalyzer(context.Background(), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestRegoV0IsDetectedWithANote(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"p/main.rego": "package main\n\ndeny[msg] {\n\tinput.kind == \"Pod\"\n\tmsg := \"pod\"\n}\n",
		"m/pod.yaml":  podYAML,
	})
	a, err := NewAnalyzer(context.Background(), Options{PolicyPaths: []string{"p"}, WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if n := a.Notes(); len(n) != 1 || !strings.Contains(n[0], "p/main.rego: Rego v0 syntax detected") {
		t.Errorf("notes %q", n)
	}
	if got := brief(a.Run(context.Background(), modelOf(t, dir, "m"))); len(got) != 1 || !strings.Contains(got[0], "main.deny error") {
		t.Errorf("findings %q", got)
	}
}

func TestPrintGoesToTheDebugWriter(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"p/main.rego": "package main\n\nimport rego.v1\n\ndeny contains \"x\" if {\n\tprint(\"kind is\", input.kind)\n\tfalse\n}\n",
		"m/pod.yaml":  podYAML,
	})
	var buf bytes.Buffer
	runAnalyzer(t, dir, Options{PolicyPaths: []string{"p"}, Debug: &buf}, "m")
	if got := buf.String(); got != "p/main.rego:6: kind is Pod\n" {
		t.Errorf("debug output %q", got)
	}
}

func TestOutputDoesNotDependOnWorkers(t *testing.T) {
	files := map[string]string{"p/main.rego": "package main\n\nimport rego.v1\n\ndeny contains sprintf(\"%s/%s\", [input.kind, input.metadata.name]) if true\n"}
	for i := 0; i < 40; i++ {
		files["m/cm"+itoa(i)+".yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c" + itoa(i) + "\n"
	}
	dir := writeFiles(t, files)
	one := brief(runAnalyzer(t, dir, Options{PolicyPaths: []string{"p"}, Workers: 1}, "m"))
	many := brief(runAnalyzer(t, dir, Options{PolicyPaths: []string{"p"}, Workers: 8}, "m"))
	if strings.Join(one, "\n") != strings.Join(many, "\n") || len(one) != 40 {
		t.Errorf("workers=1:\n%s\nworkers=8:\n%s", strings.Join(one, "\n"), strings.Join(many, "\n"))
	}
}

func TestRulesComeFromPoliciesAndValidate(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"p/main.rego": "package main\n\nimport rego.v1\n\ndeny contains \"x\" if false\n\nwarn_tags contains \"y\" if false\n",
	})
	a, err := NewAnalyzer(context.Background(), Options{PolicyPaths: []string{"p"}, WorkDir: dir, Library: LibraryConfig{"image-tags": {}}})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]finding.Rule{}
	for _, r := range a.Rules() {
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
		byID[r.ID] = r
	}
	for id, want := range map[string]struct {
		sev      finding.Severity
		disabled bool
	}{
		"main.deny":                 {sev: finding.SeverityError},
		"main.warn_tags":            {sev: finding.SeverityWarning},
		"policy-image-tags":         {sev: finding.SeverityWarning},
		"policy-allowed-registries": {sev: finding.SeverityError, disabled: true},
		RulePolicyError:             {sev: finding.SeverityError},
	} {
		r, ok := byID[id]
		if !ok {
			t.Errorf("rule %s missing", id)
			continue
		}
		if r.Severity != want.sev || r.Disabled != want.disabled {
			t.Errorf("rule %s: severity %s disabled %v, want %s %v", id, r.Severity, r.Disabled, want.sev, want.disabled)
		}
	}
}
