package manifest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// loadKustomize loads paths with testdata/manifest/kustomize as the working
// directory.
func loadKustomize(t *testing.T, paths ...string) *Result {
	t.Helper()
	return Load(context.Background(), paths, Options{WorkDir: fixtureDir(t, "kustomize")})
}

func TestKustomizeOutputPointsBackToItsSources(t *testing.T) {
	res := loadKustomize(t, "overlay")
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", errorStrings(res))
	}
	want := []objectRef{
		{Path: "base/deployments.yaml", Doc: 0, Item: -1, Line: 2, Col: 1, Kind: "Deployment", Name: "base-web-prod"},
		{Path: "base/deployments.yaml", Doc: 1, Item: -1, Line: 18, Col: 1, Kind: "Deployment", Name: "base-worker-prod"},
		{Path: "base/services.yaml", Doc: 0, Item: 0, Line: 4, Col: 3, Kind: "Service", Name: "base-web-prod"},
		// Generated objects point at their generator entry.
		{Path: "base/kustomization.yaml", Doc: 0, Item: -1, Line: 8, Col: 3, Kind: "ConfigMap", Name: "base-settings-prod-t82mkhg8fd"},
		{Path: "overlay/namespace.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "Namespace", Name: "prod"},
		{Path: "overlay/kustomization.yaml", Doc: 0, Item: -1, Line: 17, Col: 3, Kind: "Secret", Name: "token-prod-dbdgd77ct8"},
	}
	if got := refsOf(res); !reflect.DeepEqual(got, want) {
		t.Fatalf("objects:\n got %+v\nwant %+v", got, want)
	}
	for _, o := range res.Objects {
		if o.Origin != "overlay" {
			t.Errorf("%s: Origin = %q, want overlay", o.Name, o.Origin)
		}
		if _, ok := lookupPath(o.Map(), `metadata.annotations["config.kubernetes.io/origin"]`); ok {
			t.Errorf("%s: the origin annotation kubeplan asked for is still in Map", o.Name)
		}
	}
	var paths []string
	for _, f := range res.Files {
		paths = append(paths, f.Path)
	}
	wantFiles := []string{"base/deployments.yaml", "base/kustomization.yaml", "base/services.yaml", "overlay/kustomization.yaml", "overlay/namespace.yaml"}
	if !reflect.DeepEqual(paths, wantFiles) {
		t.Errorf("files = %q, want %q", paths, wantFiles)
	}
}

func TestKustomizeObjectMapIsTheBuildOutput(t *testing.T) {
	res := loadKustomize(t, "overlay")
	web := res.Objects[0]
	tests := []struct {
		name string
		path string
		want any
	}{
		{name: "namespace from the overlay", path: "metadata.namespace", want: "prod"},
		{name: "prefix and suffix applied", path: "metadata.name", want: "base-web-prod"},
		{name: "patch applied", path: "spec.replicas", want: int64(3)},
		{name: "kustomize read the original yes as a YAML 1.2 string", path: "spec.template.spec.hostNetwork", want: "yes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := lookupPath(web.Map(), tc.path)
			if !ok || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s = %#v (present %v), want %#v", tc.path, got, ok, tc.want)
			}
		})
	}
}

func TestKustomizeLocateUsesTheOriginalText(t *testing.T) {
	web := loadKustomize(t, "overlay").Objects[0]
	tests := []struct {
		name      string
		path      string
		wantLine  int
		wantCol   int
		wantExact bool
	}{
		{name: "a field written in the original file", path: "spec.template.spec.containers[0].image", wantLine: 16, wantCol: 9, wantExact: true},
		{name: "a field added by a patch falls back to its parent in the original", path: "spec.replicas", wantLine: 6, wantCol: 1, wantExact: false},
		{name: "the namespace set by the overlay falls back to metadata", path: "metadata.namespace", wantLine: 4, wantCol: 1, wantExact: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, exact := web.Locate(tc.path)
			if got.Path != "base/deployments.yaml" || got.Line != tc.wantLine || got.Col != tc.wantCol || exact != tc.wantExact {
				t.Errorf("Locate(%q) = %+v, %v; want base/deployments.yaml:%d:%d, %v", tc.path, got, exact, tc.wantLine, tc.wantCol, tc.wantExact)
			}
		})
	}
	want := []AmbiguousValue{{FieldPath: "spec.template.spec.hostNetwork", Value: "yes", AsYAML11: "boolean true", AsYAML12: `string "yes"`, Line: 13, Col: 20}}
	if !reflect.DeepEqual(web.Ambiguous, want) {
		t.Errorf("ambiguous = %+v, want %+v", web.Ambiguous, want)
	}
}

