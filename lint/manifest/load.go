package manifest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// DefaultMaxFileSize is the largest file Load reads when Options.MaxFileSize
// is zero. Real install manifests stay well below it; a larger file is
// reported, not read.
const DefaultMaxFileSize = 32 << 20

// Options tunes Load. The zero value is ready to use.
type Options struct {
	// WorkDir is the directory paths are made relative to; "" means the
	// process working directory.
	WorkDir string
	// Stdin is read for the source "-"; nil means os.Stdin.
	Stdin io.Reader
	// MaxFileSize bounds the bytes read from one source; 0 means
	// DefaultMaxFileSize.
	MaxFileSize int64
	// Workers bounds parallel parsing; 0 means GOMAXPROCS.
	Workers int
}

// Result is what Load read: objects in a deterministic order (by file path,
// then document, then list item), the files they came from (sorted by path),
// one *Error per problem, and notes about documents that were skipped on
// purpose (no apiVersion/kind).
type Result struct {
	Objects []*Object
	Files   []*File
	Errors  []*Error
	Notes   []string
}

// File returns the loaded file with the given path, or nil.
func (r *Result) File(path string) *File {
	i := sort.Search(len(r.Files), func(i int) bool { return r.Files[i].Path >= path })
	if i < len(r.Files) && r.Files[i].Path == path {
		return r.Files[i]
	}
	return nil
}

// source is one unit of work: a file to read, standard input, or a
// kustomization directory to build.
type source struct {
	abs, rel  string
	stdin     bool
	kustomize bool
}

