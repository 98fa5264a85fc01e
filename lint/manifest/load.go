package manifest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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
	// MaxFileSize bounds the bytes read from one source; a larger source
	// is an error and is not read. 0 means DefaultMaxFileSize; larger
	// values are capped at 2 GiB.
	MaxFileSize int64
	// Workers bounds parallel parsing; 0 means GOMAXPROCS.
	Workers int
}

// Result is what Load read: objects in a deterministic order (by source
// path, then document, then list item; a kustomization's objects in
// kustomize's output order at its directory's place), the files they came
// from (sorted by path, each once, including the files a kustomize build
// read), one *Error per problem (sorted by path, line and column), and notes
// about documents that were skipped on purpose (no apiVersion/kind).
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

// dispatchOrder returns the order in which to hand sources to the
// workers: the longest jobs first (kustomize builds, then files by
// decreasing size), so that no worker is left with a large job while the
// others idle. Results keep the sources' own order whatever this is.
func dispatchOrder(srcs []source) []int {
	order := make([]int, len(srcs))
	cost := make([]int64, len(srcs))
	for i, s := range srcs {
		order[i] = i
		switch {
		case s.kustomize:
			cost[i] = math.MaxInt64
		case !s.stdin:
			if st, err := os.Stat(s.abs); err == nil {
				cost[i] = st.Size()
			}
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return cost[order[a]] > cost[order[b]] })
	return order
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
	opts.WorkDir = wd
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
	w := &walker{add: add, ancestors: map[string]string{}}
	for _, p := range paths {
		if p == "-" {
			add(source{rel: "-", stdin: true})
			continue
		}
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(wd, p)
		}
		w.discover(abs, relPath(wd, abs))
	}
	res.Errors, res.Notes = w.errs, w.notes
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].rel < srcs[j].rel })
	srcs, res.Notes = dropIncludedKustomizations(srcs, opts, res.Notes)
	var warm sync.WaitGroup
	if slices.ContainsFunc(srcs, func(s source) bool { return s.kustomize }) {
		warm.Go(warmKustomizeSchema)
	}
	defer warm.Wait()

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
	for _, i := range dispatchOrder(srcs) {
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
	byPath := map[string]bool{}
	addFile := func(f *File) {
		if f != nil && !byPath[f.Path] {
			byPath[f.Path] = true
			res.Files = append(res.Files, f)
		}
	}
	for i := range srcs {
		addFile(files[i])
		for _, f := range slots[i].files {
			addFile(f)
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
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Msg < b.Msg
	})
	// Two kustomizations sharing a base report its problems once.
	res.Errors = slices.CompactFunc(res.Errors, func(a, b *Error) bool {
		return a.Path == b.Path && a.Line == b.Line && a.Col == b.Col && a.Msg == b.Msg
	})
	// Notes are "path:line:col: message", in line order within a path.
	sort.SliceStable(res.Notes, func(i, j int) bool { return notePath(res.Notes[i]) < notePath(res.Notes[j]) })
	res.Notes = slices.Compact(res.Notes)
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
	limit := opts.maxFileSize()
	var data []byte
	var err error
	if s.stdin {
		in := opts.Stdin
		if in == nil {
			in = os.Stdin
		}
		data, err = io.ReadAll(io.LimitReader(in, limit+1))
		if err == nil && int64(len(data)) > limit {
			err = errTooLarge
		}
	} else {
		data, err = readLimited(s.abs, limit)
	}
	if errors.Is(err, errTooLarge) {
		return nil, parsed{errs: []*Error{newError(s.rel, 0, 0, err, "file is larger than the %s limit; not read", formatSize(limit))}}
	}
	if err != nil {
		return nil, parsed{errs: []*Error{newError(s.rel, 0, 0, err, "cannot read: %v", unwrapPathError(err))}}
	}
	f = NewFile(s.rel, data)
	isJSON := strings.EqualFold(filepath.Ext(s.rel), ".json")
	return f, parseFile(f, isJSON)
}

// errTooLarge marks a source over Options.MaxFileSize.
var errTooLarge = errors.New("file too large")

func (o Options) maxFileSize() int64 {
	if o.MaxFileSize > 0 {
		// Positions within a file are 32-bit.
		return min(o.MaxFileSize, math.MaxInt32)
	}
	return DefaultMaxFileSize
}

// readLimited reads at most limit bytes of a file; a larger file is
// errTooLarge, found from its size before anything is read when it is a
// regular file.
func readLimited(name string, limit int64) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var data []byte
	if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > limit {
			return nil, errTooLarge
		}
		// One allocation for the usual case; a file that grew while
		// read still reaches the limit check below.
		data = make([]byte, 0, st.Size()+1)
	}
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := fh.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > limit {
			return nil, errTooLarge
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// formatSize prints a byte count the way people set limits: "32 MiB",
// "1500 bytes".
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func notePath(note string) string {
	p, _, _ := strings.Cut(note, ":")
	return p
}

// String describes the result in one line, for debugging and examples.
func (r *Result) String() string {
	return fmt.Sprintf("%d objects from %d files, %d errors", len(r.Objects), len(r.Files), len(r.Errors))
}

// dropIncludedKustomizations leaves out the kustomization directories that
// another kustomization among the sources includes (a base under its
// overlays): they are built as part of it, and building them on their own
// too would report every finding of the base twice, and the base's objects
// as duplicates of the overlay's. srcs is sorted; so is the result.
func dropIncludedKustomizations(srcs []source, opts Options, notes []string) ([]source, []string) {
	includes := map[string]map[string]bool{} // kustomization dir -> dirs it includes
	var dirs []string
	for _, s := range srcs {
		if !s.kustomize {
			continue
		}
		scan := newKustScan(opts.WorkDir, opts.maxFileSize())
		scan.dir(s.abs)
		inc := map[string]bool{}
		for _, f := range scan.order {
			if d := filepath.Dir(f); d != s.abs {
				inc[d] = true
			}
		}
		includes[s.abs] = inc
		dirs = append(dirs, s.abs)
	}
	if len(dirs) < 2 {
		return srcs, notes
	}
	includedBy := map[string]string{}
	for _, outer := range dirs {
		for _, inner := range dirs {
			// Mutual inclusion is a cycle kustomize reports; keep both.
			if inner != outer && includes[outer][inner] && !includes[inner][outer] {
				if _, ok := includedBy[inner]; !ok {
					includedBy[inner] = outer
				}
			}
		}
	}
	out := srcs[:0:0]
	for _, s := range srcs {
		if by, ok := includedBy[s.abs]; ok && s.kustomize {
			notes = append(notes, fmt.Sprintf("%s: kustomization built as part of %s, not on its own", s.rel, relPath(opts.WorkDir, by)))
			continue
		}
		out = append(out, s)
	}
	return out, notes
}
