// Package ytree holds parsed YAML documents in a compact, read-only form:
// one slice of 16-byte nodes per document, scalar values kept as offsets
// into the document's text (or, for values that are not verbatim in it, into
// one string of such values). A yaml.v3 node tree costs about 170 bytes a
// node and keeps comments, anchors and resolved tags nobody reads; a Tree
// keeps what the loader needs: kinds, styles, explicit tags, values,
// aliases and positions.
//
// Parse reads the block YAML that manifests are written in straight into a
// Tree; FromYAML converts a yaml.v3 tree, for everything Parse declines.
package ytree

import (
	"strings"
	"unsafe"
)

// Kind is the kind of a node. The values are yaml.v3's.
type Kind uint8

// The kinds of nodes. A Tree has no document node: its root is the
// document's content.
const (
	SequenceNode Kind = 2
	MappingNode  Kind = 4
	ScalarNode   Kind = 8
	AliasNode    Kind = 16
)

// Style is a node's style bits. The values are yaml.v3's.
type Style uint8

// The style bits.
const (
	TaggedStyle       Style = 1 << 0
	DoubleQuotedStyle Style = 1 << 1
	SingleQuotedStyle Style = 1 << 2
	LiteralStyle      Style = 1 << 3
	FoldedStyle       Style = 1 << 4
	FlowStyle         Style = 1 << 5
)

// Tree is one parsed document. It is immutable once built and safe for
// concurrent reads.
type Tree struct {
	// text is the document's source; scalar values written verbatim are
	// ranges of it.
	text string
	// extra holds the values that are not verbatim in text (escapes,
	// block scalars, values converted from yaml.v3).
	extra string
	nodes []node
	// kids holds the children of every collection, each collection's
	// contiguous: a mapping's keys and values alternate.
	kids []int32
	// tags are the explicit tags written in the document, by node.
	tags map[int32]string
	// wide holds the columns of nodes that start at column 65535 or
	// later, which node.col cannot hold.
	wide map[int32]int32
}

// node is one node, 16 bytes. For a scalar, a and b are its value's offset
// and length (in extra when a has inExtra set, else in text); for a
// collection, its first child's index in kids and its number of children;
// for an alias, a is its target's index plus one (0: unknown anchor).
type node struct {
	a, b  uint32
	line  int32
	col   uint16 // wideCol: see Tree.wide
	kind  Kind
	style Style
}

// wideCol marks a column held in Tree.wide.
const wideCol = 1<<16 - 1

// inExtra marks a scalar's offset as one into Tree.extra.
const inExtra = 1 << 31

// Node is a reference to one node of a Tree. The zero Node is no node:
// IsZero reports true and every accessor returns a zero value.
type Node struct {
	t *Tree
	i int32
}

// Root returns the document's content node, or the zero Node for an empty
// document.
func (t *Tree) Root() Node {
	if t == nil || len(t.nodes) == 0 {
		return Node{}
	}
	return Node{t, 0}
}

// Len returns the number of nodes in the tree.
func (t *Tree) Len() int { return len(t.nodes) }

// IsZero reports whether n is no node.
func (n Node) IsZero() bool { return n.t == nil }

func (n Node) node() *node { return &n.t.nodes[n.i] }

// Kind returns the node's kind, or 0 for the zero Node.
func (n Node) Kind() Kind {
	if n.t == nil {
		return 0
	}
	return n.node().kind
}

// Style returns the node's style bits.
func (n Node) Style() Style {
	if n.t == nil {
		return 0
	}
	return n.node().style
}

// Tag returns the tag written in the source in yaml.v3's short form
// ("!!str", "!foo"), or "" when none was written (Style has TaggedStyle
// exactly when a tag was written).
func (n Node) Tag() string {
	if n.t == nil || n.node().style&TaggedStyle == 0 {
		return ""
	}
	return n.t.tags[n.i]
}

// Value returns a scalar's value ("" for other kinds).
func (n Node) Value() string {
	if n.t == nil {
		return ""
	}
	nd := n.node()
	if nd.kind != ScalarNode {
		return ""
	}
	if nd.a&inExtra != 0 {
		off := nd.a &^ inExtra
		return n.t.extra[off : off+nd.b]
	}
	return n.t.text[nd.a : nd.a+nd.b]
}

// Line returns the node's 1-based line.
func (n Node) Line() int {
	if n.t == nil {
		return 0
	}
	return int(n.node().line)
}

// Column returns the node's 1-based column, counted in Unicode code points.
func (n Node) Column() int {
	if n.t == nil {
		return 0
	}
	if c := n.node().col; c != wideCol {
		return int(c)
	}
	return int(n.t.wide[n.i])
}

