package manifest

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest/internal/ytree"
)

// Object is one Kubernetes object read from a source, with its position.
// Objects are read-only once Load returns.
type Object struct {
	// File is the source the object came from. For a kustomize build's
	// output it is the original file (a resource, or the kustomization
	// that generated it), so that positions are those of the text the
	// user wrote.
	File *File
	// Doc is the 0-based index of the YAML document within the file.
	Doc int
	// Item is the 0-based index within a list document's items (kind:
	// List, ConfigMapList, ...), or -1 for a top-level document.
	Item int
	// node is the object's mapping node. Its line numbers are absolute
	// within File. For a generated kustomize object it is the generator's
	// entry in the kustomization.
	node ytree.Node
	// APIVersion, Kind, Namespace and Name are read from Map; Namespace
	// is "" when the object does not set one.
	APIVersion, Kind, Namespace, Name string
	// Ambiguous lists the plain scalars that YAML 1.1 (Kubernetes) and
	// YAML 1.2 read differently, located in File.
	Ambiguous []AmbiguousValue
	// Origin, for objects produced by a kustomize build, is the
	// kustomization directory (relative to the working directory, '/'
	// separated); empty otherwise.
	Origin string
	// plain is the object's plain data (see Map). When fromNode is set
	// it is converted from node on first use (guarded by plainOnce), so
	// objects nobody reads as plain data never hold a second copy of
	// themselves.
	plain     map[string]any
	plainOnce sync.Once
	// fromNode is set when plain is derived from node, so fields can be
	// read from node without converting it.
	fromNode bool
	// plainNodes is set when Node maps one to one onto Map: no merge
	// keys, duplicate keys or keys Map drops (see PlainRoot).
	plainNodes bool
}

// Plain is a read-only view of one value of an object's plain data (see
// Object.Map), read from the YAML nodes without building the map.
type Plain struct {
	n ytree.Node // resolved through aliases; zero for an alias to nothing
}

// PlainRoot returns a view of the object's plain data read from Node, and
// false when Map cannot be read that way (kustomize output, list items,
// documents with merge keys, duplicate keys or keys Map drops).
func (o *Object) PlainRoot() (Plain, bool) {
	if !o.fromNode || !o.plainNodes {
		return Plain{}, false
	}
	return Plain{o.node.Resolve()}, true
}

// IsNull reports whether the value is null (nil in Map).
func (p Plain) IsNull() bool {
	if p.n.IsZero() || p.n.Kind() == ytree.AliasNode {
		return true
	}
	if p.n.Kind() != ytree.ScalarNode {
		return false
	}
	switch p.n.Value() {
	case "", "~", "null", "Null", "NULL":
		return scalarValue(p.n) == nil
	}
	return false // resolve11 reads only these words as null
}

// String returns the value when it is a string.
func (p Plain) String() (string, bool) {
	return stringValue(p.n)
}

// IsList reports whether the value is a list ([]any in Map).
func (p Plain) IsList() bool { return p.n.Kind() == ytree.SequenceNode }

// IsMap reports whether the value is a mapping (map[string]any in Map).
func (p Plain) IsMap() bool { return p.n.Kind() == ytree.MappingNode }

// Len is the length of a list, or 0.
func (p Plain) Len() int {
	if !p.IsList() {
		return 0
	}
	return p.n.Len()
}

// Index returns the i-th element of a list.
func (p Plain) Index(i int) Plain { return Plain{p.n.Child(i).Resolve()} }

// Range calls f with every entry of a mapping, in the order written, until
// f returns false; it reports whether every call returned true. Keys are
// those of Map.
func (p Plain) Range(f func(key string, v Plain) bool) bool {
	if !p.IsMap() {
		return true
	}
	var c converter
	for i := 0; i+1 < p.n.Len(); i += 2 {
		key, ok := c.key(p.n.Child(i))
		if !ok {
			continue
		}
		if !f(key, Plain{p.n.Child(i + 1).Resolve()}) {
			return false
		}
	}
	return true
}

