// Package manifest loads Kubernetes manifests from files, directories,
// standard input and kustomize directories into objects that remember where
// they came from: file, document, line and column of the object and of every
// field.
//
// Load never panics on bad input and never stops at the first bad file: each
// problem becomes an *Error with file:line:col, and every object that could be
// read is still returned. Line numbers are absolute within the file, also for
// the second and later documents of a multi-document file.
//
// Values are read as kubectl reads them (YAML 1.1 through sigs.k8s.io/yaml:
// yes/on are booleans, 0777 is octal, a JSON stream is JSON), and the
// values YAML 1.2 tools read differently are recorded. Hostile input is
// bounded: files over a size limit, nesting deeper than 1,000 levels and
// alias bombs (with go-yaml's own bound) are errors; binary, non-UTF-8,
// tab-indented and Helm-template files get errors that say so. Kustomize
// directories are built offline with krusty, on a read-only view of the
// disk, after every remote entry has been refused.
//
// Documents are kept as compact trees (internal/ytree) whose values share
// the file's memory: ytree.Parse reads the block YAML manifests are written
// in, and yaml.v3 (through kyaml) reads whatever it declines, so positions
// and values are yaml.v3's either way.
package manifest

import (
	"fmt"
)

// Error is a problem reading or parsing one source. It prints as
// "path:line:col: message" (line and column omitted when unknown) and wraps
// its cause.
type Error struct {
	Path string
	Line int
	Col  int
	Msg  string
	Err  error
}

// Error implements error.
func (e *Error) Error() string {
	pos := e.Path
	if e.Line > 0 {
		pos = fmt.Sprintf("%s:%d", pos, e.Line)
		if e.Col > 0 {
			pos = fmt.Sprintf("%s:%d", pos, e.Col)
		}
	}
	return pos + ": " + e.Msg
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

func newError(path string, line, col int, err error, format string, args ...any) *Error {
	return &Error{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Err: err}
}
