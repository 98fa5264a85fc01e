package manifest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/kubeplan/kubeplan/lint/manifest/internal/ytree"
)

// explicitTag returns the tag written in the source ("!!str", "!foo"), or ""
// for an untagged scalar: yaml.v3 fills Tag with the YAML 1.2 resolution
// either way and marks written tags with TaggedStyle.
func explicitTag(n ytree.Node) string {
	return n.Tag()
}

// isPlainString reports, cheaply, that a plain scalar resolves to a string
// in YAML 1.1 and is not ambiguous: it starts with a letter that starts no
// boolean or null word (y n t f o and their capitals), or with a character
// no number, null or special float starts with.
func isPlainString(s string) bool {
	if s == "" {
		return false
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '+', c == '-', c == '.', c == '~', c == '<', c == '=':
		return false
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		switch c | 0x20 {
		case 'y', 'n', 't', 'f', 'o':
			return false
		}
	}
	return true
}

var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"true": true, "True": true, "TRUE": true,
	"on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false,
	"false": false, "False": false, "FALSE": false,
	"off": false, "Off": false, "OFF": false,
}

var yaml11Float = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// resolve11 resolves a plain scalar the way go-yaml v2 (and so kubectl's
// sigs.k8s.io/yaml) does: YAML 1.1 booleans, octal and binary integers,
// underscores in numbers; timestamps stay strings.
func resolve11(tag, s string) any {
	switch tag {
	case "", "!!bool", "!!int", "!!float", "!!null", "!!timestamp":
	case "!!str", "!!binary":
		return s
	default:
		// Custom tags keep the text, as go-yaml v2 does.
		if strings.HasPrefix(tag, "!") {
			return s
		}
	}
	if s == "" || s == "~" || s == "null" || s == "Null" || s == "NULL" {
		if tag == "!!str" {
			return s
		}
		return nil
	}
	if b, ok := yaml11Bools[s]; ok {
		return b
	}
	switch s {
	case ".nan", ".NaN", ".NAN":
		return math.NaN()
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1)
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1)
	}
	c := s[0]
	if c == '.' {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
		return s
	}
	if !(c >= '0' && c <= '9' || c == '+' || c == '-') || !couldBeNumber(s) {
		return s
	}
	plain := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
		if tag == "!!float" {
			return float64(i)
		}
		return i
	}
	if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return float64(u)
	}
	if yaml11Float.MatchString(plain) {
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			if f == math.Trunc(f) && math.Abs(f) < 1<<53 && !strings.ContainsAny(plain, ".eE") {
				return int64(f)
			}
			return f
		}
	}
	if strings.HasPrefix(plain, "0b") {
		if i, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
			return i
		}
	} else if strings.HasPrefix(plain, "-0b") {
		if i, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
			return i
		}
	}
	return s
}

// couldBeNumber reports whether s uses only characters some YAML 1.1
// number is written with, and at most one dot: a cheap test that spares
// the parse (and its error) for the many strings like "512Mi", "10.0.0.1"
// or "1.25-alpine" that start like numbers.
func couldBeNumber(s string) bool {
	dots := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F',
			c == 'x', c == 'X', c == 'o', c == 'O', c == '_', c == '+', c == '-':
		case c == '.':
			if dots++; dots > 1 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

var octal11 = regexp.MustCompile(`^[-+]?0[0-7]+$`)

// ambiguity reports whether a plain scalar is read differently by YAML 1.1
// (Kubernetes) and a YAML 1.2 core-schema reader, and how.
func ambiguity(s string) (AmbiguousValue, bool) {
	if s == "" {
		return AmbiguousValue{}, false
	}
	if b, ok := yaml11Bools[s]; ok {
		switch s {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return AmbiguousValue{}, false
		}
		return AmbiguousValue{Value: s, AsYAML11: fmt.Sprintf("boolean %t", b), AsYAML12: fmt.Sprintf("string %q", s)}, true
	}
	c := s[0]
	if !(c >= '0' && c <= '9' || c == '+' || c == '-') {
		return AmbiguousValue{}, false
	}
	if octal11.MatchString(s) && strings.Trim(strings.TrimLeft(s, "+-"), "0") != "" {
		v := resolve11("", s)
		return AmbiguousValue{Value: s, AsYAML11: fmt.Sprintf("octal integer %v", v),
			AsYAML12: fmt.Sprintf("decimal integer %s", strings.TrimLeft(strings.TrimLeft(s, "+-"), "0"))}, true
	}
	if strings.Contains(s, "_") || strings.HasPrefix(strings.TrimLeft(s, "+-"), "0b") {
		switch v := resolve11("", s).(type) {
		case int64, float64:
			return AmbiguousValue{Value: s, AsYAML11: fmt.Sprintf("number %v", v), AsYAML12: fmt.Sprintf("string %q", s)}, true
		}
	}
	return AmbiguousValue{}, false
}
