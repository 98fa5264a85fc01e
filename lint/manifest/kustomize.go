package manifest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/kubeplan/kubeplan/lint/manifest/internal/ytree"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/openapi"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// originAnnotation is where kustomize records the file an output object
// came from, when the kustomization asks for originAnnotations.
const originAnnotation = "config.kubernetes.io/origin"

// kustomizeSchema guards kyaml's process-wide OpenAPI schema, which every
// krusty run touches. A kustomization without an openapi field leaves the
// built-in schema in place (krusty's SetSchema then changes nothing, and
// the schema's lazy parse is locked by kyaml), so such builds share the
// lock and run in parallel; a build whose kustomizations set a schema
// replaces it for the whole process, so it holds the lock alone and puts
// the built-in schema back when done.
var kustomizeSchema sync.RWMutex

// kustomizeStderr silences os.Stderr while any build runs: krusty prints
// deprecation warnings straight to it. The warnings become notes instead,
// computed from the kustomization files by kustomize's own check.
var kustomizeStderr stderrSilencer

// warmKustomizeSchema parses kyaml's built-in OpenAPI schema, which the
// first build needing it would otherwise parse while holding the schema
// lock and every other build waits: started as loading begins, it runs
// while the other workers read plain files.
func warmKustomizeSchema() {
	kustomizeSchema.RLock()
	defer kustomizeSchema.RUnlock()
	defer func() { _ = recover() }()
	openapi.Schema()
}

// buildKustomization builds the kustomization in dir offline, as
// kubectl apply -k would, after refusing remote entries. Output objects hold
// kustomize's output in Map (namespace, prefixes, patches applied) and point
// back to the file, document and node they came from, so positions are
// those of the original text; generated objects point at their generator
// entry in the kustomization file.
func buildKustomization(dir, rel string, opts Options) parsed {
	var out parsed
	scan := newKustScan(opts.WorkDir, opts.maxFileSize())
	scan.dir(dir)
	for _, p := range scan.order {
		if f := scan.files[p].file; f != nil {
			out.files = append(out.files, f)
		}
	}
	root := scan.files[filepath.Join(dir, kustomizationIn(dir))]
	if root == nil || root.file == nil {
		if len(scan.errs) == 0 {
			scan.errs = append(scan.errs, newError(rel, 0, 0, nil, "no kustomization file found"))
		}
		out.errs = scan.errs
		return out
	}
	if len(scan.errs) > 0 {
		out.errs = scan.errs
		return out
	}
	exclusive := false
	seen := map[string]bool{}
	for _, p := range scan.order {
		kf := scan.files[p]
		exclusive = exclusive || kf.setsSchema
		for _, w := range kf.warnings {
			if !seen[w] {
				seen[w] = true
				out.notes = append(out.notes, rel+": kustomize: "+w)
			}
		}
	}
	m, err := runKustomize(dir, opts.maxFileSize(), exclusive)
	if err != nil {
		errs, files := scan.buildErrors(err, opts)
		out.errs = append(out.errs, errs...)
		out.files = append(out.files, files...)
		return out
	}
	b := &kustBuild{dir: dir, rel: rel, opts: opts, scan: scan, root: root, out: &out,
		sources: map[string]*parsed{}, claimed: map[*Object]bool{}}
	for _, r := range m.Resources() {
		b.add(r)
	}
	return out
}

// runKustomize runs krusty with its defaults (plugins and Helm off, load
// restricted to the kustomization root) on the offline filesystem.
// exclusive is set when the kustomizations set their own OpenAPI schema.
func runKustomize(dir string, limit int64, exclusive bool) (m resmap.ResMap, err error) {
	if exclusive {
		kustomizeSchema.Lock()
		defer kustomizeSchema.Unlock()
		defer openapi.ResetOpenAPI()
	} else {
		kustomizeSchema.RLock()
		defer kustomizeSchema.RUnlock()
	}
	kustomizeStderr.acquire()
	defer kustomizeStderr.release()
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("kustomize failed: %v", r)
		}
	}()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	return k.Run(offlineFS{FileSystem: filesys.MakeFsOnDisk(), limit: limit}, dir)
}

// stderrSilencer points os.Stderr at a pipe whose output is dropped while
// at least one holder has acquired it.
type stderrSilencer struct {
	mu      sync.Mutex
	holders int
	restore func()
}

func (s *stderrSilencer) acquire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holders == 0 {
		s.restore = silenceStderr()
	}
	s.holders++
}

func (s *stderrSilencer) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holders--
	if s.holders == 0 {
		s.restore()
	}
}

// silenceStderr points os.Stderr at a pipe until the returned func is
// called, which restores it.
func silenceStderr() (restore func()) {
	old := os.Stderr
	r, w, err := os.Pipe()
	if err != nil {
		return func() {}
	}
	os.Stderr = w
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, r)
		r.Close()
		close(done)
	}()
	return func() {
		os.Stderr = old
		w.Close()
		<-done
	}
}

