package ytree

import (
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// maxDepth is the deepest nesting of collections Parse reads; deeper
// documents are left to yaml.v3.
const maxDepth = 200

// maxKeyLen bounds an implicit key's length in bytes. yaml.v3 refuses a key
// whose ':' is more than 1024 characters past its start; a byte bound below
// that is always safe.
const maxKeyLen = 1000

// Parse reads one YAML document. doc is the document's text (a chunk of a
// file: it starts at the beginning of a line and may start with a "---" line,
// comments, blank lines); firstLine is the 1-based line in the file of doc's
// first line. Node lines are absolute (firstLine-based); columns are 1-based
// and counted in Unicode code points, as yaml.v3 counts them. It returns
// ok=false when the document uses anything Parse does not handle or is not
// valid YAML; the caller then parses it with yaml.v3. An empty document
// (only blank lines, comments, a "---" line) gives (nil, true).
//
// For every document it accepts, the tree is node for node the one FromYAML
// builds from yaml.v3's parse of doc (lines shifted by firstLine-1). Plain
// scalars and quoted scalars without escapes are substrings of doc; other
// values are new strings.
func Parse(doc string, firstLine int) (t *Tree, ok bool) {
	t, why := parse(doc, firstLine)
	return t, why == ""
}

// parse is Parse that also says why it declined: the reason is "" when
// the document was read (the tree is nil when it is empty), and a short
// phrase otherwise (for tests and measurements).
func parse(doc string, firstLine int) (*Tree, string) {
	if firstLine < 0 || firstLine >= 1<<30 {
		return nil, "line number out of range"
	}
	p := parser{src: doc, lineBase: int32(firstLine), colLine: -1}
	if !p.scan() {
		return nil, p.why
	}
	p.loadLine(0)
	if !p.prelude() {
		return nil, p.why
	}
	if p.ind < 0 {
		return nil, ""
	}
	// The nodes are read into scratch slices reused from document to
	// document, then copied at their exact size: growing or trimming
	// each tree's slices would leave as much garbage as the tree itself.
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	p.t = &Tree{text: doc, nodes: sc.nodes[:0], kids: sc.kids[:0]}
	p.stack = sc.stack[:0]
	read := func() bool {
		if _, ok := p.blockNode(-1, true); !ok {
			return false
		}
		if p.ind >= 0 {
			return p.fail("content after the document's node")
		}
		return true
	}
	ok := read()
	sc.nodes, sc.kids, sc.stack = p.t.nodes, p.t.kids, p.stack
	if !ok {
		return nil, p.why
	}
	p.t.nodes = append(make([]node, 0, len(p.t.nodes)), p.t.nodes...)
	p.t.kids = append(make([]int32, 0, len(p.t.kids)), p.t.kids...)
	p.fixValues()
	return p.t, ""
}

// scratch holds the slices a parse grows, kept between parses.
type scratch struct {
	nodes []node
	kids  []int32
	stack []int32
}

// scratchPool lends scratch slices to parses, one per concurrent parse.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// parser reads one document. The cursor is a byte offset within the
// current line; node parsers start at a node's first character and return
// with the cursor on the first character of the next line holding content
// (ind is that line's indentation), or with ind -1 at the end of the
// document.
type parser struct {
	src      string
	lineBase int32 // line number of the document's first line

	ls, le, nl int   // current line: start, end (before "\r\n" or "\n"), next line's start
	ln         int32 // current line, 0-based
	pos        int   // cursor
	ind        int   // indentation of the current content line; -1 at the end

	// multiByte is set when the document has multi-byte characters, so
	// that columns must be counted; colLine, colOff and colN cache the
	// last column counted: offset colOff on the line starting at colLine
	// is column colN.
	multiByte       bool
	colLine, colOff int
	colN            int32

	t     *Tree
	stack []int32 // children of the collections being read
	depth int

	arena  []byte  // processed scalar values, turned into one string at the end
	fixups []fixup // nodes whose values are in arena
	why    string  // why the document was declined
}

// fixup records that a node's value is arena[start:end].
type fixup struct {
	node       int32
	start, end int32
}

// fail records why the document is declined and returns false.
func (p *parser) fail(why string) bool {
	if p.why == "" {
		p.why = why
	}
	return false
}

// loadLine makes the line starting at off current, with the cursor at its
// start.
func (p *parser) loadLine(off int) {
	p.ls, p.pos = off, off
	i := strings.IndexByte(p.src[off:], '\n')
	if i < 0 {
		p.le, p.nl = len(p.src), len(p.src)
		return
	}
	p.nl = off + i + 1
	p.le = off + i
	if p.le > off && p.src[p.le-1] == '\r' {
		p.le--
	}
}

// nextLine moves to the next line; it returns false at the end of the
// document.
func (p *parser) nextLine() bool {
	if p.nl >= len(p.src) {
		p.ls, p.le, p.pos = len(p.src), len(p.src), len(p.src)
		return false
	}
	p.ln++
	p.loadLine(p.nl)
	return true
}

// seekContent finds the first line, from the current one (read from its
// start), that holds more than spaces and a comment, and puts the cursor
// on its first character. A tab in indentation, a document marker and a
// directive decline the document.
func (p *parser) seekContent() bool {
	i, end, ok := p.skipBlankLines()
	if !ok || end {
		return ok
	}
	switch {
	case i == p.ls && p.t != nil && strings.HasPrefix(p.src[i:p.le], "...") && isMarker(p.src[i:p.le]):
		return p.documentEnd()
	case i == p.ls && (p.src[i] == '%' || isMarker(p.src[i:p.le])):
		return p.fail("document marker or directive")
	}
	p.pos, p.ind = i, i-p.ls
	return true
}

// skipBlankLines skips, from the current line (read from its start), the
// lines holding only spaces and a comment. It returns the offset of the
// first character after the indentation of the next line with content,
// or end (and ind -1) at the end of the document. A tab in indentation
// declines the document.
func (p *parser) skipBlankLines() (first int, end, ok bool) {
	for {
		i := p.ls
		for i < p.le && p.src[i] == ' ' {
			i++
		}
		switch {
		case i < p.le && p.src[i] == '\t':
			return 0, false, p.fail("tab in indentation")
		case i == p.le || p.src[i] == '#':
			if !p.nextLine() {
				p.ind = -1
				return 0, true, true
			}
			continue
		}
		return i, false, true
	}
}

// documentEnd reads a "..." line and what follows it, which must be
// blank lines and comments (yaml.v3 reads no further than the marker).
func (p *parser) documentEnd() bool {
	p.pos = p.ls + 3
	if !p.atLineEnd() {
		return p.fail("text after a document end marker")
	}
	for p.nextLine() {
		p.pos = p.ls
		if !p.atLineEnd() {
			return p.fail("text after a document end marker")
		}
	}
	p.ind = -1
	return true
}

// advance moves to the next line holding content.
func (p *parser) advance() bool {
	if !p.nextLine() {
		p.ind = -1
		return true
	}
	return p.seekContent()
}

// endLine checks that only blanks and a comment follow the node just
// read on the current line, then moves to the next line holding content.
func (p *parser) endLine() bool {
	i := p.pos
	for i < p.le && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	if i < p.le && (p.src[i] != '#' || i == p.pos) {
		return p.fail("unexpected text after a node")
	}
	return p.advance()
}

// atLineEnd reports whether only spaces and a comment follow the cursor;
// the cursor must follow a blank or an indicator followed by one.
func (p *parser) atLineEnd() bool {
	i := p.pos
	for i < p.le && p.src[i] == ' ' {
		i++
	}
	return i == p.le || p.src[i] == '#'
}

// isMarker reports whether a line starts with a document marker, "---" or
// "...", followed by a blank or its end.
func isMarker(l string) bool {
	if len(l) < 3 || (l[:3] != "---" && l[:3] != "...") {
		return false
	}
	return len(l) == 3 || l[3] == ' ' || l[3] == '\t'
}

// prelude skips blank lines, comments and one "---" line before the
// document's node, leaving the cursor on the node (ind -1 when there is
// none).
func (p *parser) prelude() bool {
	i, end, ok := p.skipBlankLines()
	if !ok || end {
		return ok
	}
	if i == p.ls && strings.HasPrefix(p.src[i:p.le], "---") && (i+3 == p.le || p.src[i+3] == ' ') {
		p.pos = i + 3
		if !p.atLineEnd() {
			return p.fail("content after ---")
		}
		return p.advance()
	}
	return p.seekContent()
}

// col returns the 1-based column of offset off on the current line, in
// code points. It counts on from the last offset asked for on the same
// line, so a long line of flow entries costs linear time.
func (p *parser) col(off int) int32 {
	if !p.multiByte {
		return int32(off-p.ls) + 1
	}
	if p.colLine != p.ls || p.colOff > off {
		p.colLine, p.colOff, p.colN = p.ls, p.ls, 1
	}
	l := p.src[p.colOff:off]
	n := int32(len(l))
	for i := 0; i < len(l); i++ {
		if l[i] >= utf8.RuneSelf {
			n = int32(utf8.RuneCountInString(l))
			break
		}
	}
	p.colOff, p.colN = off, p.colN+n
	return p.colN
}

// line returns the absolute line number of the current line.
func (p *parser) line() int32 { return p.lineBase + p.ln }

// add appends a node at offset off of the current line.
func (p *parser) add(kind Kind, style Style, value string, off int) int32 {
	return p.addAt(kind, style, value, p.line(), p.col(off))
}

// addAt appends a node at an explicit position.
func (p *parser) addAt(kind Kind, style Style, value string, line, col int32) int32 {
	i := p.t.add(kind, style, line, col)
	if kind == ScalarNode {
		if off, ok := p.t.offsetOf(value); ok {
			p.t.nodes[i].a, p.t.nodes[i].b = off, uint32(len(value))
		} else {
			// Not a range of the document: keep it with the
			// processed values.
			start := p.arenaStart()
			p.arena = append(p.arena, value...)
			p.fixups = append(p.fixups, fixup{node: i, start: int32(start), end: int32(len(p.arena))})
		}
	}
	return i
}

// addProcessed appends a scalar whose value is arena[start:], filled in
// by fixValues.
func (p *parser) addProcessed(style Style, start int, line, col int32) int32 {
	i := p.addAt(ScalarNode, style, "", line, col)
	p.fixups = append(p.fixups, fixup{node: i, start: int32(start), end: int32(len(p.arena))})
	return i
}

// arenaStart returns where the next processed value starts in the arena,
// making the arena when it is the document's first: large enough for a
// share of the rest of the document, as processed values are never much
// longer than their text.
func (p *parser) arenaStart() int {
	if p.arena == nil {
		p.arena = make([]byte, 0, max(64, (len(p.src)-p.pos)/4))
	}
	return len(p.arena)
}

// fixValues gives processed scalars their values, all sharing one string:
// the arena itself when little of it is unused, else an exact copy.
func (p *parser) fixValues() {
	if len(p.fixups) == 0 {
		return
	}
	var all string
	if len(p.arena) >= cap(p.arena)-cap(p.arena)/4 {
		// The arena is never written again.
		all = unsafe.String(unsafe.SliceData(p.arena), len(p.arena))
	} else {
		all = string(p.arena)
	}
	p.t.extra = all
	for _, f := range p.fixups {
		p.t.setExtra(f.node, int(f.start), int(f.end))
	}
}

// open starts a collection: it checks the nesting depth and returns the
// stack mark its children start at.
func (p *parser) open() (mark int, ok bool) {
	p.depth++
	if p.depth > maxDepth {
		return 0, p.fail("nested too deep")
	}
	return len(p.stack), true
}

// close makes the children pushed since mark the children of node i.
func (p *parser) close(i int32, mark int) {
	p.depth--
	p.t.setKids(i, p.stack[mark:])
	p.stack = p.stack[:mark]
}