func TestKustomizeKeepsOriginAnnotationTheUserAskedFor(t *testing.T) {
	res := loadKustomize(t, "keeps-origin")
	if len(res.Objects) != 1 {
		t.Fatalf("objects %v errors %v", refsOf(res), errorStrings(res))
	}
	got, ok := lookupPath(res.Objects[0].Map(), `metadata.annotations["config.kubernetes.io/origin"]`)
	if !ok || got != "path: configmap.yaml\n" {
		t.Errorf("origin annotation = %#v, %v; kubectl apply -k would apply it", got, ok)
	}
}

func TestKustomizeErrors(t *testing.T) {
	tests := []struct {
		name string
		path string
		want []string // prefixes of each error, in order
	}{
		{
			name: "remote resource URL is refused before kustomize runs",
			path: "remote-url",
			want: []string{`remote-url/kustomization.yaml:3:3: remote resources entry "https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0": kubeplan builds kustomizations offline`},
		},
		{
			name: "remote git component in a local base is refused, naming the base's file",
			path: "remote-in-base/overlay",
			want: []string{`remote-in-base/base/kustomization.yaml:2:3: remote components entry "git@github.com:example/platform.git//components/monitoring?ref=main"`},
		},
		{
			name: "remote patch file is refused",
			path: "remote-patch",
			want: []string{`remote-patch/kustomization.yaml:4:9: remote patches entry "https://example.com/patches/replicas.yaml"`},
		},
		{
			name: "Helm charts are not rendered",
			path: "helm-chart",
			want: []string{"helm-chart/kustomization.yaml:2:1: Helm charts in a kustomization are rendered by running helm"},
		},
		{
			name: "a missing resource names its entry",
			path: "missing-resource",
			want: []string{"missing-resource/kustomization.yaml:3:3: kustomize build failed: accumulating resources"},
		},
		{
			name: "a resource that does not parse names its entry and the file's own error line",
			path: "broken-resource",
			want: []string{
				"broken-resource/configmaps.yaml:9: invalid YAML: did not find expected ',' or ']'",
				"broken-resource/kustomization.yaml:2:3: kustomize build failed:",
			},
		},
		{
			name: "a kustomization that does not parse gives its own line",
			path: "broken-kustomization",
			want: []string{"broken-kustomization/kustomization.yaml:3: invalid YAML: mapping values are not allowed in this context"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := loadKustomize(t, tc.path)
			got := errorStrings(res)
			if len(got) != len(tc.want) {
				t.Fatalf("errors = %q, want %d", got, len(tc.want))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("error %d = %q, want prefix %q", i, got[i], tc.want[i])
				}
			}
			if len(res.Objects) != 0 {
				t.Errorf("objects = %v", refsOf(res))
			}
			for _, e := range res.Errors {
				if res.File(e.Path) == nil {
					t.Errorf("the file of %q is not in Files", e)
				}
			}
		})
	}
}

func TestKustomizationFileNamedExplicitlyIsBuilt(t *testing.T) {
	res := loadKustomize(t, "keeps-origin/kustomization.yaml")
	if got, want := pathNames(res), []string{"keeps-origin/configmap.yaml:kept"}; !reflect.DeepEqual(got, want) {
		t.Errorf("objects = %q, want %q (errors %v)", got, want, errorStrings(res))
	}
}

func TestKustomizeDoesNotWriteToTheUsersFiles(t *testing.T) {
	dir := fixtureDir(t, "kustomize", "overlay")
	before, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	entriesBefore, _ := os.ReadDir(dir)
	loadKustomize(t, "overlay")
	after, _ := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	entriesAfter, _ := os.ReadDir(dir)
	if !bytes.Equal(before, after) || len(entriesBefore) != len(entriesAfter) {
		t.Errorf("the build changed the overlay directory")
	}
}

