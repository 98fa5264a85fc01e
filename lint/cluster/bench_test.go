package cluster_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/manifest"
	"github.com/kubeplan/kubeplan/lint/manifest/manifestgen"
)

// BenchmarkLoadAndBuild is load + model, the cost the spine issue bounds
// at 1.5x the bare kyaml parse of lint/manifest's BenchmarkParseKyaml over
// the same input, with the peak heap growth of one load reported as
// "peak-x" (times the input bytes; the target is 10) and the process's CPU time per operation
// as "cpu-ns/op".
//
//	go test ./lint/cluster -run XXX -bench LoadAndBuild -benchmem
func BenchmarkLoadAndBuild(b *testing.B) {
	b.Run("corpus", func(b *testing.B) {
		dir := filepath.Join(repoRoot(b), "..", "shared", "corpus", "01-install-manifests")
		if _, err := os.Stat(dir); err != nil {
			b.Skipf("%s not present", dir)
		}
		paths, size := manifestFiles(b, dir)
		benchLoadAndBuild(b, dir, paths, size)
	})
	b.Run("generated-10000", func(b *testing.B) {
		dir := b.TempDir()
		paths, size, err := manifestgen.Write(dir, 10000)
		if err != nil {
			b.Fatal(err)
		}
		benchLoadAndBuild(b, dir, paths, size)
	})
}

func benchLoadAndBuild(b *testing.B, dir string, paths []string, size int64) {
	b.SetBytes(size)
	b.ReportAllocs()
	build := func() *cluster.Model {
		res := manifest.Load(context.Background(), paths, manifest.Options{WorkDir: dir})
		m := cluster.Build(context.Background(), res, cluster.Options{})
		if len(m.Objects()) == 0 {
			b.Fatal("nothing loaded")
		}
		return m
	}
	cpu := cpuTime()
	for b.Loop() {
		build()
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	peak := testutil.PeakHeap(func() { runtime.KeepAlive(build()) })
	b.ReportMetric(float64(peak)/float64(size), "peak-x")
}

// manifestFiles lists the files lint/manifest's benchmarks load from dir:
// manifests outside hidden and kustomize directories.
func manifestFiles(b *testing.B, dir string) ([]string, int64) {
	var paths []string
	var size int64
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || hasKustomization(p)) {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json":
		default:
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() {
			return nil
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		paths = append(paths, filepath.ToSlash(rel))
		size += st.Size()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return paths, size
}

func hasKustomization(dir string) bool {
	for _, n := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}

func repoRoot(b *testing.B) string {
	dir, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			b.Fatal("no go.mod above the benchmark directory")
		}
		dir = parent
	}
}
