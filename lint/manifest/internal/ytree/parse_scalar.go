package ytree

// scalar is a plain or quoted scalar read but not yet added to the tree.
type scalar struct {
	value     string
	style     Style
	line, col int32 // position of its first character (for a quoted scalar, the quote)
	off       int   // offset of its first character
	// start and end delimit a processed value in the arena; start is -1
	// when value is a substring of the document.
	start, end int
	// multiline is set when the scalar ends on a later line than it starts.
	multiline bool
}

// addScalar adds a scalar.
func (p *parser) addScalar(sc scalar) int32 {
	i := p.addAt(ScalarNode, sc.style, sc.value, sc.line, sc.col)
	if sc.start >= 0 {
		p.fixups = append(p.fixups, fixup{node: i, start: int32(sc.start), end: int32(sc.end)})
	}
	return i
}

// readScalar reads the quoted or plain scalar at the cursor, in the flow
// or block context, and leaves the cursor just past it. A plain scalar is
// read to the end of its line: continuePlain reads further lines of a
// plain scalar in the block context. In the flow context, a quoted scalar
// must end on its line.
func (p *parser) readScalar(flow bool) (scalar, bool) {
	switch p.src[p.pos] {
	case '\'', '"':
		return p.quoted(flow)
	}
	if !p.plainStart(flow) {
		switch p.src[p.pos] {
		case '&', '*', '!':
			return scalar{}, p.fail("anchor, alias or tag")
		case '?':
			return scalar{}, p.fail("complex key")
		}
		return scalar{}, p.fail("character that cannot start a scalar here")
	}
	start := p.pos
	p.pos = p.plainEnd(flow)
	return scalar{value: p.src[start:p.pos], line: p.line(), col: p.col(start), off: start, start: -1}, true
}

// plainStart reports whether a plain scalar may start at the cursor:
// yaml.v3 reads every indicator as an indicator there, except that '-' (and
// in the block context '?' and ':') followed by a non-blank starts a scalar.
func (p *parser) plainStart(flow bool) bool {
	var next byte = ' '
	if p.pos+1 < p.le {
		next = p.src[p.pos+1]
	}
	switch p.src[p.pos] {
	case '-':
		return next != ' ' && next != '\t'
	case '?', ':':
		return !flow && next != ' ' && next != '\t'
	case ' ', '\t', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

// plainEnd returns the end of the plain scalar text that starts at the
// cursor: just past its last non-blank character before ": ", " #", the
// line's end, or in the flow context one of ",?[]{}".
func (p *parser) plainEnd(flow bool) int {
	s := p.src
	stop := uint8(blockStop)
	if flow {
		stop = flowStop
	}
	i, end := p.pos, p.pos
	for i < p.le {
		if plainStops[s[i]]&stop == 0 {
			i++
			end = i
			continue
		}
		switch s[i] {
		case ' ', '\t':
			j := i + 1
			for j < p.le && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			if j == p.le || s[j] == '#' {
				return end
			}
			i = j
			continue
		case ':':
			if i+1 == p.le || s[i+1] == ' ' || s[i+1] == '\t' {
				return end
			}
		default: // a flow indicator in the flow context
			return end
		}
		i++
		end = i
	}
	return end
}

// The bits of plainStops.
const (
	blockStop = 1 << iota // may end a plain scalar in the block context
	flowStop              // may end a plain scalar in the flow context
)

// plainStops marks the bytes at which plainEnd must look closer. It is
// never written after start-up.
var plainStops = func() (t [256]uint8) {
	for _, c := range []byte(" \t:") {
		t[c] = blockStop | flowStop
	}
	for _, c := range []byte(",?[]{}") {
		t[c] = flowStop
	}
	return t
}()

// restBlank reports whether only blanks follow the cursor on its line.
func (p *parser) restBlank() bool {
	for i := p.pos; i < p.le; i++ {
		if p.src[i] != ' ' && p.src[i] != '\t' {
			return false
		}
	}
	return true
}

// continuePlain extends the plain scalar sc, just read in the block
// context, onto the lines that continue it, as yaml.v3 does: lines more
// indented than parent (the innermost block collection's column), up to a
// comment, a less indented line or the end; a single line break folds
// into a space, n empty lines into n newlines. A continuation line holding
// ": " is declined (yaml.v3 refuses it). The cursor is left after the
// scalar's last character.
func (p *parser) continuePlain(sc *scalar, parent int) bool {
	if !p.restBlank() {
		return true // ends at a comment or an indicator
	}
	s := p.src
	start := -1
	for empty, off, ln := 0, p.nl, p.ln+1; off < len(s); ln++ {
		i := off
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i < len(s) && s[i] == '\t' {
			return p.fail("tab in a plain scalar's indentation")
		}
		end, next := lineEnd(s, off)
		if i == end {
			empty++
			off = next
			continue
		}
		if i-off <= parent || s[i] == '#' || i == off && isMarker(s[off:end]) {
			break
		}
		if start < 0 {
			start = p.arenaStart()
			p.arena = append(p.arena, sc.value...)
		}
		if empty == 0 {
			p.arena = append(p.arena, ' ')
		}
		p.arena = appendBreaks(p.arena, empty)
		p.ln = ln
		p.loadLine(off)
		p.pos = i
		p.pos = p.plainEnd(false)
		p.arena = append(p.arena, s[i:p.pos]...)
		if !p.restBlank() {
			if p.keyColon() >= 0 {
				return p.fail("mapping value in a plain scalar's continuation")
			}
			break // a comment ends the scalar
		}
		empty, off = 0, p.nl
	}
	if start >= 0 {
		sc.value, sc.start, sc.end, sc.multiline = "", start, len(p.arena), true
	}
	return true
}