// kustBuild turns one build's output into Objects.
type kustBuild struct {
	dir, rel string
	opts     Options
	scan     *kustScan
	root     *kustFile
	out      *parsed
	// sources caches the original files, parsed by this package, by
	// absolute path.
	sources map[string]*parsed
	claimed map[*Object]bool
	// trees caches kustomization nodes converted for objects' positions.
	trees map[*yaml.Node]ytree.Node
}

func (b *kustBuild) add(r *resource.Resource) {
	path := b.root.file.Path
	origin, _ := r.GetOrigin()
	m, perr := outputMap(r, path)
	if perr != nil {
		b.out.errs = append(b.out.errs, perr)
		return
	}
	if !b.root.keepsOrigin {
		removeAnnotation(m, originAnnotation)
	}
	obj := &Object{Item: -1, Origin: b.rel}
	obj.setMap(m)
	obj.readMeta()
	src := b.place(obj, origin)
	// Ambiguities: those of the original text (which kustomize read as
	// YAML 1.2) where the field survived the build, then any in the
	// output, located in the original text.
	seen := map[string]bool{}
	if src != nil {
		for _, a := range src.Ambiguous {
			if _, ok := lookupPath(m, a.FieldPath); ok {
				seen[a.FieldPath] = true
				obj.Ambiguous = append(obj.Ambiguous, a)
			}
		}
	}
	for _, a := range outputAmbiguities(m) {
		if !seen[a.FieldPath] {
			loc, _ := obj.Locate(a.FieldPath)
			a.Line, a.Col = loc.Line, loc.Col
			obj.Ambiguous = append(obj.Ambiguous, a)
		}
	}
	b.out.objects = append(b.out.objects, obj)
}

// place points obj at its source and returns the original object it was
// built from, if any.
func (b *kustBuild) place(obj *Object, origin *resource.Origin) *Object {
	switch {
	case origin != nil && origin.Repo == "" && origin.Path != "":
		abs := filepath.Join(b.dir, filepath.FromSlash(origin.Path))
		if src := b.match(abs, obj); src != nil {
			obj.File, obj.Doc, obj.Item, obj.node = src.File, src.Doc, src.Item, src.node
			return src
		}
		if f := b.sourceFile(abs); f != nil {
			obj.File, obj.node = f, fileStart()
			return nil
		}
	case origin != nil && origin.Repo == "" && origin.ConfiguredIn != "":
		abs := filepath.Join(b.dir, filepath.FromSlash(origin.ConfiguredIn))
		if kf := b.scan.files[abs]; kf != nil && kf.file != nil {
			obj.File, obj.node = kf.file, b.treeNode(generatorNode(kf, origin.ConfiguredBy.Kind, obj.Name))
			return nil
		}
	}
	obj.File = b.root.file
	if b.root.root != nil {
		obj.node = b.treeNode(b.root.root)
	} else {
		obj.node = fileStart()
	}
	return nil
}

// treeNode returns n, a node of a kustomization, as a tree node: converted
// once per build however many objects point at it.
func (b *kustBuild) treeNode(n *yaml.Node) ytree.Node {
	if n == nil {
		return fileStart()
	}
	if t, ok := b.trees[n]; ok {
		return t
	}
	if b.trees == nil {
		b.trees = map[*yaml.Node]ytree.Node{}
	}
	t := ytree.FromYAML(n).Root()
	b.trees[n] = t
	return t
}

// fileStart is the node of an object known only by its file: line 1.
func fileStart() ytree.Node {
	return ytree.Single(ytree.MappingNode, 1, 1).Root()
}

// sourceFile reads and parses an original file once per build; its parse
// errors are reported (a duplicate key, say, that kustomize let through).
func (b *kustBuild) sourceFile(abs string) *File {
	p, ok := b.sources[abs]
	if !ok {
		p = &parsed{}
		b.sources[abs] = p
		data, err := readLimited(abs, b.opts.maxFileSize())
		if err == nil {
			f := NewFile(relPath(b.opts.WorkDir, abs), data)
			*p = parseFile(f, strings.EqualFold(filepath.Ext(abs), ".json"))
			p.files = []*File{f}
			b.out.files = append(b.out.files, f)
			b.out.errs = append(b.out.errs, p.errs...)
		}
	}
	if len(p.files) == 0 {
		return nil
	}
	return p.files[0]
}

