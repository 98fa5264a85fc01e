package manifest

import (
	"bytes"
	"errors"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/kubeplan/kubeplan/lint/manifest/internal/ytree"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// parsed is what reading one source produced.
type parsed struct {
	objects []*Object
	errs    []*Error
	notes   []string
	// files are the sources behind the objects, when they are not the file
	// that was read (a kustomize build reads many).
	files []*File
}

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16BOMLE = []byte{0xFF, 0xFE}
	utf16BOMBE = []byte{0xFE, 0xFF}
)

// parseFile reads every object in f. isJSON marks a .json file: when it
// starts with '{' its syntax is checked with encoding/json first (so a
// trailing comma is an error), and each value is then read with the YAML
// parser for positions. Other files starting with '{' are read as a JSON
// stream when they are valid JSON and as YAML otherwise, as kubectl's
// YAMLOrJSONDecoder does.
func parseFile(f *File, isJSON bool) parsed {
	var out parsed
	data := f.Data
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))) == 0 {
		out.errs = append(out.errs, newError(f.Path, 0, 0, nil, "file is empty"))
		return out
	}
	if bytes.HasPrefix(data, utf16BOMLE) || bytes.HasPrefix(data, utf16BOMBE) {
		out.errs = append(out.errs, newError(f.Path, 1, 1, nil, "file is UTF-16 encoded; manifests must be UTF-8"))
		return out
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := f.LineOf(i)
		out.errs = append(out.errs, newError(f.Path, line, col, nil, "binary file (NUL byte at offset %d); not a YAML or JSON manifest", i))
		return out
	}
	if !utf8.Valid(data) {
		off := firstInvalidUTF8(data)
		line, col := f.LineOf(off)
		out.errs = append(out.errs, newError(f.Path, line, col, nil, "invalid UTF-8 (byte 0x%02x at offset %d); manifests must be UTF-8", data[off], off))
		return out
	}
	var chunks []chunk
	if looksLikeJSON(data) {
		var jerr *Error
		chunks, jerr = jsonChunks(f)
		if jerr != nil && isJSON {
			if line, col := templateLine(data); line > 0 {
				jerr = newError(f.Path, line, col, jerr, templateMessage)
			} else {
				jerr.Msg += " (kubectl would retry the file as YAML; fix the JSON)"
			}
			out.errs = append(out.errs, jerr)
			return out
		}
		if jerr != nil {
			chunks = nil
		}
	}
	if chunks == nil {
		chunks = yamlChunks(data)
	}
	results := parseChunks(f, chunks)
	templateChecked := false
	for ci, r := range results {
		if r.err != nil {
			if !templateChecked {
				// A template usually fails to parse; say so once, for
				// the whole file, rather than report YAML errors.
				templateChecked = true
				if line, col := templateLine(data); line > 0 {
					return parsed{errs: []*Error{newError(f.Path, line, col, r.err, templateMessage)}}
				}
			}
			out.errs = append(out.errs, yamlError(f, chunks[ci], r.err))
			continue
		}
		if !r.tmpl.IsZero() {
			return parsed{errs: []*Error{newError(f.Path, r.tmpl.Line(), r.tmpl.Column(), nil, templateMessage)}}
		}
		out.objects = append(out.objects, r.out.objects...)
		out.errs = append(out.errs, r.out.errs...)
		out.notes = append(out.notes, r.out.notes...)
	}
	return out
}

// addDocument converts one document and adds its objects, errors and
// notes. It returns the node of a template action when the document turns
// out to be a Helm template.
func (out *parsed) addDocument(f *File, doc int, node ytree.Node) (template ytree.Node) {
	if node.IsZero() || isNull(node) {
		return ytree.Node{}
	}
	// Check the document now (duplicate keys, aliasing, templates,
	// ambiguities); its plain value is built when first asked for.
	c := newChecker(f.Path)
	c.convert(node)
	if !c.template.IsZero() {
		return c.template
	}
	if node.Kind() != ytree.MappingNode {
		out.notes = append(out.notes, (&Error{Path: f.Path, Line: node.Line(), Col: node.Column(),
			Msg: "skipped: document is not a mapping, so not a Kubernetes object"}).Error())
		return ytree.Node{}
	}
	out.errs = append(out.errs, c.errs...)
	if c.fatal != nil {
		out.errs = append(out.errs, c.fatal)
		return ytree.Node{}
	}
	obj := &Object{File: f, Doc: doc, Item: -1, node: node, Ambiguous: c.ambiguities()}
	obj.setLazyMap()
	obj.plainNodes = len(c.errs) == 0 && !c.merges
	obj.readMeta()
	if obj.APIVersion == "" || obj.Kind == "" {
		out.notes = append(out.notes, (&Error{Path: f.Path, Line: node.Line(), Col: node.Column(),
			Msg: "skipped: no apiVersion/kind, so not a Kubernetes object"}).Error())
		return ytree.Node{}
	}
	if obj.hasField("items") {
		out.addListItems(obj)
		return ytree.Node{}
	}
	out.objects = append(out.objects, obj)
	return ytree.Node{}
}

