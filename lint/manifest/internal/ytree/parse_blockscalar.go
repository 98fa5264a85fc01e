package ytree

import "strings"

// blockScalar reads a literal ('|') or folded ('>') block scalar whose
// indicator is at the cursor, following yaml.v3's scanner step by step:
// the same indentation rule (an explicit indicator counts from parent, the
// column of the enclosing block collection; otherwise the first non-empty
// line's indentation, at least parent+1), the same folding, the same
// chomping. Its value is a new string; yaml.v3 places it at the indicator.
func (p *parser) blockScalar(parent int) (int32, bool) {
	s := p.src
	line, col := p.line(), p.col(p.pos)
	literal := s[p.pos] == '|'
	chomp, incr, ok := p.blockHeader()
	if !ok {
		return -1, false
	}
	indent := 0
	if incr > 0 {
		indent = max(parent, 0) + incr
	}
	start := p.arenaStart()
	b := blockLines{p: p, off: p.nl, ln: p.ln + 1}
	if !b.breaks(&indent, parent) {
		return -1, false
	}
	leadingBreak, leadingBlank := false, false
	for b.col == indent && b.off+b.col < len(s) {
		c := s[b.off+b.col]
		blank := c == ' ' || c == '\t'
		if !literal && !leadingBlank && !blank && leadingBreak {
			if b.trailing == 0 {
				p.arena = append(p.arena, ' ')
			}
		} else if leadingBreak {
			p.arena = append(p.arena, '\n')
		}
		p.arena = appendBreaks(p.arena, b.trailing)
		b.trailing = 0
		leadingBlank = blank
		end, next := lineEnd(s, b.off)
		p.arena = append(p.arena, s[b.off+b.col:end]...)
		leadingBreak = next > end
		b.off = next
		if leadingBreak {
			b.ln++
		}
		if !b.breaks(&indent, parent) {
			return -1, false
		}
	}
	if chomp != '-' && leadingBreak {
		p.arena = append(p.arena, '\n')
	}
	if chomp == '+' {
		p.arena = appendBreaks(p.arena, b.trailing)
	}
	style := LiteralStyle
	if !literal {
		style = FoldedStyle
	}
	i := p.addProcessed(style, start, line, col)
	// Continue from the line the scalar stopped at.
	if b.off >= len(s) {
		p.ls, p.le, p.nl, p.pos, p.ind = len(s), len(s), len(s), len(s), -1
		return i, true
	}
	p.ln = b.ln
	p.loadLine(b.off)
	return i, p.seekContent()
}

// blockHeader reads a block scalar's header after the indicator: a
// chomping indicator ('-', '+' or 0) and an indentation indicator (1-9 or
// 0), in either order, then blanks and a comment to the line's end.
func (p *parser) blockHeader() (chomp byte, incr int, ok bool) {
	s := p.src
	i := p.pos + 1
	for range 2 {
		switch {
		case i == p.le:
		case (s[i] == '-' || s[i] == '+') && chomp == 0:
			chomp = s[i]
			i++
		case s[i] == '0' && incr == 0:
			return 0, 0, p.fail("block indentation indicator 0")
		case s[i] >= '1' && s[i] <= '9' && incr == 0:
			incr = int(s[i] - '0')
			i++
		}
	}
	for i < p.le && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < p.le && s[i] != '#' {
		return 0, 0, p.fail("text after a block scalar header")
	}
	return chomp, incr, true
}

// blockLines walks the lines of a block scalar's body.
type blockLines struct {
	p   *parser
	off int   // start of the current line
	ln  int32 // its number, 0-based
	col int   // spaces eaten at its start
	// trailing counts the empty lines eaten since the last content line.
	trailing int
}

// breaks eats indentation and empty lines, as yaml.v3's
// yaml_parser_scan_block_scalar_breaks does, stopping at the first line
// with content past the indentation (or at the document's end), and sets
// the indentation when it is still 0.
func (b *blockLines) breaks(indent *int, parent int) bool {
	s := b.p.src
	maxIndent := 0
	for {
		b.col = 0
		for (*indent == 0 || b.col < *indent) && b.off+b.col < len(s) && s[b.off+b.col] == ' ' {
			b.col++
		}
		maxIndent = max(maxIndent, b.col)
		i := b.off + b.col
		if i == len(s) {
			break
		}
		if (*indent == 0 || b.col < *indent) && s[i] == '\t' {
			return b.p.fail("tab in a block scalar's indentation")
		}
		if s[i] != '\n' && s[i] != '\r' {
			break
		}
		_, b.off = lineEnd(s, b.off)
		b.ln++
		b.trailing++
	}
	if *indent == 0 {
		*indent = max(maxIndent, parent+1, 1)
	}
	return true
}

// lineEnd returns the end of the line starting at off (before its line
// break) and the start of the next line (the document's length at the
// end).
func lineEnd(s string, off int) (end, next int) {
	i := strings.IndexByte(s[off:], '\n')
	if i < 0 {
		return len(s), len(s)
	}
	end, next = off+i, off+i+1
	if end > off && s[end-1] == '\r' {
		end--
	}
	return end, next
}

// appendBreaks appends n line breaks.
func appendBreaks(b []byte, n int) []byte {
	for range n {
		b = append(b, '\n')
	}
	return b
}
