package ytree

// flowNode reads the flow collection or scalar at the cursor, in the flow
// context. Flow collections must end on the line they start on.
func (p *parser) flowNode() (int32, bool) {
	switch p.src[p.pos] {
	case '[':
		return p.flowSequence()
	case '{':
		return p.flowMapping()
	}
	sc, ok := p.readScalar(true)
	if !ok {
		return -1, false
	}
	return p.addScalar(sc), true
}

// skipSpaces moves the cursor past spaces.
func (p *parser) skipSpaces() {
	for p.pos < p.le && p.src[p.pos] == ' ' {
		p.pos++
	}
}

// flowSequence reads a flow sequence, "[a, b]". Entries that are
// single-pair mappings ("[a: b]"), empty entries and a trailing comma are
// declined.
func (p *parser) flowSequence() (int32, bool) {
	mark, ok := p.open()
	if !ok {
		return -1, false
	}
	sq := p.add(SequenceNode, FlowStyle, "", p.pos)
	p.pos++
	p.skipSpaces()
	if p.pos < p.le && p.src[p.pos] == ']' {
		p.pos++
		p.close(sq, mark)
		return sq, true
	}
	for {
		if p.pos == p.le || p.src[p.pos] == ',' || p.src[p.pos] == ']' {
			return -1, p.fail("multi-line or empty flow entry")
		}
		item, ok := p.flowNode()
		if !ok {
			return -1, false
		}
		p.stack = append(p.stack, item)
		more, ok := p.flowSeparator(sq, mark, ']', "sequence")
		if !ok {
			return -1, false
		}
		if !more {
			return sq, true
		}
	}
}

// flowMapping reads a flow mapping, "{a: 1, "b":2}", whose keys are
// scalars and whose entries all have values. Other forms and a trailing
// comma are declined.
func (p *parser) flowMapping() (int32, bool) {
	mark, ok := p.open()
	if !ok {
		return -1, false
	}
	m := p.add(MappingNode, FlowStyle, "", p.pos)
	p.pos++
	p.skipSpaces()
	if p.pos < p.le && p.src[p.pos] == '}' {
		p.pos++
		p.close(m, mark)
		return m, true
	}
	for {
		if p.pos == p.le {
			return -1, p.fail("multi-line flow collection")
		}
		if c := p.src[p.pos]; c == '[' || c == '{' || c == ',' || c == '}' {
			return -1, p.fail("flow key that is not a scalar")
		}
		key, ok := p.readScalar(true)
		if !ok {
			return -1, false
		}
		p.skipSpaces()
		if p.pos == p.le || p.src[p.pos] != ':' {
			return -1, p.fail("flow mapping entry without a value")
		}
		if p.pos-key.off > maxKeyLen {
			return -1, p.fail("implicit key too long")
		}
		p.stack = append(p.stack, p.addScalar(key))
		p.pos++
		p.skipSpaces()
		if p.pos == p.le || p.src[p.pos] == ',' || p.src[p.pos] == '}' {
			return -1, p.fail("flow mapping entry without a value")
		}
		v, ok := p.flowNode()
		if !ok {
			return -1, false
		}
		p.stack = append(p.stack, v)
		more, ok := p.flowSeparator(m, mark, '}', "mapping")
		if !ok {
			return -1, false
		}
		if !more {
			return m, true
		}
	}
}

// flowSeparator reads what follows an entry of flow collection i: a ","
// before more entries (more is true), or closer, which ends the
// collection. Anything else, or the end of the line, declines.
func (p *parser) flowSeparator(i int32, mark int, closer byte, what string) (more, ok bool) {
	p.skipSpaces()
	if p.pos == p.le {
		return false, p.fail("multi-line flow collection")
	}
	switch p.src[p.pos] {
	case ',':
		p.pos++
		p.skipSpaces()
		return true, true
	case closer:
		p.pos++
		p.close(i, mark)
		return false, true
	}
	return false, p.fail("unexpected text in a flow " + what)
}