// addListItems unwraps a list as kubectl does: its unstructured decoder
// reads every object with a top-level "items" field as a list (kind: List,
// PodList, ...), and an item without apiVersion and kind takes the list's
// apiVersion and its kind minus "List". Each item keeps its own position.
func (out *parsed) addListItems(list *Object) {
	raw, ok := list.Map()["items"].([]any)
	if !ok {
		if list.Map()["items"] == nil {
			pos := list.Position()
			out.notes = append(out.notes, (&Error{Path: list.File.Path, Line: pos.Line, Col: pos.Col,
				Msg: "skipped: " + list.Kind + " has no items"}).Error())
			return
		}
		loc, _ := list.Locate("items")
		out.errs = append(out.errs, newError(list.File.Path, loc.Line, loc.Col, nil,
			"items of %s must be a list: kubectl reads every object with an items field as a list", list.Kind))
		return
	}
	seq := list.valueNode("items")
	if seq.Kind() != ytree.SequenceNode || seq.Len() != len(raw) {
		return
	}
	itemKind := strings.TrimSuffix(list.Kind, "List")
	for i, it := range raw {
		n := seq.Child(i).Resolve()
		m, ok := it.(map[string]any)
		if !ok || n.Kind() != ytree.MappingNode {
			out.errs = append(out.errs, newError(list.File.Path, seq.Child(i).Line(), seq.Child(i).Column(), nil,
				"item %d of %s is not an object", i, list.Kind))
			continue
		}
		item := &Object{File: list.File, Doc: list.Doc, Item: i, node: n}
		item.setMap(m)
		if m["kind"] == nil && m["apiVersion"] == nil {
			m["kind"], m["apiVersion"] = itemKind, list.APIVersion
		}
		prefix := "items[" + strconv.Itoa(i) + "]"
		for _, a := range list.Ambiguous {
			rest, ok := strings.CutPrefix(a.FieldPath, prefix)
			if ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
				a.FieldPath = strings.TrimPrefix(rest, ".")
				item.Ambiguous = append(item.Ambiguous, a)
			}
		}
		item.readMeta()
		if item.APIVersion == "" || item.Kind == "" {
			out.notes = append(out.notes, (&Error{Path: list.File.Path, Line: n.Line(), Col: n.Column(),
				Msg: "skipped: list item without apiVersion/kind, so not a Kubernetes object"}).Error())
			continue
		}
		out.objects = append(out.objects, item)
	}
}

func (o *Object) readMeta() {
	o.APIVersion = o.String("apiVersion")
	o.Kind = o.String("kind")
	o.Name = o.String("metadata.name")
	o.Namespace = o.String("metadata.namespace")
}

func isNull(n ytree.Node) bool {
	if n.Kind() != ytree.ScalarNode || n.Style()&(ytree.DoubleQuotedStyle|ytree.SingleQuotedStyle|ytree.LiteralStyle|ytree.FoldedStyle) != 0 {
		return false
	}
	switch n.Value() {
	case "", "~", "null", "Null", "NULL":
		return true
	}
	return false
}

// readChunk parses one document of f into a tree with the file's
// positions: with ytree.Parse when the document is in the block YAML it
// reads, with yaml.v3 otherwise. A nil tree and nil error mean the chunk
// holds no document; tooDeep is set when the document nests deeper than
// maxDepth, and then the tree is nil.
func readChunk(f *File, ch chunk) (t *ytree.Tree, tooDeep *Error, err error) {
	var text string
	if ch.lineOffset >= 0 && ch.start+len(ch.data) <= len(f.Data) && len(ch.data) > 0 && &f.Data[ch.start] == &ch.data[0] {
		text = f.text[ch.start : ch.start+len(ch.data)]
	} else {
		text = string(ch.data)
	}
	if t, ok := ytree.Parse(text, ch.lineOffset+1); ok {
		return t, nil, nil
	}
	node, err := decodeChunk(ch.data)
	if err != nil || node == nil {
		return nil, nil, err
	}
	if deep := prepareTree(node, newLineMap(f, ch)); deep != nil {
		return nil, newError(f.Path, deep.Line, deep.Column, nil, "document nests deeper than %d levels; not read", maxDepth), nil
	}
	return ytree.FromYAML(node), nil, nil
}

