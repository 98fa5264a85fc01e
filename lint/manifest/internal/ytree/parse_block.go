package ytree

// blockNode reads the node at the cursor in the block context. parent is
// the column (0-based) of the innermost block collection holding the node,
// -1 for the document's node: yaml.v3's indentation level there. compact
// says whether a block collection may start at the cursor: it may at the
// start of a line's content and after "- ", not after "key: ".
func (p *parser) blockNode(parent int, compact bool) (int32, bool) {
	switch p.src[p.pos] {
	case '-':
		if p.isEntry() {
			if !compact {
				return -1, p.fail("block sequence on a key's line")
			}
			return p.blockSequence(false)
		}
	case '[', '{':
		i, ok := p.flowNode()
		if !ok {
			return -1, false
		}
		return i, p.endLine()
	case '|', '>':
		return p.blockScalar(parent)
	}
	sc, ok := p.readScalar(false)
	if !ok {
		return -1, false
	}
	if colon := p.keyColon(); colon >= 0 {
		if !compact {
			return -1, p.fail("block mapping on a key's line")
		}
		return p.blockMapping(sc, colon)
	}
	if sc.style == 0 && !p.continuePlain(&sc, parent) {
		return -1, false
	}
	return p.addScalar(sc), p.endLine()
}

// isEntry reports whether the cursor is on a block sequence entry: a '-'
// followed by a blank or the line's end.
func (p *parser) isEntry() bool {
	i := p.pos
	return p.src[i] == '-' && (i+1 == p.le || p.src[i+1] == ' ' || p.src[i+1] == '\t')
}

// keyColon returns the offset of the ':' that makes the scalar just read
// an implicit key (blanks, then ':' followed by a blank or the line's
// end), or -1.
func (p *parser) keyColon() int {
	s := p.src
	i := p.pos
	for i < p.le && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < p.le && s[i] == ':' && (i+1 == p.le || s[i+1] == ' ' || s[i+1] == '\t') {
		return i
	}
	return -1
}

// blockMapping reads a block mapping whose first key, key, has been read
// and is followed by the ':' at offset colon. Its keys all start at the
// first key's column; yaml.v3 places the mapping at its first key.
func (p *parser) blockMapping(key scalar, colon int) (int32, bool) {
	col := key.off - p.ls
	mark, ok := p.open()
	if !ok {
		return -1, false
	}
	m := p.addAt(MappingNode, 0, "", key.line, key.col)
	for {
		if key.multiline {
			return -1, p.fail("multi-line implicit key")
		}
		if colon-key.off > maxKeyLen {
			return -1, p.fail("implicit key too long")
		}
		p.stack = append(p.stack, p.addScalar(key))
		p.pos = colon + 1
		v, ok := p.mapValue(col)
		if !ok {
			return -1, false
		}
		p.stack = append(p.stack, v)
		if p.ind < col {
			break
		}
		if p.ind > col {
			return -1, p.fail("more indented line after a mapping value")
		}
		if p.isEntry() {
			return -1, p.fail("sequence entry among mapping keys")
		}
		if key, ok = p.readScalar(false); !ok {
			return -1, false
		}
		if colon = p.keyColon(); colon < 0 {
			return -1, p.fail("line in a mapping is not a key")
		}
	}
	p.close(m, mark)
	return m, true
}

// mapValue reads the value after a key's ':' (the cursor is just past
// it) in a mapping at column col: on the key's line, on the lines below
// (more indented, or a sequence at the key's own indentation), or none,
// an empty plain scalar that yaml.v3 places just past the ':'.
func (p *parser) mapValue(col int) (int32, bool) {
	line, vcol := p.line(), p.col(p.pos)
	sameLine, ok := p.afterIndicator()
	if !ok {
		return -1, false
	}
	if sameLine {
		return p.blockNode(col, false)
	}
	switch {
	case p.ind > col:
		return p.blockNode(col, true)
	case p.ind == col && p.isEntry():
		return p.blockSequence(true)
	}
	return p.addAt(ScalarNode, 0, "", line, vcol), true
}

// blockSequence reads a block sequence whose first '-' is at the cursor.
// An indentless sequence (the value of a key, at the key's indentation)
// ends at the first line at that indentation that is not an entry.
func (p *parser) blockSequence(indentless bool) (int32, bool) {
	col := p.pos - p.ls
	mark, ok := p.open()
	if !ok {
		return -1, false
	}
	sq := p.add(SequenceNode, 0, "", p.pos)
	for {
		item, ok := p.entry(col)
		if !ok {
			return -1, false
		}
		p.stack = append(p.stack, item)
		if p.ind < col {
			break
		}
		if p.ind > col {
			return -1, p.fail("more indented line after a sequence entry")
		}
		if !p.isEntry() {
			if indentless {
				break
			}
			return -1, p.fail("line in a sequence is not an entry")
		}
	}
	p.close(sq, mark)
	return sq, true
}

// entry reads the node of the sequence entry whose '-' is at the cursor,
// in a sequence at column col. An entry with no node is an empty plain
// scalar that yaml.v3 places just past the '-'.
func (p *parser) entry(col int) (int32, bool) {
	p.pos++
	line, ecol := p.line(), p.col(p.pos)
	sameLine, ok := p.afterIndicator()
	if !ok {
		return -1, false
	}
	if sameLine || p.ind > col {
		return p.blockNode(col, true)
	}
	return p.addAt(ScalarNode, 0, "", line, ecol), true
}

// afterIndicator skips the spaces after a ':' or '-' and reports whether
// a node follows on the same line; if not, it moves to the next line
// with content. A tab there declines the document.
func (p *parser) afterIndicator() (sameLine, ok bool) {
	for p.pos < p.le && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos < p.le && p.src[p.pos] == '\t' {
		return false, p.fail("tab after an indicator")
	}
	if p.pos < p.le && p.src[p.pos] != '#' {
		return true, true
	}
	return false, p.advance()
}
