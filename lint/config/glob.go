package config

import (
	"fmt"
	"regexp"
	"strings"
)

// Glob matches slash-separated paths. '*' matches within one path segment,
// '**' matches any number of segments, '?' one character, and a pattern
// without '/' matches the base name at any depth (as in .gitignore).
type Glob struct {
	re *regexp.Regexp
}

// CompileGlob compiles a glob pattern.
func CompileGlob(pattern string) (*Glob, error) {
	if pattern == "" {
		return nil, fmt.Errorf("empty path pattern")
	}
	p := strings.TrimPrefix(pattern, "./")
	var b strings.Builder
	b.WriteString("^")
	if !strings.Contains(p, "/") {
		b.WriteString("(?:.*/)?")
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '*' && i+1 < len(p) && p[i+1] == '*':
			i++
			if i+1 < len(p) && p[i+1] == '/' {
				i++
				b.WriteString("(?:.*/)?")
			} else {
				b.WriteString(".*")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	// A directory pattern matches everything below it.
	b.WriteString("(?:/.*)?$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("bad path pattern %q: %w", pattern, err)
	}
	return &Glob{re: re}, nil
}

// Match reports whether the slash-separated path matches.
func (g *Glob) Match(path string) bool {
	return g.re.MatchString(strings.TrimPrefix(path, "./"))
}
