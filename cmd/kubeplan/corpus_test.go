package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"
)

// invalidCorpusFiles are the corpus files that are genuinely not loadable
// manifests, with the reason; every other file must load without a
// load-error. Paths are relative to the corpus root.
var invalidCorpusFiles = map[string]string{
	"01-install-manifests/local-path-provisioner/examples/quota/local-path-storage.yaml":               "two objects pasted into one document without ---: duplicate keys kind, apiVersion, metadata, data",
	"01-install-manifests/gatekeeper/test/bats/tests/templates/use_http_send_template.yaml":            "Gatekeeper's test of a template calling http.send, which kubeplan refuses: policies run offline",
	"03-linter-fixtures/kube-linter/pkg/command/lint/testdata/invalid.yaml":                            "kube-linter's own invalid-YAML fixture (unclosed flow mapping)",
	"03-linter-fixtures/kube-linter/tests/checks/cel.yml":                                              "two objects pasted into one document without ---: duplicate keys",
	"03-linter-fixtures/kubernetes/hack/testdata/invalid-deployment-unknown-and-duplicate-fields.yaml": "kubectl's own fixture for a duplicate field (replicas twice)",
}

func corpusRoot(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("shared corpus not present")
	}
	return dir
}

// TestCorpusLintsCleanlyAsValidSARIF lints every corpus folder with every
// analyzer, checks the SARIF against the official schema, that every result
// points at a line and column >= 1, and that load errors come only from the
// files known to be invalid.
func TestCorpusLintsCleanlyAsValidSARIF(t *testing.T) {
	root := corpusRoot(t)
	schema := gojsonschema.NewReferenceLoader("file://" + filepath.Join(repoRoot(t), "lint", "report", "testdata", "sarif-schema-2.1.0.json"))
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var loadErrors []string
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "LICENSES" {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			r := kubeplan(t, root, "", "lint", "-f", "sarif", "--fail-on", "none", e.Name())
			if r.code != 0 && r.code != 2 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			res, err := gojsonschema.Validate(schema, gojsonschema.NewStringLoader(r.stdout))
			if err != nil {
				t.Fatal(err)
			}
			if !res.Valid() {
				for i, d := range res.Errors() {
					if i < 10 {
						t.Errorf("schema: %s", d)
					}
				}
			}
			var doc struct {
				Runs []struct {
					Results []struct {
						RuleID    string `json:"ruleId"`
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct {
									URI string `json:"uri"`
								} `json:"artifactLocation"`
								Region struct {
									StartLine   int `json:"startLine"`
									StartColumn int `json:"startColumn"`
								} `json:"region"`
							} `json:"physicalLocation"`
						} `json:"locations"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, run := range doc.Runs {
				for _, res := range run.Results {
					n++
					if len(res.Locations) == 0 {
						t.Errorf("%s: result without location", res.RuleID)
						continue
					}
					pl := res.Locations[0].PhysicalLocation
					if pl.Region.StartLine < 1 || pl.Region.StartColumn < 1 {
						t.Errorf("%s at %s: line %d column %d", res.RuleID, pl.ArtifactLocation.URI, pl.Region.StartLine, pl.Region.StartColumn)
					}
					if res.RuleID == "load-error" {
						loadErrors = append(loadErrors, pl.ArtifactLocation.URI)
					}
				}
			}
			t.Logf("%s: %d results", e.Name(), n)
		})
	}
	got := map[string]bool{}
	for _, p := range loadErrors {
		p = strings.ReplaceAll(p, "%2B", "+")
		got[p] = true
	}
	var unexpected, missing []string
	for p := range got {
		if _, ok := invalidCorpusFiles[p]; !ok {
			unexpected = append(unexpected, p)
		}
	}
	for p := range invalidCorpusFiles {
		if !got[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(unexpected)
	sort.Strings(missing)
	for _, p := range unexpected {
		t.Errorf("unexpected load-error in %s", p)
	}
	for _, p := range missing {
		t.Errorf("%s is known invalid (%s) but loaded without error", p, invalidCorpusFiles[p])
	}
}