func TestOfflineFS(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"plain/kustomization.yaml":    "resources: [a.yaml]\n",
		"merged/kustomization.yaml":   "resources: [a.yaml]\nbuildMetadata: [managedByLabel]\n",
		"invalid/kustomization.yaml":  "buildMetadata: oops\n",
		"remote/kustomization.yaml":   "resources:\n- github.com/org/repo/base?ref=v1\n",
		"resource/deployment.yaml":    "kind: Deployment\n",
		"flow/kustomization.yaml":     "{resources: [a.yaml]}\n",
		"commented/kustomization.yml": "# keep me\nresources:\n- a.yaml # the one\n",
	})
	fsys := offlineFS{FileSystem: filesys.MakeFsOnDisk(), limit: DefaultMaxFileSize}
	tests := []struct {
		name    string
		file    string
		want    string
		wantErr string
	}{
		{name: "origin annotations are asked for", file: "plain/kustomization.yaml", want: "resources: [a.yaml]\nbuildMetadata: [originAnnotations]\n"},
		{name: "other build metadata is kept", file: "merged/kustomization.yaml", want: "resources: [a.yaml]\nbuildMetadata: [managedByLabel, originAnnotations]\n"},
		{name: "invalid build metadata is left for kustomize to report", file: "invalid/kustomization.yaml", want: "buildMetadata: oops\n"},
		{name: "a flow-style kustomization", file: "flow/kustomization.yaml", want: "{resources: [a.yaml], buildMetadata: [originAnnotations]}\n"},
		{name: "comments survive", file: "commented/kustomization.yml", want: "# keep me\nresources:\n- a.yaml # the one\nbuildMetadata: [originAnnotations]\n"},
		{name: "resource files are read as they are", file: "resource/deployment.yaml", want: "kind: Deployment\n"},
		{name: "a remote entry fails the read", file: "remote/kustomization.yaml", wantErr: `remote resources entry "github.com/org/repo/base?ref=v1"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := fsys.ReadFile(filepath.Join(dir, filepath.FromSlash(tc.file)))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Errorf("ReadFile = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if err := fsys.WriteFile(filepath.Join(dir, "x"), nil); !errors.Is(err, errReadOnly) {
		t.Errorf("WriteFile err = %v", err)
	}
	if err := fsys.RemoveAll(dir); !errors.Is(err, errReadOnly) {
		t.Errorf("RemoveAll err = %v", err)
	}
	if _, err := fsys.Create(filepath.Join(dir, "x")); !errors.Is(err, errReadOnly) {
		t.Errorf("Create err = %v", err)
	}
	if err := fsys.MkdirAll(filepath.Join(dir, "x")); !errors.Is(err, errReadOnly) {
		t.Errorf("MkdirAll err = %v", err)
	}
	if err := fsys.Mkdir(filepath.Join(dir, "x")); !errors.Is(err, errReadOnly) {
		t.Errorf("Mkdir err = %v", err)
	}
}

// TestIsRemoteRef pins which entries kustomize would fetch: its loader
// fetches http(s) URLs, and its repospec parser (api/internal/git) clones
// anything with a scheme, a user@host prefix, or a github.com host.
func TestIsRemoteRef(t *testing.T) {
	tests := []struct {
		ref  string
		want bool
	}{
		{ref: "https://example.com/deploy.yaml", want: true},
		{ref: "HTTP://example.com/deploy.yaml", want: true},
		{ref: "github.com/org/repo//base?ref=v1", want: true},
		{ref: "GitHub.com:org/repo", want: true},
		{ref: "git@github.com:org/repo.git", want: true},
		{ref: "git::https://gitlab.com/org/repo", want: true},
		{ref: "ssh://git@example.com/org/repo.git", want: true},
		{ref: "file:///srv/repo", want: true},
		{ref: "gitlab.com/org/repo?ref=main", want: true},
		{ref: "deploy@host/org/repo", want: true},
		{ref: "deployment.yaml", want: false},
		{ref: "../base", want: false},
		{ref: "/abs/path/base", want: false},
		{ref: "team@notes.yaml", want: false},
		{ref: "patch: |\n  image: https://example.com/x\n", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			if got := isRemoteRef(tc.ref); got != tc.want {
				t.Errorf("isRemoteRef(%q) = %v, want %v", tc.ref, got, tc.want)
			}
		})
	}
}

func TestWalkBuildsEveryKustomizationAndDoesNotDescendIntoThem(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app/kustomization.yaml":  "resources: [cm.yaml]\nnamePrefix: app-\n",
		"app/cm.yaml":             configMap("cm"),
		"app/unlisted/extra.yaml": configMap("unlisted"),
		"plain/p.yaml":            configMap("p"),
	})
	res := Load(context.Background(), []string{"."}, Options{WorkDir: dir})
	if got, want := pathNames(res), []string{"app/cm.yaml:app-cm", "plain/p.yaml:p"}; !reflect.DeepEqual(got, want) {
		t.Errorf("objects = %q, want %q (errors %v)", got, want, errorStrings(res))
	}
}

func TestWalkSkipsKustomizeComponentsButBuildsThemWhenNamed(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app/kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../monitoring]\n",
		"app/cm.yaml":            configMap("cm"),
		"monitoring/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n" +
			"resources: [extra.yaml]\n",
		"monitoring/extra.yaml": configMap("extra"),
	})
	res := Load(context.Background(), []string{"."}, Options{WorkDir: dir})
	if got, want := pathNames(res), []string{"app/cm.yaml:cm", "monitoring/extra.yaml:extra"}; !reflect.DeepEqual(got, want) {
		t.Errorf("objects = %q, want %q (errors %v)", got, want, errorStrings(res))
	}
	wantNotes := []string{"monitoring/kustomization.yaml: skipped: a kustomize Component is built only as part of the kustomizations that include it"}
	if !reflect.DeepEqual(res.Notes, wantNotes) {
		t.Errorf("notes = %q, want %q", res.Notes, wantNotes)
	}
	named := Load(context.Background(), []string{"monitoring"}, Options{WorkDir: dir})
	if got, want := pathNames(named), []string{"monitoring/extra.yaml:extra"}; !reflect.DeepEqual(got, want) {
		t.Errorf("named component: objects = %q, want %q (errors %v)", got, want, errorStrings(named))
	}
}

func TestKustomizeDeprecationWarningsAreNotes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("kustomization.yaml", "commonLabels:\n  team: a\nresources:\n- cm.yaml\n")
	write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
	res := Load(context.Background(), []string{"."}, Options{WorkDir: dir})
	if len(res.Errors) > 0 || len(res.Objects) != 1 {
		t.Fatalf("errors %v, %d objects", errorStrings(res), len(res.Objects))
	}
	found := false
	for _, n := range res.Notes {
		found = found || strings.Contains(n, "kustomize: Warning: 'commonLabels' is deprecated")
	}
	if !found {
		t.Errorf("notes %q lack kustomize's commonLabels deprecation warning", res.Notes)
	}
}

func TestKustomizeBuildsRunInParallelAndAgree(t *testing.T) {
	// Builds share kyaml's schema unless one sets its own; the second
	// kustomization's openapi field must not leak into the others.
	dir := t.TempDir()
	for i := range 8 {
		sub := filepath.Join(dir, fmt.Sprintf("k%d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		kust := "namePrefix: p-\nresources:\n- d.yaml\n"
		if i == 1 {
			kust += "openapi:\n  version: v1.21.2\n"
		}
		if err := os.WriteFile(filepath.Join(sub, "kustomization.yaml"), []byte(kust), 0o644); err != nil {
			t.Fatal(err)
		}
		d := fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d%d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n", i)
		if err := os.WriteFile(filepath.Join(sub, "d.yaml"), []byte(d), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := Load(context.Background(), []string{"."}, Options{WorkDir: dir})
	if len(res.Errors) > 0 || len(res.Objects) != 8 {
		t.Fatalf("errors %v, %d objects", errorStrings(res), len(res.Objects))
	}
	for i, o := range res.Objects {
		if want := fmt.Sprintf("p-d%d", i); o.Name != want {
			t.Errorf("object %d is %q, want %q", i, o.Name, want)
		}
	}
}