// readText parses a document held in memory on its own (kustomize's
// output) as readChunk does; its positions are its own.
func readText(text []byte) (t *ytree.Tree, tooDeep bool, err error) {
	if t, ok := ytree.Parse(string(text), 1); ok {
		return t, false, nil
	}
	node, err := decodeChunk(text)
	if err != nil || node == nil {
		return nil, false, err
	}
	if deep := prepareTree(node, lineMap{}); deep != nil {
		return nil, true, nil
	}
	return ytree.FromYAML(node), false, nil
}

// decodeChunk parses one document with yaml.v3; nil, nil means it holds no
// document.
func decodeChunk(data []byte) (n *yaml.Node, err error) {
	defer func() {
		// yaml.v3 is not known to panic on any input, but a malformed
		// document must never take the run down.
		if r := recover(); r != nil {
			n, err = nil, errors.New("yaml: parser failure")
		}
	}()
	// Unmarshal parses from the byte slice, where a Decoder would copy it
	// through a reader; both read the first document only.
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		return nil, err
	}
	if node.Kind == 0 {
		return nil, nil
	}
	return &node, nil
}

// prepareTree makes a chunk's node positions those of the file and returns
// the first node nested deeper than maxDepth (aliases not followed), if
// any.
func prepareTree(root *yaml.Node, lines lineMap) (tooDeep *yaml.Node) {
	type entry struct {
		n     *yaml.Node
		depth int
	}
	stack := []entry{{root, 0}}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		e.n.Line, e.n.Column = lines.pos(e.n.Line, e.n.Column)
		if e.depth > maxDepth && tooDeep == nil {
			tooDeep = e.n
		}
		for i := len(e.n.Content) - 1; i >= 0; i-- {
			stack = append(stack, entry{e.n.Content[i], e.depth + 1})
		}
	}
	return tooDeep
}

// parserProblems are the messages of yaml.v3's parser (as opposed to its
// scanner). yaml.v3 prints the 0-based line of a parser error's mark and the
// 1-based line of a scanner error's, and no line at all on the first line,
// so the kind of error decides how to read "line N".
var parserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found undefined tag handle", "found duplicate %YAML directive", "found incompatible YAML document",
	"found duplicate %TAG directive",
}

// yamlError turns a parser error into an *Error with an absolute line and a
// hint for tab indentation.
func yamlError(f *File, ch chunk, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line, msg = n, rest[i+2:]
			}
		}
	}
	switch {
	case slices.Contains(parserProblems, msg):
		line++
	case line == 0:
		line = 1
		if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
			name, _, _ = strings.Cut(name, "'")
			if i := bytes.Index(ch.data, []byte("*"+name)); i >= 0 {
				line += bytes.Count(ch.data[:i], []byte{'\n'})
			}
		}
	}
	abs, _ := newLineMap(f, ch).pos(line, 1)
	col := 0
	text, _ := f.Line(abs)
	if strings.Contains(msg, "cannot start any token") || strings.HasPrefix(strings.TrimLeft(text, " "), "\t") {
		if i := strings.IndexByte(text, '\t'); i >= 0 {
			msg += " (tabs cannot indent YAML; use spaces)"
			col = utf8.RuneCountInString(text[:i]) + 1
		}
	}
	return newError(f.Path, abs, col, err, "invalid YAML: %s", msg)
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// chunkResult is what reading one document produced.
type chunkResult struct {
	err  error      // the document does not parse
	tmpl ytree.Node // the document is a template
	out  parsed
}

// parallelChunks is the number of documents from which a file's documents
// are read in parallel: one file holding a whole cluster dump would
// otherwise keep a single core busy.
const parallelChunks = 64

// parseChunks reads every document of a file. Document indexes count every
// document except an empty prelude before the first "---"; results come
// back in document order whatever the parallelism.
func parseChunks(f *File, chunks []chunk) []chunkResult {
	results := make([]chunkResult, len(chunks))
	read := func(ci, doc int) (empty bool) {
		t, deep, err := readChunk(f, chunks[ci])
		r := &results[ci]
		switch {
		case err != nil:
			r.err = err
		case deep != nil:
			r.out.errs = append(r.out.errs, deep)
		case t == nil:
			return true
		default:
			r.tmpl = r.out.addDocument(f, doc, t.Root())
		}
		return false
	}
	if len(chunks) == 0 {
		return results
	}
	// The first document decides whether there is an empty prelude.
	skip := 0
	if read(0, 0) && !chunks[0].separated {
		skip = 1
	}
	workers := 1
	if len(chunks) >= parallelChunks {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	next.Store(1)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ci := int(next.Add(1)) - 1
				if ci >= len(chunks) {
					return
				}
				read(ci, ci-skip)
			}
		}()
	}
	wg.Wait()
	return results
}
