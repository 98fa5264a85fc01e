package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRBACCommands(t *testing.T) {
	dir := fixture(t, "rbac")
	for _, tc := range []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{name: "can-i TYPE/NAME is allowed by a resourceNames rule", args: []string{"can-i", "get", "secrets/db-password", "--as", "system:serviceaccount:prod:api", "-n", "prod", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"yes\n"}},
		{name: "can-i without the name is not allowed by a resourceNames rule", args: []string{"can-i", "get", "secrets", "--as", "system:serviceaccount:prod:api", "-n", "prod", "team.yaml"}, wantCode: exitFindings, wantStdout: []string{"no\n"}},
		{name: "can-i --subresource with --as-group", args: []string{"can-i", "create", "pods", "--subresource", "exec", "--as", "alice", "--as-group", "dev", "-n", "prod", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"yes\n"}},
		{name: "can-i TYPE.GROUP with a subresource", args: []string{"can-i", "update", "deployments.apps", "--subresource", "scale", "--as", "ci", "-n", "prod", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"yes\n"}},
		{name: "can-i a non-resource URL uses the default policy's discovery roles", args: []string{"can-i", "get", "/healthz", "--as", "bob", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"yes\n"}},
		{name: "--no-default-rbac leaves the default policy out", args: []string{"can-i", "get", "/healthz", "--as", "bob", "--no-default-rbac", "team.yaml"}, wantCode: exitFindings, wantStdout: []string{"no\n"}},
		{name: "--no-implicit-groups drops system:authenticated", args: []string{"can-i", "get", "/healthz", "--as", "bob", "--no-implicit-groups", "team.yaml"}, wantCode: exitFindings, wantStdout: []string{"no\n"}},
		{name: "short names resolve like kubectl", args: []string{"can-i", "create", "po", "--as", "ci", "-n", "prod", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"yes\n"}},
		{name: "an unknown resource warns and still answers", args: []string{"can-i", "get", "pod.apps", "--as", "ci", "-n", "prod", "team.yaml"}, wantCode: exitFindings, wantStdout: []string{"no\n"}, wantStderr: []string{"doesn't have a resource type 'pod.apps'", "did you mean 'pods'"}},
		{name: "system:masters is a superuser", args: []string{"can-i", "delete", "nodes", "--as", "root", "--as-group", "system:masters", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"yes\n"}},
		{name: "can-i -f json names binding, role and rule", args: []string{"can-i", "create", "pods", "--as", "ci", "-n", "prod", "-f", "json", "team.yaml"}, wantCode: exitOK, wantStdout: []string{`"binding": "RoleBinding prod/ci-deploys"`, `"role": "Role prod/deployer"`, `"ruleIndex": 1`}},
		{name: "can-i --list prints the rules", args: []string{"can-i", "--list", "--as", "ci", "-n", "prod", "--no-default-rbac", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"deployments.apps/scale", "[patch update]"}},
		{name: "can-i without --as is a usage error", args: []string{"can-i", "get", "pods", "team.yaml"}, wantCode: exitError, wantStderr: []string{"--as is required"}},
		{name: "who-can lists subjects with binding, role and rule", args: []string{"who-can", "get", "secrets", "-n", "prod", "--no-default-rbac", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"system:masters", "system:serviceaccount:prod:admin-bot  ServiceAccount  ClusterRoleBinding admin-bot-secrets -> ClusterRole secret-admin, rule 1"}},
		{name: "who-can with the default policy lists the controllers that read secrets", args: []string{"who-can", "get", "secrets", "-n", "prod", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"system:kube-controller-manager", "system:serviceaccount:prod:admin-bot"}},
		{name: "who-can --transitive prints the chain", args: []string{"who-can", "get", "secrets", "-n", "prod", "--transitive", "--no-default-rbac", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"ci can create pods in prod running as prod/admin-bot"}},
		{name: "access prints the matrix", args: []string{"access", "ci", "-n", "prod", "--no-default-rbac", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"NAME", "pods "}},
		{name: "rbac graph draws mermaid", args: []string{"rbac", "graph", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"flowchart LR", `["User ci"]`}},
		{name: "rbac graph draws dot", args: []string{"rbac", "graph", "-f", "dot", "team.yaml"}, wantCode: exitOK, wantStdout: []string{"digraph rbac {"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := kubeplan(t, dir, "", tc.args...)
			if r.code != tc.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			for _, w := range tc.wantStdout {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range tc.wantStderr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
}

func TestWhoCanJSONIsStable(t *testing.T) {
	dir := fixture(t, "rbac")
	first := kubeplan(t, dir, "", "who-can", "get", "secrets", "-n", "prod", "-f", "json", "team.yaml")
	second := kubeplan(t, dir, "", "who-can", "get", "secrets", "-n", "prod", "-f", "json", "team.yaml")
	if first.stdout != second.stdout {
		t.Fatal("who-can output differs between runs")
	}
	var v struct {
		Users  []string `json:"users"`
		Groups []string `json:"groups"`
	}
	if err := json.Unmarshal([]byte(first.stdout), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Groups) == 0 || v.Groups[0] != "system:masters" {
		t.Errorf("groups %v lack system:masters", v.Groups)
	}
}
