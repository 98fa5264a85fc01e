package policies

import (
	"context"
	"testing"
)

func TestBundledLibraryRegoTestsPass(t *testing.T) {
	rep, err := RunLibraryTests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("library problem: %v", p)
	}
	if len(rep.Results) == 0 {
		t.Fatal("no library tests ran")
	}
	for _, r := range rep.Results {
		t.Run(r.Name, func(t *testing.T) {
			if r.Outcome != "pass" {
				t.Errorf("%s:%d: %s %s\n%s", r.Path, r.Line, r.Outcome, r.Error, r.Output)
			}
		})
	}
}

func TestLibraryPoliciesHaveCompleteMetadata(t *testing.T) {
	pols, err := LibraryPolicies()
	if err != nil {
		t.Fatal(err)
	}
	if len(pols) < 10 {
		t.Errorf("got %d bundled policies, want at least 10", len(pols))
	}
	for _, p := range pols {
		t.Run(p.Name, func(t *testing.T) {
			if err := p.Rule.Validate(); err != nil {
				t.Error(err)
			}
			if p.Rule.Remediation == "" || p.Rule.Remediation[len(p.Rule.Remediation)-1] != '.' {
				t.Errorf("remediation %q must end with a period", p.Rule.Remediation)
			}
			if len(p.Rule.Categories) == 0 {
				t.Error("no categories")
			}
			if len(p.Params) == 0 {
				t.Error("no params declared in METADATA custom.params")
			}
		})
	}
}
