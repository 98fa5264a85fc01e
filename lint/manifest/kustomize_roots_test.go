package manifest

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestWalkBuildsOnlyKustomizationRoots: a base that overlays include is
// built as part of each overlay, not again on its own, so its findings are
// not reported twice and its objects are not duplicates of the overlays'.
func TestWalkBuildsOnlyKustomizationRoots(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"base/deploy.yaml":                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
		"base/kustomization.yaml":             "resources:\n- deploy.yaml\n",
		"overlays/prod/kustomization.yaml":    "resources:\n- ../../base\nnamespace: prod\n",
		"overlays/staging/kustomization.yaml": "resources:\n- ../../base\nnamespace: staging\n",
		"standalone/kustomization.yaml":       "resources:\n- cm.yaml\n",
		"standalone/cm.yaml":                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
	})
	res := Load(context.Background(), []string{"."}, Options{WorkDir: dir})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	var got []string
	for _, o := range res.Objects {
		got = append(got, o.Namespace+"/"+o.Name+" from "+o.File.Path)
	}
	want := []string{"prod/web from base/deploy.yaml", "staging/web from base/deploy.yaml", "/other from standalone/cm.yaml"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("objects = %q, want %q", got, want)
	}
	if n := strings.Join(res.Notes, "\n"); !strings.Contains(n, "base: kustomization built as part of overlays/prod, not on its own") {
		t.Errorf("notes = %s", n)
	}
	// Naming the base alone still builds it.
	res = Load(context.Background(), []string{"base"}, Options{WorkDir: dir})
	if len(res.Objects) != 1 || res.Objects[0].Name != "web" {
		t.Errorf("base alone: %d objects", len(res.Objects))
	}
}
