package ytree

import (
	"math/bits"
	"unicode/utf8"
)

// scan checks that doc holds only characters Parse reads the way yaml.v3
// does. It declines control characters
// (yaml.v3 refuses them), line breaks other than "\n" and "\r\n" (NEL,
// LS, PS and a lone CR, which yaml.v3 counts as lines), a byte order mark,
// and invalid UTF-8.
func (p *parser) scan() bool {
	s := p.src
	if len(s) > 1<<30 {
		return p.fail("document too large")
	}
	i := 0
	for i+8 <= len(s) {
		// Eight bytes at a time while they are ASCII: a byte below
		// 0x20 or equal to 0x7f needs a look.
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if x&hiBits != 0 {
			n, ok := p.scanByte(i)
			if !ok {
				return false
			}
			i += n
			continue
		}
		below20 := ^(x + 0x6060606060606060) & hiBits
		t := x ^ 0x7f7f7f7f7f7f7f7f
		is7f := ^((t & 0x7f7f7f7f7f7f7f7f) + 0x7f7f7f7f7f7f7f7f | t) & hiBits
		for m := below20 | is7f; m != 0; m &= m - 1 {
			if _, ok := p.scanByte(i + bits.TrailingZeros64(m)/8); !ok {
				return false
			}
		}
		i += 8
	}
	for i < len(s) {
		n, ok := p.scanByte(i)
		if !ok {
			return false
		}
		i += n
	}
	return true
}

// hiBits is the top bit of each byte of a word.
const hiBits = 0x8080808080808080

// scanByte checks the character at offset i and returns its length.
func (p *parser) scanByte(i int) (int, bool) {
	s := p.src
	switch c := s[i]; {
	case c >= 0x20 && c < 0x7f, c == '\n', c == '\t':
		return 1, true
	case c == '\r':
		if i+1 == len(s) || s[i+1] != '\n' {
			return 0, p.fail("lone carriage return")
		}
		return 1, true
	case c < 0x80:
		return 0, p.fail("control character")
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if !printable(r, size) {
		return 0, p.fail("character yaml.v3 refuses or counts as a line break")
	}
	p.multiByte = true
	return size, true
}

// printable reports whether a decoded non-ASCII rune is one yaml.v3
// accepts and does not count as a line break.
func printable(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return false
	case r < 0xA0, r == 0x2028, r == 0x2029, r == 0xFEFF:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return true
}
