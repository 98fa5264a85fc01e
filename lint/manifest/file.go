package manifest

import (
	"bytes"
	"sort"
	"unicode/utf8"
	"unsafe"
)

// File is one source's bytes, kept so reporters can show snippets and the
// suppression pass can read comments. Path is relative to the working
// directory with '/' separators, or "-" for standard input.
type File struct {
	Path string
	// Data is the file's content. It must not be modified once the file
	// is made: the YAML trees read from it share its memory.
	Data []byte
	// text is Data as a string, sharing its memory, so that scalar values
	// read from the file are substrings of it rather than copies.
	text string
	// lineStarts[i] is the byte offset at which line i+1 starts (files
	// are smaller than 2 GiB).
	lineStarts []int32
}

// NewFile wraps data read from path. The caller must not modify data
// afterwards.
func NewFile(path string, data []byte) *File {
	// Reading a whole cluster's manifests would otherwise hold every
	// value twice: once in Data, once in the parsed trees.
	f := &File{Path: path, Data: data, text: unsafe.String(unsafe.SliceData(data), len(data))}
	f.lineStarts = make([]int32, 1, bytes.Count(data, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return f
		}
		off += i + 1
		f.lineStarts = append(f.lineStarts, int32(off))
	}
}

// Lines returns the number of lines in the file.
func (f *File) Lines() int { return len(f.lineStarts) }

// Line returns line n (1-based) without its line ending, or "" and false
// when n is out of range.
func (f *File) Line(n int) (string, bool) {
	if n < 1 || n > len(f.lineStarts) {
		return "", false
	}
	start := int(f.lineStarts[n-1])
	end := len(f.Data)
	if n < len(f.lineStarts) {
		end = int(f.lineStarts[n]) - 1
	}
	if end < start {
		end = start
	}
	return string(bytes.TrimRight(f.Data[start:end], "\r")), true
}

// LineOf returns the 1-based line and column (in bytes, 1-based) of a byte
// offset.
func (f *File) LineOf(offset int) (line, col int) {
	i := sort.Search(len(f.lineStarts), func(i int) bool { return int(f.lineStarts[i]) > offset }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, offset - int(f.lineStarts[i]) + 1
}

// runeCol returns the 1-based column of a byte offset counted in Unicode
// code points, as YAML positions are.
func (f *File) runeCol(offset int) int {
	line, _ := f.LineOf(offset)
	return utf8.RuneCount(f.Data[int(f.lineStarts[line-1]):offset]) + 1
}