// Value returns the value as Map holds it, built afresh.
func (p Plain) Value() any {
	if p.n.IsZero() || p.n.Kind() == ytree.AliasNode {
		return nil
	}
	c := newConverter("")
	c.unbounded = true
	return c.convert(p.n)
}

// Map returns the object as kubectl would send it: plain scalars resolved
// with YAML 1.1 rules (yes/on are booleans, 0777 is octal), aliases
// expanded, ints as int64, floats as float64. For a kustomize build it is
// kustomize's output (namespace, prefixes and patches applied). The map is
// built on first use and shared by every caller: it is read-only.
func (o *Object) Map() map[string]any {
	if o.fromNode {
		o.plainOnce.Do(func() {
			o.plain, _ = newConverter(o.File.Path).convert(o.node).(map[string]any)
		})
	}
	return o.plain
}

// setMap makes m the object's plain data.
func (o *Object) setMap(m map[string]any) {
	o.plain = m
	o.fromNode = false
}

// setLazyMap makes the object's plain data the conversion of its node,
// done on first use. The document was validated when it was read, so the
// conversion reports nothing new.
func (o *Object) setLazyMap() {
	o.fromNode = true
}

// String returns the string at a field path of keys (no indexes), or ""
// when the field is absent or not a string. It reads Node when it can, so
// it does not build Map.
func (o *Object) String(fieldPath string) string {
	if o.fromNode {
		if n, simple := o.fieldNode(fieldPath); simple {
			s, _ := stringValue(n)
			return s
		}
	}
	v, _ := lookupPath(o.Map(), fieldPath)
	s, _ := v.(string)
	return s
}

// StringMap returns the string-valued entries of the mapping at a field
// path of keys (no indexes), such as "metadata.labels"; nil when the field
// is absent or not a mapping. It reads Node when it can, so it does not
// build Map.
func (o *Object) StringMap(fieldPath string) map[string]string {
	if o.fromNode {
		if n, simple := o.fieldNode(fieldPath); simple {
			if out, simple := stringMapOf(n); simple {
				return out
			}
		}
	}
	v, _ := lookupPath(o.Map(), fieldPath)
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		if s, ok := x.(string); ok {
			out[k] = s
		}
	}
	return out
}

// hasField reports whether the top-level mapping has key, as Map would.
func (o *Object) hasField(key string) bool {
	if o.fromNode {
		if n, simple := mapField(o.node, key); simple {
			return !n.IsZero()
		}
	}
	_, ok := o.Map()[key]
	return ok
}

// fieldNode returns the value node at a path of keys, resolved through
// aliases, or nil when absent; simple is false when Node alone cannot tell
// what Map holds there (merge keys, keys that are not scalars).
func (o *Object) fieldNode(fieldPath string) (n ytree.Node, simple bool) {
	if fieldPath != "" && !strings.ContainsAny(fieldPath, `[]"`) {
		// Plain dotted keys, the usual case: no steps to allocate.
		n = o.node
		for rest := fieldPath; ; {
			key, tail, more := strings.Cut(rest, ".")
			if key == "" {
				if !more {
					return n, true
				}
				rest = tail
				continue
			}
			if n, simple = mapField(n, key); !simple || n.IsZero() {
				return ytree.Node{}, simple
			}
			if !more {
				return n, true
			}
			rest = tail
		}
	}
	steps, ok := ParsePath(fieldPath)
	if !ok {
		return ytree.Node{}, false
	}
	n = o.node
	for _, st := range steps {
		if st.Index >= 0 {
			return ytree.Node{}, false
		}
		if n, simple = mapField(n, st.Key); !simple || n.IsZero() {
			return ytree.Node{}, simple
		}
	}
	return n, true
}

// mapField returns the value node Map would hold for key in the mapping n
// (the last one written), resolved through aliases; nil when n is not a
// mapping or lacks key. simple is false when that cannot be told from the
// nodes alone.
func mapField(n ytree.Node, key string) (v ytree.Node, simple bool) {
	n = n.Resolve()
	if n.IsZero() || n.Kind() == ytree.AliasNode {
		return ytree.Node{}, false
	}
	if n.Kind() != ytree.MappingNode {
		return ytree.Node{}, true
	}
	for i := 0; i+1 < n.Len(); i += 2 {
		k := n.Child(i)
		if k.Kind() != ytree.ScalarNode || k.IsMergeKey() {
			return ytree.Node{}, false
		}
		if keyIs(k, key) {
			v = n.Child(i + 1)
		}
	}
	if v.IsZero() {
		return v, true
	}
	v = v.Resolve()
	if v.IsZero() || v.Kind() == ytree.AliasNode {
		return ytree.Node{}, false
	}
	return v, true
}

