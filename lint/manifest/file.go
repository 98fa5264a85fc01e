package manifest

import (
	"bytes"
	"sort"
)

// File is one source's bytes, kept so reporters can show snippets and the
// suppression pass can read comments. Path is relative to the working
// directory with '/' separators, or "-" for standard input.
type File struct {
	Path string
	Data []byte
	// lineStarts[i] is the byte offset at which line i+1 starts.
	lineStarts []int
}

// NewFile wraps data read from path.
func NewFile(path string, data []byte) *File {
	f := &File{Path: path, Data: data}
	f.lineStarts = append(f.lineStarts, 0)
	for i, c := range data {
		if c == '\n' {
			f.lineStarts = append(f.lineStarts, i+1)
		}
	}
	return f
}

// Lines returns the number of lines in the file.
func (f *File) Lines() int { return len(f.lineStarts) }

// Line returns line n (1-based) without its line ending, or "" and false
// when n is out of range.
func (f *File) Line(n int) (string, bool) {
	if n < 1 || n > len(f.lineStarts) {
		return "", false
	}
	start := f.lineStarts[n-1]
	end := len(f.Data)
	if n < len(f.lineStarts) {
		end = f.lineStarts[n] - 1
	}
	if end < start {
		end = start
	}
	return string(bytes.TrimRight(f.Data[start:end], "\r")), true
}

// LineOf returns the 1-based line and column (in bytes, 1-based) of a byte
// offset.
func (f *File) LineOf(offset int) (line, col int) {
	i := sort.Search(len(f.lineStarts), func(i int) bool { return f.lineStarts[i] > offset }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, offset - f.lineStarts[i] + 1
}
