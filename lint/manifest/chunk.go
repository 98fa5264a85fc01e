package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// chunk is one document's text with the offset of its first line.
type chunk struct {
	data       []byte
	lineOffset int
	// start is the byte offset of data in the file, for YAML chunks,
	// which are slices of it.
	start     int
	separated bool // starts with a "---" line
}

// yamlChunks splits a YAML stream at "---" lines, as kubectl's YAML reader
// does, keeping each separator with the document it opens so that positions
// can be made absolute. A leading prelude of directives and comments stays
// with the first document.
func yamlChunks(data []byte) []chunk {
	var chunks []chunk
	start, startLine, line := 0, 0, 0
	preludeOnly := true
	for off := 0; off < len(data); {
		next := len(data)
		if end := bytes.IndexByte(data[off:], '\n'); end >= 0 {
			next = off + end + 1
		}
		l := data[off:next]
		switch {
		case isSeparator(l):
			if off > start && !(len(chunks) == 0 && preludeOnly) {
				chunks = append(chunks, chunk{data: data[start:off], lineOffset: startLine, start: start, separated: len(chunks) > 0 || isSeparator(data[start:])})
				start, startLine = off, line
			}
			preludeOnly = false
		case preludeOnly:
			if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' && t[0] != '%' {
				preludeOnly = false
			}
		}
		off = next
		line++
	}
	if start < len(data) || len(chunks) == 0 {
		chunks = append(chunks, chunk{data: data[start:], lineOffset: startLine, start: start, separated: isSeparator(data[start:])})
	}
	return chunks
}

// isSeparator reports whether a line is a document separator: "---" alone
// or followed by a space or tab (a comment, a tag).
func isSeparator(l []byte) bool {
	if len(l) < 3 || l[0] != '-' || l[1] != '-' || l[2] != '-' {
		return false
	}
	return len(l) == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\n' || l[3] == '\r'
}

// looksLikeJSON reports whether data starts, after a BOM and white space,
// with '{': the test kubectl's YAMLOrJSONDecoder uses to try JSON first.
func looksLikeJSON(data []byte) bool {
	data = bytes.TrimPrefix(data, utf8BOM)
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c == '{'
	}
	return false
}

// jsonChunks checks JSON syntax with encoding/json (which, unlike YAML,
// refuses trailing commas) and returns each top-level value as a chunk,
// indented so that the YAML reader reports the value's own columns.
func jsonChunks(f *File) ([]chunk, *Error) {
	data := f.Data
	bom := 0
	if bytes.HasPrefix(data, utf8BOM) {
		bom = len(utf8BOM)
		data = data[bom:]
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
			off = max(off, 0)
			line, col := f.LineOf(off + bom)
			if err == io.ErrUnexpectedEOF {
				line, col = f.LineOf(len(f.Data))
			}
			return nil, newError(f.Path, line, col, err, "invalid JSON: %v", err)
		}
		start := int(before)
		for start < len(data) && isJSONSpace(data[start]) {
			start++
		}
		end := int(dec.InputOffset())
		line, _ := f.LineOf(start + bom)
		col := f.runeCol(start + bom)
		text := make([]byte, 0, col-1+end-start)
		for range col - 1 {
			text = append(text, ' ')
		}
		text = appendJSONAsYAML(text, data[start:end])
		chunks = append(chunks, chunk{data: text, lineOffset: line - 1})
	}
	return chunks, nil
}

func isJSONSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t'
}

// appendJSONAsYAML appends a valid JSON value in a form the YAML reader
// reads the same way and with the same lines: tabs and lone carriage
// returns between tokens become spaces (raw tabs cannot occur inside JSON
// strings, and YAML refuses tab indentation); "\/" becomes "/" and a UTF-16
// surrogate pair "\uD83D\uDE00" becomes "\U0001F600", the two JSON escapes
// yaml.v3 does not read; and the characters YAML counts as line breaks but
// JSON strings may hold raw (NEL, LS, PS) become YAML escapes. Columns after
// such a rewrite shift on that line.
func appendJSONAsYAML(dst, src []byte) []byte {
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case !inString:
			if c == '\t' || c == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
				c = ' '
			}
			inString = c == '"'
		case c == '"':
			inString = false
		case c == 0xC2 && i+1 < len(src) && src[i+1] == 0x85:
			dst = append(dst, '\\', 'N') // NEL, a YAML line break
			i++
			continue
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			dst = append(dst, '\\', "LP"[src[i+2]-0xA8]) // LS, PS
			i += 2
			continue
		case c == '\\' && i+1 < len(src):
			switch src[i+1] {
			case '/':
				dst = append(dst, '/')
				i++
				continue
			case 'u':
				if r, ok := surrogatePair(src[i:]); ok {
					dst = fmt.Appendf(dst, "\\U%08X", r)
					i += 11
					continue
				}
			}
			dst = append(dst, c, src[i+1])
			i++
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// surrogatePair decodes "\uD8xx\uDCxx" at the start of b.
func surrogatePair(b []byte) (rune, bool) {
	if len(b) < 12 || b[6] != '\\' || b[7] != 'u' {
		return 0, false
	}
	hi, err1 := strconv.ParseUint(string(b[2:6]), 16, 16)
	lo, err2 := strconv.ParseUint(string(b[8:12]), 16, 16)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	r := utf16.DecodeRune(rune(hi), rune(lo))
	return r, r != unicode.ReplacementChar
}

// yamlLineStarts returns the byte offsets at which the YAML parser's lines
// start in a chunk, when the chunk has line breaks that YAML counts and the
// file's line index does not (a lone CR, NEL, LS or PS); nil when YAML's
// lines are the file's lines.
func yamlLineStarts(data []byte) []int {
	exotic := false
	for i := bytes.IndexByte(data, '\r'); i >= 0; {
		if i+1 == len(data) || data[i+1] != '\n' {
			exotic = true
			break
		}
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if !exotic && !bytes.Contains(data, []byte("\xc2\x85")) && !bytes.Contains(data, []byte("\xe2\x80\xa8")) && !bytes.Contains(data, []byte("\xe2\x80\xa9")) {
		return nil
	}
	starts := []int{0}
	if bytes.HasPrefix(data, utf8BOM) {
		starts[0] = len(utf8BOM)
	}
	for i := 0; i < len(data); i++ {
		switch {
		case data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n':
			i++
		case data[i] == '\r' || data[i] == '\n':
		case data[i] == 0xC2 && i+1 < len(data) && data[i+1] == 0x85:
			i++
		case data[i] == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9):
			i += 2
		default:
			continue
		}
		starts = append(starts, i+1)
	}
	return starts
}

// lineMap turns the YAML parser's positions in a chunk into the file's.
type lineMap struct {
	f      *File
	ch     chunk
	starts []int // from yamlLineStarts; nil when only an offset is needed
}

func newLineMap(f *File, ch chunk) lineMap {
	return lineMap{f: f, ch: ch, starts: yamlLineStarts(ch.data)}
}

// pos maps a 1-based line and column of the chunk to the file.
func (m lineMap) pos(line, col int) (int, int) {
	if m.starts == nil {
		return line + m.ch.lineOffset, col
	}
	off := m.starts[min(max(line, 1), len(m.starts))-1]
	for ; col > 1 && off < len(m.ch.data); col-- {
		_, size := utf8.DecodeRune(m.ch.data[off:])
		off += size
	}
	abs := m.ch.start + off
	l, _ := m.f.LineOf(abs)
	return l, m.f.runeCol(abs)
}