// stringValue returns the value of a (resolved) node when Map holds a
// string for it.
func stringValue(n ytree.Node) (string, bool) {
	if n.Kind() != ytree.ScalarNode {
		return "", false
	}
	if s, ok := stringScalar(n); ok {
		return s, true
	}
	s, ok := scalarValue(n).(string)
	return s, ok
}

// stringMapOf is StringMap over a resolved node.
func stringMapOf(n ytree.Node) (out map[string]string, simple bool) {
	if n.Kind() != ytree.MappingNode {
		return nil, true
	}
	out = make(map[string]string, n.Len()/2)
	for i := 0; i+1 < n.Len(); i += 2 {
		k := n.Child(i)
		if k.Kind() != ytree.ScalarNode || k.IsMergeKey() {
			return nil, false
		}
		key, ok := (&converter{}).key(k)
		if !ok {
			continue
		}
		v := n.Child(i + 1).Resolve()
		if v.Kind() == ytree.AliasNode {
			return nil, false
		}
		if s, ok := stringValue(v); ok {
			out[key] = s
		} else {
			delete(out, key)
		}
	}
	return out, true
}

// AmbiguousValue is a plain scalar that Kubernetes' YAML 1.1 decoder reads as
// a different type or value than a YAML 1.2 reader does.
type AmbiguousValue struct {
	// FieldPath is where the value sits, as accepted by Object.Locate.
	FieldPath string
	// Value is the scalar as written.
	Value string
	// AsYAML11 is how Kubernetes reads it ("boolean true", "integer 511").
	AsYAML11 string
	// AsYAML12 is how a YAML 1.2 reader reads it ("string \"yes\"").
	AsYAML12 string
	// Line and Col locate the value.
	Line, Col int
}

// Position returns the location of the object itself: the start of its
// mapping.
func (o *Object) Position() finding.Location {
	return finding.Location{Path: o.File.Path, Line: o.node.Line(), Col: o.node.Column()}
}

// Ref returns the reference used in findings.
func (o *Object) Ref() finding.ObjectRef {
	return finding.ObjectRef{APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name}
}

// Locate resolves a field path such as
// "spec.template.spec.containers[0].securityContext.privileged" or
// `metadata.annotations["kubeplan.dev/ignore"]` to the location of its key
// (for a sequence element, of the element). When the field is absent it
// returns the location of the nearest existing parent, which is where a fix
// goes, and exact=false. An empty path locates the object.
func (o *Object) Locate(fieldPath string) (loc finding.Location, exact bool) {
	loc = o.Position()
	node := o.node
	steps, ok := ParsePath(fieldPath)
	if !ok {
		return loc, false
	}
	for _, st := range steps {
		node = node.Resolve()
		switch {
		case st.Index >= 0:
			if node.Kind() != ytree.SequenceNode || st.Index >= node.Len() {
				return loc, false
			}
			node = node.Child(st.Index)
			loc = spanOf(o.File.Path, node)
		default:
			if node.Kind() != ytree.MappingNode {
				return loc, false
			}
			var next ytree.Node
			for i := 0; i+1 < node.Len(); i += 2 {
				if k := node.Child(i); keyIs(k, st.Key) {
					loc = spanOf(o.File.Path, k)
					next = node.Child(i + 1)
					break
				}
			}
			if next.IsZero() {
				return loc, false
			}
			node = next
		}
	}
	return loc, true
}

// ValueSpan describes where the value at a field path is written.
type ValueSpan struct {
	// Line and Col locate the value's first character (for a block
	// scalar, its "|" or ">" indicator).
	Line, Col int
	// Block is set for a block scalar ("|" or ">"), whose text starts on
	// the next line.
	Block bool
	// Value is the scalar's value; "" for a collection.
	Value string
}