// Len returns the number of children of a collection: for a mapping,
// twice the number of entries. It is 0 for scalars and aliases.
func (n Node) Len() int {
	if n.t == nil {
		return 0
	}
	switch nd := n.node(); nd.kind {
	case MappingNode, SequenceNode:
		return int(nd.b)
	}
	return 0
}

// Child returns the i-th child of a collection. For a mapping, even
// indexes are keys and odd ones their values.
func (n Node) Child(i int) Node {
	nd := n.node()
	if i < 0 || i >= n.Len() {
		panic("ytree: child index out of range")
	}
	return Node{n.t, n.t.kids[int(nd.a)+i]}
}

// Alias returns an alias's target, or the zero Node when n is not an alias
// or its anchor is unknown.
func (n Node) Alias() Node {
	if n.t == nil {
		return Node{}
	}
	nd := n.node()
	if nd.kind != AliasNode || nd.a == 0 {
		return Node{}
	}
	return Node{n.t, int32(nd.a - 1)}
}

// Resolve follows aliases (at most 16 steps) and returns the node they end
// at: the zero Node for an alias to nothing, an alias node when the chain
// is longer.
func (n Node) Resolve() Node {
	for i := 0; i < 16 && n.Kind() == AliasNode; i++ {
		n = n.Alias()
	}
	return n
}

// IsMergeKey reports whether n is a YAML 1.1 merge key: a plain "<<", or a
// scalar tagged !!merge, as yaml.v3 resolves it.
func (n Node) IsMergeKey() bool {
	if n.Kind() != ScalarNode || n.Style()&^TaggedStyle != 0 {
		return false
	}
	if n.Style()&TaggedStyle != 0 {
		return n.Tag() == "!!merge"
	}
	return n.Value() == "<<"
}

// Same reports whether a and b are the same node of the same tree.
func Same(a, b Node) bool { return a.t == b.t && (a.t == nil || a.i == b.i) }

// add appends a node and returns its index.
func (t *Tree) add(kind Kind, style Style, line, col int32) int32 {
	i := int32(len(t.nodes))
	c := uint16(wideCol)
	if col >= 0 && col < wideCol {
		c = uint16(col)
	} else {
		if t.wide == nil {
			t.wide = map[int32]int32{}
		}
		t.wide[i] = col
	}
	t.nodes = append(t.nodes, node{kind: kind, style: style, line: line, col: c})
	return i
}

// setText makes s, a range of t.text, the value of scalar i. A string
// that is not a range of text goes to extra instead (appended to buf,
// which finishExtra turns into extra).
func (t *Tree) setText(i int32, s string, buf *strings.Builder) {
	if off, ok := t.offsetOf(s); ok {
		t.nodes[i].a, t.nodes[i].b = off, uint32(len(s))
		return
	}
	t.nodes[i].a, t.nodes[i].b = uint32(buf.Len())|inExtra, uint32(len(s))
	buf.WriteString(s)
}

// offsetOf returns the offset of s within t.text when s is a range of it.
func (t *Tree) offsetOf(s string) (uint32, bool) {
	if len(s) == 0 {
		return 0, true
	}
	if len(t.text) == 0 || len(t.text) >= inExtra {
		return 0, false
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(t.text)))
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	if p < base || p+uintptr(len(s)) > base+uintptr(len(t.text)) {
		return 0, false
	}
	return uint32(p - base), true
}

// setExtra makes extra[start:end] the value of scalar i.
func (t *Tree) setExtra(i int32, start, end int) {
	t.nodes[i].a, t.nodes[i].b = uint32(start)|inExtra, uint32(end-start)
}

// setKids makes kids the children of collection i.
func (t *Tree) setKids(i int32, kids []int32) {
	t.nodes[i].a = uint32(len(t.kids))
	t.nodes[i].b = uint32(len(kids))
	t.kids = append(t.kids, kids...)
}

// setAlias makes target the target of alias i.
func (t *Tree) setAlias(i, target int32) { t.nodes[i].a = uint32(target) + 1 }

// setTag records the explicit tag of node i, whose style has TaggedStyle.
func (t *Tree) setTag(i int32, tag string) {
	if t.tags == nil {
		t.tags = map[int32]string{}
	}
	t.tags[i] = tag
}

// Single returns a tree of one empty collection of kind at line and col,
// the position given to objects that have no node of their own (a
// kustomize output traced to no source).
func Single(kind Kind, line, col int) *Tree {
	t := &Tree{}
	t.add(kind, 0, int32(line), int32(col))
	return t
}
