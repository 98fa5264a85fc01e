package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"
)

func writeTree(t *testing.T, files map[string]string) string { return testutil.TempTree(t, files) }

const policyUnderTest = `package main

import rego.v1

deny contains msg if {
	input.kind == "Pod"
	input.spec.hostNetwork
	msg := "host network"
}
`

func TestPolicyTestCommand(t *testing.T) {
	tests := []struct {
		name       string
		files      map[string]string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{
			name: "passing rego tests exit 0 with an opa-test style summary",
			files: map[string]string{
				"policy/pod.rego":      policyUnderTest,
				"policy/pod_test.rego": "package main\n\nimport rego.v1\n\ntest_host_network_denied if {\n\tdeny[\"host network\"] with input as {\"kind\": \"Pod\", \"spec\": {\"hostNetwork\": true}}\n}\n",
			},
			args:       []string{"policy", "test", "policy"},
			wantCode:   exitOK,
			wantStdout: []string{"policy/pod_test.rego:", "data.main.test_host_network_denied: PASS", "PASS: 1/1"},
		},
		{
			name: "a failing rego test exits 1",
			files: map[string]string{
				"policy/pod.rego":      policyUnderTest,
				"policy/pod_test.rego": "package main\n\nimport rego.v1\n\ntest_wrong if {\n\tcount(deny) == 1 with input as {\"kind\": \"Pod\", \"spec\": {}}\n}\n",
			},
			args:       []string{"policy", "test", "policy"},
			wantCode:   exitFindings,
			wantStdout: []string{"data.main.test_wrong: FAIL", "FAIL: 1/1"},
		},
		{
			name: "a policy calling http.send is refused with file and line",
			files: map[string]string{
				"policy/net.rego": "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tr := http.send({\"method\": \"GET\", \"url\": \"https://example.com\"})\n\tmsg := r.body\n}\n\ntest_x if true\n",
			},
			args:       []string{"policy", "test", "policy"},
			wantCode:   exitError,
			wantStdout: []string{"policy/net.rego:6", "builtin http.send is not allowed"},
		},
		{
			name:       "a directory without tests is a usage error",
			files:      map[string]string{"policy/pod.rego": policyUnderTest},
			args:       []string{"policy", "test", "policy"},
			wantCode:   exitError,
			wantStderr: "no Rego tests",
		},
		{
			name: "a gatekeeper suite runs like gator verify",
			files: map[string]string{
				"gk/suite.yaml":      "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata:\n  name: s\ntests:\n- name: labels\n  template: template.yaml\n  constraint: constraint.yaml\n  cases:\n  - name: missing\n    object: bad.yaml\n    assertions:\n    - violations: yes\n  - name: present\n    object: good.yaml\n    assertions:\n    - violations: no\n",
				"gk/template.yaml":   "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata:\n  name: needowner\nspec:\n  crd:\n    spec:\n      names:\n        kind: NeedOwner\n  targets:\n  - target: admission.k8s.gatekeeper.sh\n    rego: |\n      package needowner\n      violation[{\"msg\": \"owner label missing\"}] {\n        not input.review.object.metadata.labels.owner\n      }\n",
				"gk/constraint.yaml": "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: NeedOwner\nmetadata:\n  name: owner\n",
				"gk/bad.yaml":        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
				"gk/good.yaml":       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    owner: me\n",
			},
			args:       []string{"policy", "test", "gk/..."},
			wantCode:   exitOK,
			wantStdout: []string{"ok\tgk/suite.yaml"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			wd, _ := os.Getwd()
			if err := os.Chdir(dir); err != nil {
				t.Fatal(err)
			}
			defer os.Chdir(wd)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, stdout.String(), stderr.String())
			}
			for _, w := range tc.wantStdout {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			if tc.wantStderr != "" && !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantStderr, stderr.String())
			}
		})
	}
}
