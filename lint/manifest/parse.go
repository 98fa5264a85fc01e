package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// parsed is what reading one file produced.
type parsed struct {
	objects []*Object
	errs    []*Error
	notes   []string
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// parseFile reads every object in f. isJSON selects JSON syntax checking
// (JSON files are checked with encoding/json first, so a trailing comma is an
// error, then read with the YAML parser for positions).
func parseFile(f *File, isJSON bool) parsed {
	var out parsed
	data := f.Data
	if len(bytes.TrimSpace(data)) == 0 {
		out.errs = append(out.errs, newError(f.Path, 0, 0, nil, "file is empty"))
		return out
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := f.LineOf(i)
		out.errs = append(out.errs, newError(f.Path, line, col, nil, "binary file (NUL byte); not a YAML or JSON manifest"))
		return out
	}
	if !utf8.Valid(data) {
		off := firstInvalidUTF8(data)
		line, col := f.LineOf(off)
		out.errs = append(out.errs, newError(f.Path, line, col, nil, "invalid UTF-8 (byte 0x%02x); manifests must be UTF-8", data[off]))
		return out
	}
	var chunks []chunk
	if isJSON {
		var err *Error
		chunks, err = jsonChunks(f)
		if err != nil {
			out.errs = append(out.errs, err)
			return out
		}
	} else {
		chunks = yamlChunks(data)
	}
	doc := 0
	for ci, ch := range chunks {
		node, err := decodeChunk(ch.data)
		if err != nil {
			out.errs = append(out.errs, yamlError(f, ch, err))
			doc++
			continue
		}
		if node == nil {
			if ci > 0 || ch.separated {
				doc++
			}
			continue
		}
		shiftLines(node, ch.lineOffset, ch.colOffset)
		out.addDocument(f, doc, node)
		doc++
	}
	return out
}

func (out *parsed) addDocument(f *File, doc int, node *yaml.Node) {
	if node.Kind == yaml.DocumentNode {
		if len(node.Content) == 0 {
			return
		}
		node = node.Content[0]
	}
	if isNull(node) {
		return
	}
	if node.Kind != yaml.MappingNode {
		out.notes = append(out.notes, (&Error{Path: f.Path, Line: node.Line, Col: node.Column,
			Msg: "skipped: document is not a mapping, so not a Kubernetes object"}).Error())
		return
	}
	c := newConverter(f.Path)
	v := c.convert(node)
	out.errs = append(out.errs, c.errs...)
	if c.fatal != nil {
		out.errs = append(out.errs, c.fatal)
		return
	}
	m, _ := v.(map[string]any)
	obj := &Object{File: f, Doc: doc, Item: -1, Node: node, Map: m, Ambiguous: c.ambiguous}
	obj.readMeta()
	if obj.APIVersion == "" || obj.Kind == "" {
		out.notes = append(out.notes, (&Error{Path: f.Path, Line: node.Line, Col: node.Column,
			Msg: "skipped: no apiVersion/kind, so not a Kubernetes object"}).Error())
		return
	}
	if items, ok := listItems(obj); ok {
		out.objects = append(out.objects, items...)
		return
	}
	out.objects = append(out.objects, obj)
}

// listItems unwraps `kind: List` and every `*List` kind with an items
// sequence, as kubectl does; each item keeps its own position.
func listItems(obj *Object) ([]*Object, bool) {
	if !strings.HasSuffix(obj.Kind, "List") {
		return nil, false
	}
	raw, ok := obj.Map["items"].([]any)
	if !ok {
		return nil, false
	}
	seq := obj.ValueNode("items")
	if seq == nil || seq.Kind != yaml.SequenceNode || len(seq.Content) != len(raw) {
		return nil, false
	}
	var out []*Object
	for i, it := range raw {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		n := resolveAlias(seq.Content[i])
		if n == nil || n.Kind != yaml.MappingNode {
			continue
		}
		item := &Object{File: obj.File, Doc: obj.Doc, Item: i, Node: n, Map: m}
		prefix := "items[" + strconv.Itoa(i) + "]"
		for _, a := range obj.Ambiguous {
			if rest, ok := strings.CutPrefix(a.FieldPath, prefix); ok {
				a.FieldPath = strings.TrimPrefix(rest, ".")
				item.Ambiguous = append(item.Ambiguous, a)
			}
		}
		item.readMeta()
		out = append(out, item)
	}
	return out, true
}

func (o *Object) readMeta() {
	o.APIVersion, _ = o.Map["apiVersion"].(string)
	o.Kind, _ = o.Map["kind"].(string)
	if md, ok := o.Map["metadata"].(map[string]any); ok {
		o.Name, _ = md["name"].(string)
		o.Namespace, _ = md["namespace"].(string)
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 &&
		(n.Value == "" || n.Value == "~" || n.Value == "null" || n.Value == "Null" || n.Value == "NULL")
}

// chunk is one document's text with the offset of its first line.
type chunk struct {
	data       []byte
	lineOffset int
	colOffset  int
	separated  bool // starts with a "---" line
}

// yamlChunks splits a YAML stream at "---" lines, keeping each separator
// with the document it opens so that positions can be made absolute. A
// leading prelude of directives and comments stays with the first document.
func yamlChunks(data []byte) []chunk {
	var chunks []chunk
	start, startLine, line := 0, 0, 0
	preludeOnly := true
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		l := data[off:next]
		if isSeparator(l) && off > start {
			if !(len(chunks) == 0 && preludeOnly) {
				chunks = append(chunks, chunk{data: data[start:off], lineOffset: startLine, separated: len(chunks) > 0 || bytes.HasPrefix(data[start:], []byte("---"))})
				start, startLine = off, line
			}
			preludeOnly = false
		} else if len(chunks) == 0 && preludeOnly {
			t := bytes.TrimSpace(l)
			if len(t) > 0 && t[0] != '#' && t[0] != '%' {
				preludeOnly = false
			}
		}
		off = next
		line++
	}
	if start < len(data) || len(chunks) == 0 {
		chunks = append(chunks, chunk{data: data[start:], lineOffset: startLine, separated: bytes.HasPrefix(data[start:], []byte("---"))})
	}
	return chunks
}

func isSeparator(l []byte) bool {
	if !bytes.HasPrefix(l, []byte("---")) {
		return false
	}
	return len(l) == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\n' || l[3] == '\r'
}

// jsonChunks checks JSON syntax with encoding/json (which, unlike YAML,
// refuses trailing commas) and returns each top-level value as a chunk.
func jsonChunks(f *File) ([]chunk, *Error) {
	data := f.Data
	if bytes.HasPrefix(data, utf8BOM) {
		data = data[len(utf8BOM):]
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var chunks []chunk
	for {
		var raw json.RawMessage
		before := dec.InputOffset()
		err := dec.Decode(&raw)
		if err == io.EOF {
			break
		}
		if err != nil {
			off := int(dec.InputOffset())
			var se *json.SyntaxError
			if errors.As(err, &se) {
				off = int(se.Offset) - 1
			}
			if off < 0 {
				off = 0
			}
			line, col := f.LineOf(off + (len(f.Data) - len(data)))
			return nil, newError(f.Path, line, col, err, "invalid JSON: %v", err)
		}
		// Skip whitespace before the value to find where it starts.
		start := int(before)
		for start < len(data) && (data[start] == ' ' || data[start] == '\n' || data[start] == '\r' || data[start] == '\t') {
			start++
		}
		endOff := int(dec.InputOffset())
		line, col := f.LineOf(start + (len(f.Data) - len(data)))
		// Raw tabs cannot occur inside valid JSON strings, so replacing
		// them keeps the YAML reader from refusing tab indentation.
		text := bytes.ReplaceAll(data[start:endOff], []byte{'\t'}, []byte{' '})
		text = append(bytes.Repeat([]byte{' '}, col-1), text...)
		chunks = append(chunks, chunk{data: text, lineOffset: line - 1})
	}
	return chunks, nil
}

// decodeChunk parses one document; nil, nil means it holds no document.
func decodeChunk(data []byte) (n *yaml.Node, err error) {
	defer func() {
		// yaml.v3 is not known to panic on any input, but a malformed
		// document must never take the run down.
		if r := recover(); r != nil {
			n, err = nil, errors.New("yaml: parser failure")
		}
	}()
	var node yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&node); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, err
	}
	return &node, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlError turns a parser error into an *Error with an absolute line and a
// hint for the common causes: tabs and Helm templates.
func yamlError(f *File, ch chunk, err error) *Error {
	msg := err.Error()
	line := 0
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	abs := 0
	if line > 0 {
		abs = line + ch.lineOffset
	}
	if abs == 0 {
		abs = ch.lineOffset + 1
	}
	text, _ := f.Line(abs)
	switch {
	case bytes.Contains(f.Data, []byte("{{")):
		msg = "looks like a Helm or Go template, not a manifest: render it first (helm template ...): " + msg
	case strings.Contains(text, "\t") || strings.Contains(msg, "cannot start any token") && bytes.Contains(ch.data, []byte("\t")):
		msg += " (tabs cannot indent YAML; use spaces)"
	}
	return newError(f.Path, abs, 0, err, "invalid YAML: %s", msg)
}

// shiftLines makes a chunk's node positions absolute in the file.
func shiftLines(n *yaml.Node, lines, cols int) {
	if lines == 0 && cols == 0 {
		return
	}
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x.Line += lines
		stack = append(stack, x.Content...)
	}
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