// match finds the original object an output object was built from: same
// kind, and the output name is the original name, possibly with prefixes,
// suffixes and a hash added (the longest such original name wins, then the
// one in the same namespace, then one not matched yet). kustomize clears
// its record of previous names before Run returns, so the name is matched
// rather than looked up.
func (b *kustBuild) match(abs string, obj *Object) *Object {
	if b.sourceFile(abs) == nil {
		return nil
	}
	var best *Object
	better := func(o *Object) bool {
		switch {
		case best == nil:
			return true
		case len(o.Name) != len(best.Name):
			return len(o.Name) > len(best.Name)
		case (o.Namespace == obj.Namespace) != (best.Namespace == obj.Namespace):
			return o.Namespace == obj.Namespace
		}
		return b.claimed[best] && !b.claimed[o]
	}
	sameKind := 0
	var onlyOfKind *Object
	for _, o := range b.sources[abs].objects {
		if o.Kind != obj.Kind {
			continue
		}
		sameKind++
		onlyOfKind = o
		if strings.Contains(obj.Name, o.Name) && better(o) {
			best = o
		}
	}
	if best == nil && sameKind == 1 {
		best = onlyOfKind
	}
	if best == nil {
		if objs := b.sources[abs].objects; len(objs) == 1 {
			best = objs[0]
		}
	}
	if best != nil {
		b.claimed[best] = true
	}
	return best
}

// generatorNode finds the configMapGenerator or secretGenerator entry that
// made an object: the entry of that kind whose name the output name
// contains (the longest), else the kustomization itself.
func generatorNode(kf *kustFile, kind, name string) *yaml.Node {
	var best *kustGenerator
	for i := range kf.generators {
		g := &kf.generators[i]
		if g.kind == kind && g.name != "" && strings.Contains(name, g.name) && (best == nil || len(g.name) > len(best.name)) {
			best = g
		}
	}
	switch {
	case best != nil:
		return best.node
	}
	return kf.root
}

// removeAnnotation deletes an annotation kubeplan asked kustomize for,
// dropping metadata.annotations when nothing else is left.
func removeAnnotation(m map[string]any, key string) {
	md, _ := m["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	if _, ok := ann[key]; !ok {
		return
	}
	delete(ann, key)
	if len(ann) == 0 {
		delete(md, "annotations")
	}
}

// lookupPath returns the value at fieldPath in plain data.
func lookupPath(v any, fieldPath string) (any, bool) {
	steps, ok := ParsePath(fieldPath)
	if !ok {
		return nil, false
	}
	for _, st := range steps {
		switch x := v.(type) {
		case map[string]any:
			if st.Index >= 0 {
				return nil, false
			}
			if v, ok = x[st.Key]; !ok {
				return nil, false
			}
		case []any:
			if st.Index < 0 || st.Index >= len(x) {
				return nil, false
			}
			v = x[st.Index]
		default:
			return nil, false
		}
	}
	return v, true
}

// buildErrors turns a failed build into errors that name a file and line:
// the kustomization's own syntax error when it has one; else the entry the
// message names last (the innermost cause), plus the parse errors of that
// entry's file (returned too, for snippets); else the root kustomization.
func (s *kustScan) buildErrors(err error, opts Options) ([]*Error, []*File) {
	var out []*Error
	for _, p := range s.order {
		if kf := s.files[p]; kf.file != nil && kf.root == nil {
			if _, perr := decodeChunk(kf.file.Data); perr != nil {
				out = append(out, yamlError(kf.file, chunk{data: kf.file.Data}, perr))
			}
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	msg := err.Error()
	if opts.WorkDir != "" {
		msg = strings.ReplaceAll(msg, opts.WorkDir+string(os.PathSeparator), "")
	}
	root := s.files[s.order[0]]
	at, atFile, atIndex := (*kustRef)(nil), root, -1
	for _, p := range s.order {
		kf := s.files[p]
		for i := range kf.refs {
			r := &kf.refs[i]
			v := strings.TrimSpace(r.value)
			if v == "" {
				continue
			}
			i := strings.LastIndex(msg, "'"+v+"'")
			if i < 0 {
				i = strings.LastIndex(msg, v)
			}
			if i > atIndex {
				at, atFile, atIndex = r, kf, i
			}
		}
	}
	e := newError(atFile.file.Path, 0, 0, err, "kustomize build failed: %s", msg)
	if at == nil {
		return []*Error{e}, nil
	}
	e.Line, e.Col = at.node.Line, at.node.Column
	out = append(out, e)
	var files []*File
	abs := filepath.Join(filepath.Dir(atFile.abs), strings.TrimSpace(at.value))
	if st, err := os.Stat(abs); err == nil && st.Mode().IsRegular() {
		if data, err := readLimited(abs, opts.maxFileSize()); err == nil {
			f := NewFile(relPath(opts.WorkDir, abs), data)
			if p := parseFile(f, strings.EqualFold(filepath.Ext(abs), ".json")); len(p.errs) > 0 {
				out = append(out, p.errs...)
				files = append(files, f)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, files
}
