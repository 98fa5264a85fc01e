package cluster

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kubeplan/kubeplan/lint/manifest"
	"github.com/kubeplan/kubeplan/lint/manifest/manifestgen"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// TestDecodeFastMatchesChecked pins the one-walk decoder to the two-pass
// one (check, then the unstructured converter): wherever decodeFast (over
// Map) or decodePlain (over the nodes) succeeds, it must produce the same
// object as decodeChecked, and decodeChecked no errors.
func TestDecodeFastMatchesChecked(t *testing.T) {
	var dirs []string
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	if entries, err := os.ReadDir(corpus); err == nil {
		for _, e := range entries {
			if e.IsDir() && e.Name() != "fuzz" {
				dirs = append(dirs, filepath.Join(corpus, e.Name()))
			}
		}
	}
	gen := t.TempDir()
	if _, _, err := manifestgen.Write(gen, 300); err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, gen, filepath.Join("..", "manifest", "testdata"))
	res := manifest.Load(context.Background(), dirs, manifest.Options{})
	scheme := newScheme()
	tc := newTypeChecker()
	var fast, slow, plain int
	for _, o := range res.Objects {
		gv, err := schema.ParseGroupVersion(o.APIVersion)
		if err != nil {
			continue
		}
		typ, ok := scheme.AllKnownTypes()[gv.WithKind(o.Kind)]
		if !ok {
			continue
		}
		want, errs := tc.decodeChecked(o.Map(), typ)
		if root, ok := o.PlainRoot(); ok {
			got := reflect.New(typ)
			if tc.decodePlain(root, got.Elem()) {
				plain++
				if len(errs) > 0 {
					t.Errorf("%s %s/%s: decodePlain succeeded where check reports %+v", o.File.Path, o.Kind, o.Name, errs)
				} else if !reflect.DeepEqual(got.Interface(), want) {
					t.Errorf("%s %s/%s: decodePlain and decodeChecked differ:\n%#v\n%#v", o.File.Path, o.Kind, o.Name, got.Interface(), want)
				}
			}
		}
		got := reflect.New(typ)
		if !tc.decodeFast(o.Map(), got.Elem()) {
			slow++
			continue
		}
		fast++
		if len(errs) > 0 {
			t.Errorf("%s %s/%s: decodeFast succeeded where check reports %+v", o.File.Path, o.Kind, o.Name, errs)
			continue
		}
		if !reflect.DeepEqual(got.Interface(), want) {
			t.Errorf("%s %s/%s: decodeFast and decodeChecked differ:\n%#v\n%#v", o.File.Path, o.Kind, o.Name, got.Interface(), want)
		}
	}
	t.Logf("%d objects decoded in one walk, %d the checked way, %d from nodes", fast, slow, plain)
	if fast == 0 || plain == 0 {
		t.Error("no object took the one-walk way")
	}
}