// ValueAt returns where the value at fieldPath is written, and false when
// it is absent.
func (o *Object) ValueAt(fieldPath string) (ValueSpan, bool) {
	n := o.valueNode(fieldPath)
	if n.IsZero() {
		return ValueSpan{}, false
	}
	return ValueSpan{Line: n.Line(), Col: n.Column(), Value: n.Value(),
		Block: n.Style()&(ytree.LiteralStyle|ytree.FoldedStyle) != 0}, true
}

// valueNode returns the node at fieldPath, or the zero node when it is
// absent.
func (o *Object) valueNode(fieldPath string) ytree.Node {
	steps, ok := ParsePath(fieldPath)
	if !ok {
		return ytree.Node{}
	}
	node := o.node
	for _, st := range steps {
		node = node.Resolve()
		if node.IsZero() {
			return node
		}
		if st.Index >= 0 {
			if node.Kind() != ytree.SequenceNode || st.Index >= node.Len() {
				return ytree.Node{}
			}
			node = node.Child(st.Index)
			continue
		}
		if node.Kind() != ytree.MappingNode {
			return ytree.Node{}
		}
		var next ytree.Node
		for i := 0; i+1 < node.Len(); i += 2 {
			if keyIs(node.Child(i), st.Key) {
				next = node.Child(i + 1)
				break
			}
		}
		if next.IsZero() {
			return next
		}
		node = next
	}
	return node.Resolve()
}

// keyIs reports whether a mapping key node stands for key in Map, where
// plain keys carry their YAML 1.1 reading (a key written n is "false").
func keyIs(k ytree.Node, key string) bool {
	if k.Value() == key {
		return true
	}
	if k.Kind() != ytree.ScalarNode || k.Style()&^ytree.TaggedStyle != 0 {
		return false
	}
	var c converter
	got, ok := c.key(k)
	return ok && got == key
}

// spanOf is the location of a node: for a scalar, the whole scalar on its
// first line; otherwise just its start.
func spanOf(path string, n ytree.Node) finding.Location {
	loc := finding.Location{Path: path, Line: n.Line(), Col: n.Column()}
	if n.Kind() == ytree.ScalarNode && n.Style() == 0 && !strings.Contains(n.Value(), "\n") {
		loc.EndLine = n.Line()
		loc.EndCol = n.Column() + utf8.RuneCountInString(n.Value())
	}
	return loc
}

// PathStep is one step of a field path: a map key, or a sequence index when
// Index >= 0.
type PathStep struct {
	Key   string
	Index int
}

// ParsePath splits a field path into steps. Keys are separated by '.';
// "[N]" indexes a sequence; `["a.b/c"]` or `[a.b/c]` is a key containing dots.
// It reports false for a malformed path.
func ParsePath(p string) ([]PathStep, bool) {
	var steps []PathStep
	for i := 0; i < len(p); {
		switch p[i] {
		case '.':
			i++
		case '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, false
			}
			inner := p[i+1 : i+end]
			// A quoted key may contain ']'.
			if strings.HasPrefix(inner, `"`) {
				q := strings.Index(p[i+2:], `"]`)
				if q < 0 {
					return nil, false
				}
				inner = p[i+1 : i+2+q+1]
				end = q + 3
				k, err := strconv.Unquote(inner)
				if err != nil {
					return nil, false
				}
				steps = append(steps, PathStep{Key: k, Index: -1})
			} else if n, err := strconv.Atoi(inner); err == nil && n >= 0 {
				steps = append(steps, PathStep{Index: n})
			} else {
				steps = append(steps, PathStep{Key: inner, Index: -1})
			}
			i += end + 1
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			steps = append(steps, PathStep{Key: p[i:j], Index: -1})
			i = j
		}
	}
	return steps, true
}

// JoinKey appends a map key to a field path, bracketing keys that contain
// '.', '[' or ']'.
func JoinKey(path, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]\"") {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// JoinIndex appends a sequence index to a field path.
func JoinIndex(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
