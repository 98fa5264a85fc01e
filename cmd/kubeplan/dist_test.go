package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// readYAML parses a repository file into a generic value.
func readYAML(t *testing.T, rel string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return v
}

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

type preCommitHook struct {
	ID            string `yaml:"id"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	RequireSerial bool   `yaml:"require_serial"`
}

func TestPreCommitHooksRunTheRealCommand(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) < 2 {
		t.Fatalf("want the kubeplan and kubeplan-rbac hooks, got %+v", hooks)
	}
	dir := fixture(t, "lint", "duplicate")
	for _, h := range hooks {
		t.Run(h.ID, func(t *testing.T) {
			if h.Language != "golang" || !h.RequireSerial {
				t.Errorf("hook %s: language %q require_serial %v", h.ID, h.Language, h.RequireSerial)
			}
			argv := strings.Fields(h.Entry)
			if argv[0] != "kubeplan" {
				t.Fatalf("entry %q does not run the installed kubeplan binary", h.Entry)
			}
			// pre-commit appends the staged file names to the entry.
			for _, tc := range []struct {
				file     string
				wantCode int
			}{
				{file: "first.yaml", wantCode: 0},
				{file: "second.yaml", wantCode: 1},
			} {
				if h.ID == "kubeplan-rbac" {
					tc.wantCode = 0 // duplicate ConfigMaps are not an RBAC finding
				}
				r := kubeplan(t, dir, "", append(argv[1:], tc.file)...)
				if r.code != tc.wantCode {
					t.Errorf("%s %s: exit %d, want %d\n%s%s", h.Entry, tc.file, r.code, tc.wantCode, r.stdout, r.stderr)
				}
			}
		})
	}
}

func TestActionAndWorkflowAreValid(t *testing.T) {
	action := readYAML(t, "action.yml")
	if get(action, "runs", "using") != "composite" {
		t.Errorf("action.yml: runs.using = %v", get(action, "runs", "using"))
	}
	for _, in := range []string{"paths", "config", "nodes", "policy", "gatekeeper", "fail-on", "format", "sarif-category"} {
		if get(action, "inputs", in) == nil {
			t.Errorf("action.yml: missing input %q", in)
		}
	}
	steps, _ := get(action, "runs", "steps").([]any)
	var uses []string
	for _, s := range steps {
		if u, ok := get(s, "uses").(string); ok {
			uses = append(uses, u)
		}
	}
	if !strings.Contains(strings.Join(uses, " "), "github/codeql-action/upload-sarif@") {
		t.Errorf("action.yml does not upload SARIF: %v", uses)
	}

	doc, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "github-actions.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/github-actions.md has no yaml workflow")
	}
	var wf any
	if err := yaml.Unmarshal(m[1], &wf); err != nil {
		t.Fatalf("example workflow: %v", err)
	}
	if get(wf, "permissions", "security-events") != "write" {
		t.Error("example workflow lacks permissions.security-events: write")
	}
	jobs, _ := get(wf, "jobs").(map[string]any)
	found := false
	for _, j := range jobs {
		steps, _ := get(j, "steps").([]any)
		for _, s := range steps {
			if u, _ := get(s, "uses").(string); strings.HasPrefix(u, "kubeplan/kubeplan@") {
				found = true
			}
		}
	}
	if !found {
		t.Error("example workflow does not use kubeplan/kubeplan")
	}
}

// TestActionRunStep runs the action's "Run kubeplan" script with a freshly
// built binary, as the runner would.
func TestActionRunStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "kubeplan")
	build := exec.Command(gobin, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	action := readYAML(t, "action.yml")
	var script string
	steps, _ := get(action, "runs", "steps").([]any)
	for _, s := range steps {
		if get(s, "id") == "lint" {
			script, _ = get(s, "run").(string)
		}
	}
	if script == "" {
		t.Fatal("no step with id lint")
	}
	out := filepath.Join(tmp, "github_output")
	cmd := exec.Command(bash, "-e", "-c", script)
	cmd.Dir = fixture(t, "lint", "duplicate")
	cmd.Env = append(os.Environ(),
		"KUBEPLAN="+bin, "INPUT_PATHS=.", "INPUT_FAIL_ON=error", "INPUT_FORMAT=github",
		"INPUT_SARIF_FILE="+filepath.Join(tmp, "k.sarif"), "INPUT_SARIF_CATEGORY=kubeplan", "GITHUB_OUTPUT="+out)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stdout
	if err := cmd.Run(); err != nil {
		t.Fatalf("step failed: %v\n%s", err, stdout.String())
	}
	if !strings.Contains(stdout.String(), "::error file=second.yaml,line=5") {
		t.Errorf("no annotation in the log:\n%s", stdout.String())
	}
	got, _ := os.ReadFile(out)
	if strings.TrimSpace(string(got)) != "exit-code=1" {
		t.Errorf("GITHUB_OUTPUT = %q", got)
	}
	if sarif, err := os.ReadFile(filepath.Join(tmp, "k.sarif")); err != nil || !bytes.Contains(sarif, []byte(`"version": "2.1.0"`)) {
		t.Errorf("SARIF not written: %v", err)
	}
}

func TestGoreleaserCheck(t *testing.T) {
	bin, err := exec.LookPath("goreleaser")
	if err != nil {
		t.Skip("goreleaser not installed")
	}
	cmd := exec.Command(bin, "check")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("goreleaser check: %v\n%s", err, out)
	}
}
