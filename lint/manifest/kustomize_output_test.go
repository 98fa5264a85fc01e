package manifest

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"
)

// TestOutputMapMatchesPrintedOutput pins outputMap's shortcut to what
// kubectl reads from `kustomize build` output, on every kustomization of
// the fixtures and the corpus.
func TestOutputMapMatchesPrintedOutput(t *testing.T) {
	dirs := kustomizationDirs(t, fixtureDir(t, "kustomize"))
	if corpus := filepath.Join(testutil.ModuleRoot(t), "..", "shared", "corpus"); exists(corpus) {
		dirs = append(dirs, kustomizationDirs(t, corpus)...)
	}
	compared := 0
	for _, dir := range dirs {
		m, err := runKustomize(dir, 1<<30, false)
		if err != nil {
			continue // failing builds are the loader tests' business
		}
		for _, r := range m.Resources() {
			fast, ferr := outputMap(r, "x")
			slow, serr := printedOutputMap(r, "x")
			if (ferr == nil) != (serr == nil) {
				t.Errorf("%s %s: errors differ: %v / %v", dir, r.CurId(), ferr, serr)
				continue
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Errorf("%s %s: outputMap differs from the printed output\nfast %#v\nslow %#v", dir, r.CurId(), fast, slow)
			}
			compared++
		}
	}
	if compared == 0 {
		t.Fatal("no kustomize output compared")
	}
	t.Logf("%d objects from %d kustomizations agree", compared, len(dirs))
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func kustomizationDirs(t *testing.T, root string) []string {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && kustomizationIn(p) != "" {
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}