// kustomizationFiles are the names that make a directory a kustomize root,
// in kustomize's own order of preference.
var kustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// Load reads every source: a file (*.yaml, *.yml, *.json, or any name when
// given explicitly), a directory (walked recursively, skipping hidden
// directories and following symlinks without looping), "-" for standard
// input, or a directory holding a kustomization, which is built offline. It
// returns everything that could be read; problems are in Result.Errors.
// The result does not depend on the order of paths or on GOMAXPROCS.
func Load(ctx context.Context, paths []string, opts Options) *Result {
	res := &Result{}
	wd := opts.WorkDir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	var srcs []source
	seen := map[string]bool{}
	add := func(s source) {
		key := s.abs
		if s.stdin {
			key = "-"
		}
		if !seen[key] {
			seen[key] = true
			srcs = append(srcs, s)
		}
	}
	for _, p := range paths {
		if p == "-" {
			add(source{rel: "-", stdin: true})
			continue
		}
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(wd, p)
		}
		discover(abs, relPath(wd, abs), true, add, &res.Errors)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].rel < srcs[j].rel })

	slots := make([]parsed, len(srcs))
	files := make([]*File, len(srcs))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				files[i], slots[i] = readSource(srcs[i], opts)
			}
		}()
	}
	for i := range srcs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		res.Errors = append(res.Errors, &Error{Path: ".", Msg: "loading stopped: " + err.Error(), Err: err})
	}
	for i := range srcs {
		if files[i] != nil {
			res.Files = append(res.Files, files[i])
		}
		res.Objects = append(res.Objects, slots[i].objects...)
		res.Errors = append(res.Errors, slots[i].errs...)
		res.Notes = append(res.Notes, slots[i].notes...)
	}
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
	sort.SliceStable(res.Errors, func(i, j int) bool {
		a, b := res.Errors[i], res.Errors[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return res
}

// readSource reads and parses one source; it never panics.
func readSource(s source, opts Options) (f *File, p parsed) {
	defer func() {
		if r := recover(); r != nil {
			p = parsed{errs: []*Error{newError(s.rel, 0, 0, nil, "internal error while reading: %v", r)}}
		}
	}()
	if s.kustomize {
		return nil, buildKustomization(s.abs, s.rel, opts)
	}
	max := opts.MaxFileSize
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	var data []byte
	var err error
	if s.stdin {
		in := opts.Stdin
		if in == nil {
			in = os.Stdin
		}
		data, err = io.ReadAll(io.LimitReader(in, max+1))
	} else {
		data, err = readLimited(s.abs, max)
	}
	if err != nil {
		return nil, parsed{errs: []*Error{newError(s.rel, 0, 0, err, "cannot read: %v", unwrapPathError(err))}}
	}
	if int64(len(data)) > max {
		return nil, parsed{errs: []*Error{newError(s.rel, 0, 0, nil, "file is larger than %d MiB; not read", max>>20)}}
	}
	f = NewFile(s.rel, data)
	isJSON := strings.EqualFold(filepath.Ext(s.rel), ".json")
	return f, parseFile(f, isJSON)
}

func readLimited(path string, max int64) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Size() > max {
		return make([]byte, max+1), nil
	}
	return io.ReadAll(io.LimitReader(fh, max+1))
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if e, ok := err.(*fs.PathError); ok {
		pe = e
		return pe.Err
	}
	return err
}

// discover adds the sources under abs. explicit is true for paths the user
// named, which are read whatever their extension.
func discover(abs, rel string, explicit bool, add func(source), errs *[]*Error) {
	st, err := os.Stat(abs)
	if err != nil {
		*errs = append(*errs, newError(rel, 0, 0, err, "cannot read: %v", unwrapPathError(err)))
		return
	}
	if !st.IsDir() {
		if explicit || isManifestName(abs) {
			add(source{abs: abs, rel: rel})
		}
		return
	}
	walkDir(abs, rel, map[string]bool{}, add, errs)
}

// walkDir walks a directory in lexical order. ancestors holds the real
// paths of the directories being walked, so a symlink back into one of them
// is reported as a loop instead of followed.
func walkDir(abs, rel string, ancestors map[string]bool, add func(source), errs *[]*Error) {
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		*errs = append(*errs, newError(rel, 0, 0, err, "cannot read: %v", unwrapPathError(err)))
		return
	}
	if ancestors[real] {
		*errs = append(*errs, newError(rel, 0, 0, nil, "symlink loop: %s leads back to %s; not followed", rel, real))
		return
	}
	if k := kustomizationIn(abs); k != "" {
		add(source{abs: abs, rel: rel, kustomize: true})
		return
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		*errs = append(*errs, newError(rel, 0, 0, err, "cannot read directory: %v", unwrapPathError(err)))
		return
	}
	ancestors[real] = true
	defer delete(ancestors, real)
	for _, e := range entries {
		name := e.Name()
		cabs, crel := filepath.Join(abs, name), joinRel(rel, name)
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(cabs)
			if err != nil {
				*errs = append(*errs, newError(crel, 0, 0, err, "broken symlink: %v", unwrapPathError(err)))
				continue
			}
			isDir = st.IsDir()
		}
		if isDir {
			if strings.HasPrefix(name, ".") {
				continue
			}
			walkDir(cabs, crel, ancestors, add, errs)
			continue
		}
		if isManifestName(name) {
			add(source{abs: cabs, rel: crel})
		}
	}
}

func kustomizationIn(dir string) string {
	for _, n := range kustomizationFiles {
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil && !st.IsDir() {
			return n
		}
	}
	return ""
}

func isManifestName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return !strings.HasPrefix(filepath.Base(name), ".")
	}
	return false
}

func joinRel(rel, name string) string {
	if rel == "." || rel == "" {
		return name
	}
	return rel + "/" + name
}

// relPath makes abs relative to wd with '/' separators; paths outside wd
// stay relative ("../x") when possible, else absolute.
func relPath(wd, abs string) string {
	r, err := filepath.Rel(wd, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(r)
}

// String describes the result in one line, for debugging and examples.
func (r *Result) String() string {
	return fmt.Sprintf("%d objects from %d files, %d errors", len(r.Objects), len(r.Files), len(r.Errors))
}
