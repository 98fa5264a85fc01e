package manifest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"
	"github.com/kubeplan/kubeplan/lint/manifest/manifestgen"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The speed target of the spine issue: loading (and building the model, see
// lint/cluster's BenchmarkLoadAndBuild) costs at most 1.5x a bare kyaml
// parse of the same bytes, and peak memory stays under 10x the input. Each
// Load benchmark has a BenchmarkParseKyaml twin over the same files, and
// reports the peak heap growth of one operation over the input size as
// "peak-x".
//
//	go test ./lint/manifest -run XXX -bench . -benchmem

// benchInput is a set of files to load.
type benchInput struct {
	dir   string
	paths []string // relative to dir, as Load reports them
	data  [][]byte
	bytes int64
}

// corpusInput is ../shared/corpus/01-install-manifests: the files Load
// reads there, kustomize directories excluded (a build is not a parse).
func corpusInput(b *testing.B) benchInput {
	b.Helper()
	dir := sharedDir(b, "corpus", "01-install-manifests")
	var in benchInput
	in.dir = dir
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || kustomizationIn(p) != "") {
				return filepath.SkipDir
			}
			return nil
		}
		if !isManifestName(d.Name()) || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		in.add(b, rel, p)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return in
}

func (in *benchInput) add(b *testing.B, rel, abs string) {
	data, err := os.ReadFile(abs)
	if err != nil {
		b.Fatal(err)
	}
	in.paths = append(in.paths, filepath.ToSlash(rel))
	in.data = append(in.data, data)
	in.bytes += int64(len(data))
}

// generatedInput writes a synthetic input of objects manifests into a
// temporary directory.
func generatedInput(b *testing.B, objects int) benchInput {
	b.Helper()
	dir := b.TempDir()
	paths, _, err := manifestgen.Write(dir, objects)
	if err != nil {
		b.Fatal(err)
	}
	in := benchInput{dir: dir}
	for _, p := range paths {
		in.add(b, p, filepath.Join(dir, filepath.FromSlash(p)))
	}
	return in
}

func BenchmarkLoad(b *testing.B) {
	b.Run("corpus", func(b *testing.B) { benchLoad(b, corpusInput(b)) })
	b.Run("generated-10000", func(b *testing.B) { benchLoad(b, generatedInput(b, 10000)) })
}

// BenchmarkParseKyaml is the bare parse the issue compares Load with. Like
// Load, the retained variants keep what they parsed until the whole input
// is read; the discard variants drop each file's nodes at once, which
// spares the garbage collector the retained heap that any real consumer
// of the parse has.
func BenchmarkParseKyaml(b *testing.B) {
	b.Run("corpus", func(b *testing.B) { benchKyaml(b, corpusInput(b), true) })
	b.Run("corpus-discard", func(b *testing.B) { benchKyaml(b, corpusInput(b), false) })
	b.Run("generated-10000", func(b *testing.B) { benchKyaml(b, generatedInput(b, 10000), true) })
	b.Run("generated-10000-discard", func(b *testing.B) { benchKyaml(b, generatedInput(b, 10000), false) })
}

// benchLoad loads the input's files, read from disk as Load does.
func benchLoad(b *testing.B, in benchInput) {
	b.SetBytes(in.bytes)
	b.ReportAllocs()
	load := func() *Result {
		res := Load(context.Background(), in.paths, Options{WorkDir: in.dir})
		if len(res.Objects) == 0 {
			b.Fatal("nothing loaded")
		}
		return res
	}
	cpu := cpuTime()
	for b.Loop() {
		load()
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	peak := testutil.PeakHeap(func() { runtime.KeepAlive(load()) })
	b.ReportMetric(float64(peak)/float64(in.bytes), "peak-x")
}

// benchKyaml reads the same files from disk and parses each with kyaml's
// ByteReader, in parallel as Load does.
func benchKyaml(b *testing.B, in benchInput, retain bool) {
	b.SetBytes(in.bytes)
	b.ReportAllocs()
	parse := func() {
		parsed := make([][]*yaml.RNode, len(in.paths))
		var next atomic.Int64
		done := make(chan struct{})
		workers := runtime.GOMAXPROCS(0)
		for range workers {
			go func() {
				defer func() { done <- struct{}{} }()
				for {
					i := int(next.Add(1)) - 1
					if i >= len(in.paths) {
						return
					}
					data, err := os.ReadFile(filepath.Join(in.dir, in.paths[i]))
					if err != nil {
						panic(err)
					}
					r := kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}
					nodes, _ := r.Read() // a few corpus files are not valid YAML
					if retain {
						parsed[i] = nodes
					}
				}
			}()
		}
		for range workers {
			<-done
		}
		runtime.KeepAlive(parsed)
	}
	cpu := cpuTime()
	for b.Loop() {
		parse()
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(testutil.PeakHeap(parse))/float64(in.bytes), "peak-x")
}

func BenchmarkLoadAliasBomb(b *testing.B) {
	data, err := os.ReadFile(fixtureDir(b, "hostile", "alias-bomb.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p := parseFile(NewFile("alias-bomb.yaml", data), false)
		if len(p.errs) != 1 {
			b.Fatal("the bomb was not refused")
		}
	}
}
