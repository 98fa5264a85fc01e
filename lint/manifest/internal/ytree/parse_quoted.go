package ytree

import (
	"strings"
	"unicode/utf8"
)

// quoted reads the quoted scalar at the cursor and leaves the cursor just
// past its closing quote. A scalar on one line without escapes is a
// substring of the document. In the flow context the scalar must end on
// its line.
func (p *parser) quoted(flow bool) (scalar, bool) {
	open, mark := p.pos, len(p.arena)
	line, col := p.line(), p.col(open)
	var sc scalar
	var done, ok bool
	if p.src[open] == '\'' {
		sc, done = p.singleQuoted()
	} else {
		sc, done, ok = p.doubleQuoted()
		if !ok {
			return scalar{}, false
		}
	}
	if !done {
		if flow {
			return scalar{}, p.fail("multi-line quoted scalar in a flow collection")
		}
		p.arena, p.pos = p.arena[:mark], open
		if sc, ok = p.quotedLines(); !ok {
			return scalar{}, false
		}
	}
	sc.line, sc.col, sc.off = line, col, open
	return sc, true
}

// singleQuoted reads a single-quoted scalar that ends on its line; done
// is false when it does not.
func (p *parser) singleQuoted() (sc scalar, done bool) {
	s := p.src
	open := p.pos
	i, seg := open+1, open+1
	start := -1
	for {
		j := strings.IndexByte(s[i:p.le], '\'')
		if j < 0 {
			return scalar{}, false
		}
		i += j
		if i+1 == p.le || s[i+1] != '\'' {
			break
		}
		if start < 0 {
			start = p.arenaStart()
		}
		p.arena = append(p.arena, s[seg:i+1]...)
		i += 2
		seg = i
	}
	p.pos = i + 1
	if start < 0 {
		return scalar{value: s[open+1 : i], style: SingleQuotedStyle, start: -1}, true
	}
	p.arena = append(p.arena, s[seg:i]...)
	return scalar{style: SingleQuotedStyle, start: start, end: len(p.arena)}, true
}

// doubleQuoted reads a double-quoted scalar that ends on its line, with
// yaml.v3's escapes; done is false when it does not end on its line or
// has a line continuation.
func (p *parser) doubleQuoted() (sc scalar, done, ok bool) {
	s := p.src
	open := p.pos
	i, seg := open+1, open+1
	start := -1
	for ; i < p.le && s[i] != '"'; i++ {
		if s[i] != '\\' {
			continue
		}
		if i+1 == p.le {
			return scalar{}, false, true
		}
		if start < 0 {
			start = p.arenaStart()
		}
		p.arena = append(p.arena, s[seg:i]...)
		n, ok := p.escape(i + 1)
		if !ok {
			return scalar{}, false, false
		}
		i += n
		seg = i + 1
	}
	if i == p.le {
		return scalar{}, false, true
	}
	p.pos = i + 1
	if start < 0 {
		return scalar{value: s[open+1 : i], style: DoubleQuotedStyle, start: -1}, true, true
	}
	p.arena = append(p.arena, s[seg:i]...)
	return scalar{style: DoubleQuotedStyle, start: start, end: len(p.arena)}, true, true
}

// quotedLines reads a quoted scalar over as many lines as it takes,
// porting yaml.v3's yaml_parser_scan_flow_scalar: blanks inside a line are
// kept; at a line break, the blanks around it are dropped and the break
// folds into a space, or n following empty lines into n newlines; an
// escaped line break joins the lines. Continuation lines may have any
// indentation; a document marker in one, or the document's end, is
// declined.
func (p *parser) quotedLines() (scalar, bool) {
	s := p.src
	single := s[p.pos] == '\''
	quote, style := byte('"'), DoubleQuotedStyle
	if single {
		quote, style = '\'', SingleQuotedStyle
	}
	start, firstLine := p.arenaStart(), p.ln
	i := p.pos + 1
	for {
		if i == p.ls && isMarker(s[p.ls:p.le]) {
			return scalar{}, p.fail("document marker in a quoted scalar")
		}
		if i == len(s) {
			return scalar{}, p.fail("unterminated quoted scalar")
		}
		leadingBlanks := false
	text:
		for i < p.le && s[i] != ' ' && s[i] != '\t' {
			c := s[i]
			switch {
			case single && c == '\'' && i+1 < p.le && s[i+1] == '\'':
				p.arena = append(p.arena, '\'')
				i += 2
			case c == quote:
				break text
			case !single && c == '\\' && i+1 == p.le && p.nl > p.le:
				p.nextLine() // an escaped line break
				i, leadingBlanks = p.ls, true
				break text
			case !single && c == '\\':
				n, ok := p.escape(i + 1)
				if !ok {
					return scalar{}, false
				}
				i += 1 + n
			default:
				p.arena = append(p.arena, c)
				i++
			}
		}
		if i < p.le && s[i] == quote {
			break
		}
		// Blanks and line breaks.
		leadingBreak, trailing, ws := false, 0, i
		for {
			if i < p.le && (s[i] == ' ' || s[i] == '\t') {
				i++
				continue
			}
			if i < p.le || p.nl == p.le {
				break // text, or the document's end
			}
			if !leadingBlanks {
				leadingBreak, leadingBlanks = true, true
			} else {
				trailing++
			}
			p.nextLine()
			i = p.ls
		}
		switch {
		case !leadingBlanks:
			p.arena = append(p.arena, s[ws:i]...)
		case leadingBreak && trailing == 0:
			p.arena = append(p.arena, ' ')
		default:
			p.arena = appendBreaks(p.arena, trailing)
		}
	}
	p.pos = i + 1
	return scalar{style: style, start: start, end: len(p.arena), multiline: p.ln != firstLine}, true
}

// escapes maps yaml.v3's one-character escapes to their values.
var escapes = [256]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n",
	'v': "\v", 'f': "\f", 'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"",
	'\'': "'", '\\': "\\", 'N': "\u0085", '_': "\u00a0", 'L': "\u2028",
	'P': "\u2029",
}

// escape appends the value of the escape whose letter is at offset i to
// the arena and returns the escape's length after the backslash. An
// escape yaml.v3 does not know (it has no "\/"), a bad code point, and a
// backslash ending the line (a line continuation) are declined.
func (p *parser) escape(i int) (int, bool) {
	if i == p.le {
		return 0, p.fail("escaped line break")
	}
	c := p.src[i]
	if e := escapes[c]; e != "" {
		p.arena = append(p.arena, e...)
		return 1, true
	}
	var digits int
	switch c {
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default:
		return 0, p.fail("unknown escape")
	}
	if i+1+digits > p.le {
		return 0, p.fail("short escape")
	}
	var r uint32
	for k := i + 1; k <= i+digits; k++ {
		d, ok := unhex(p.src[k])
		if !ok {
			return 0, p.fail("bad hex escape")
		}
		r = r<<4 | uint32(d)
	}
	if r >= 0xD800 && r <= 0xDFFF || r > 0x10FFFF {
		return 0, p.fail("escape of an invalid code point")
	}
	p.arena = utf8.AppendRune(p.arena, rune(r))
	return 1 + digits, true
}

// unhex returns the value of a hexadecimal digit.
func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
