package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"
)

// TestReadmeFirstCommand runs the README's first command on the bundled
// example: it must load everything (no exit 2) and find the example's
// deliberate problems, one per capability.
func TestReadmeFirstCommand(t *testing.T) {
	root := repoRoot(t)
	r := kubeplan(t, root, "", "lint", "--policy", "examples/policy", "-f", "json", "examples/")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (findings)\n%s", r.code, r.stderr)
	}
	var doc struct {
		Findings []struct {
			RuleID string `json:"ruleId"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range doc.Findings {
		got[f.RuleID] = true
	}
	for _, want := range []string{
		"latest-tag", "env-var-secret", "hpa-conflicts-with-replicas", "pdb-blocks-eviction", "service-target-port-mismatch", // rule catalog
		"rbac-secrets-read", "rbac-escalate-bind", "rbac-missing-role", "rbac-workload-dangerous-permissions", // RBAC
		"pod-unschedulable", // placement
		"main.warn",         // conftest policy
		"gatekeeper.k8srequiredlabels.deployments-need-owner", // Gatekeeper
	} {
		if !got[want] {
			t.Errorf("the example does not show %s", want)
		}
	}
}

// TestExampleSARIFIsValidAndWithinGitHubLimits checks the SARIF of the
// bundled example against the official schema and GitHub's upload limits.
func TestExampleSARIFIsValidAndWithinGitHubLimits(t *testing.T) {
	root := repoRoot(t)
	r := kubeplan(t, root, "", "lint", "--policy", "examples/policy", "-f", "sarif", "examples/")
	if r.code == 2 {
		t.Fatalf("exit 2: %s", r.stderr)
	}
	schema := gojsonschema.NewReferenceLoader("file://" + filepath.Join(root, "lint", "report", "testdata", "sarif-schema-2.1.0.json"))
	res, err := gojsonschema.Validate(schema, gojsonschema.NewStringLoader(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("schema: %s", e)
	}
	var doc struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
			Tool    struct {
				Driver struct {
					Rules []struct {
						Properties struct {
							Tags []string `json:"tags"`
						} `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(doc.Runs); n < 1 || n > 20 {
		t.Fatalf("%d runs", n)
	}
	for _, run := range doc.Runs {
		if len(run.Results) == 0 || len(run.Results) > 25000 {
			t.Errorf("%d results per run (GitHub: at most 25,000)", len(run.Results))
		}
		for _, rule := range run.Tool.Driver.Rules {
			if len(rule.Properties.Tags) > 20 {
				t.Errorf("a rule has %d tags (GitHub: at most 20)", len(rule.Properties.Tags))
			}
		}
	}
	if size := len(r.stdout); size > 10<<20 || strings.Count(r.stdout, "\n") == 0 {
		t.Errorf("SARIF is %d bytes", size)
	}
}
