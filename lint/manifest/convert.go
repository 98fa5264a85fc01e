package manifest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// maxExpandedNodes bounds how many nodes converting one document may visit,
// counting each alias expansion again; it stops alias bombs ("billion
// laughs") long before they cost memory or time.
const maxExpandedNodes = 2_000_000

// maxDepth bounds nesting, mapping and sequence levels together.
const maxDepth = 1000

// converter turns a yaml.Node tree into the plain value kubectl would send
// to the API server, resolving plain scalars with YAML 1.1 rules, expanding
// aliases and merge keys within a budget, and recording duplicate keys and
// YAML 1.1/1.2 ambiguities on the way.
type converter struct {
	path      string
	budget    int
	aliasing  int // > 0 while inside an alias expansion
	errs      []*Error
	ambiguous []AmbiguousValue
	steps     []PathStep
	fatal     *Error
}

func newConverter(path string) *converter {
	return &converter{path: path, budget: maxExpandedNodes}
}

func (c *converter) fieldPath() string {
	var b strings.Builder
	for _, st := range c.steps {
		if st.Index >= 0 {
			b.WriteString("[" + strconv.Itoa(st.Index) + "]")
			continue
		}
		if b.Len() == 0 && !strings.ContainsAny(st.Key, ".[]\"") && st.Key != "" {
			b.WriteString(st.Key)
			continue
		}
		s := JoinKey("x", st.Key)
		b.WriteString(s[1:])
	}
	return b.String()
}

func (c *converter) fail(n *yaml.Node, format string, args ...any) {
	if c.fatal == nil {
		c.fatal = newError(c.path, n.Line, n.Column, nil, format, args...)
	}
}

// convert returns the plain value of n. After a fatal problem (budget,
// depth) it returns nil and c.fatal is set.
func (c *converter) convert(n *yaml.Node) any {
	if c.fatal != nil {
		return nil
	}
	c.budget--
	if c.budget < 0 {
		c.fail(n, "document expands to more than %d nodes through aliases; refusing to expand it (alias bomb?)", maxExpandedNodes)
		return nil
	}
	if len(c.steps) > maxDepth {
		c.fail(n, "document nests deeper than %d levels", maxDepth)
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return c.convert(n.Content[0])
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		c.aliasing++
		v := c.convert(n.Alias)
		c.aliasing--
		return v
	case yaml.ScalarNode:
		return c.scalar(n)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, e := range n.Content {
			c.steps = append(c.steps, PathStep{Index: i})
			out[i] = c.convert(e)
			c.steps = c.steps[:len(c.steps)-1]
		}
		return out
	case yaml.MappingNode:
		return c.mapping(n)
	}
	return nil
}

func (c *converter) mapping(n *yaml.Node) map[string]any {
	out := make(map[string]any, len(n.Content)/2)
	var merges []*yaml.Node
	var seen map[string]*yaml.Node
	if c.aliasing == 0 && len(n.Content) > 2 {
		seen = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" && k.Style&^yaml.TaggedStyle == 0 {
			merges = append(merges, v)
			continue
		}
		key, ok := c.key(k)
		if !ok {
			continue
		}
		if seen != nil {
			if first, dup := seen[key]; dup {
				c.errs = append(c.errs, newError(c.path, k.Line, k.Column, nil,
					"duplicate key %q (first defined at line %d); Kubernetes rejects the object", key, first.Line))
			} else {
				seen[key] = k
			}
		}
		c.steps = append(c.steps, PathStep{Key: key, Index: -1})
		out[key] = c.convert(v)
		c.steps = c.steps[:len(c.steps)-1]
	}
	// Merge keys (YAML 1.1 "<<"): keys written in the mapping win; among
	// several merged maps, the earlier one wins.
	for _, m := range merges {
		m = resolveAlias(m)
		var srcs []*yaml.Node
		if m != nil && m.Kind == yaml.SequenceNode {
			srcs = m.Content
		} else {
			srcs = []*yaml.Node{m}
		}
		for _, s := range srcs {
			c.aliasing++
			mv, ok := c.convert(s).(map[string]any)
			c.aliasing--
			if !ok {
				if s != nil {
					c.errs = append(c.errs, newError(c.path, s.Line, s.Column, nil, "merge key \"<<\" needs a mapping or a list of mappings"))
				}
				continue
			}
			for k, v := range mv {
				if _, exists := out[k]; !exists {
					out[k] = v
				}
			}
		}
	}
	return out
}

// key converts a mapping key as sigs.k8s.io/yaml does: scalars that YAML 1.1
// resolves to booleans or numbers become their JSON text.
func (c *converter) key(k *yaml.Node) (string, bool) {
	k = resolveAlias(k)
	if k == nil || k.Kind != yaml.ScalarNode {
		if k != nil {
			c.errs = append(c.errs, newError(c.path, k.Line, k.Column, nil, "mapping key is not a scalar; Kubernetes objects need string keys"))
		}
		return "", false
	}
	if k.Style&^yaml.TaggedStyle != 0 {
		return k.Value, true
	}
	switch v := resolve11(explicitTag(k), k.Value).(type) {
	case bool:
		return strconv.FormatBool(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case nil:
		return "null", true
	}
	return k.Value, true
}

func (c *converter) scalar(n *yaml.Node) any {
	// Quoted and block scalars are always strings.
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value
	}
	tag := explicitTag(n)
	if tag == "!" {
		return n.Value
	}
	v := resolve11(tag, n.Value)
	if c.aliasing == 0 && tag == "" {
		if a, ok := ambiguity(n.Value); ok {
			a.FieldPath = c.fieldPath()
			a.Line, a.Col = n.Line, n.Column
			c.ambiguous = append(c.ambiguous, a)
		}
	}
	return v
}

// explicitTag returns the tag written in the source ("!!str", "!foo"), or ""
// for an untagged scalar: yaml.v3 fills Tag with the YAML 1.2 resolution
// either way and marks written tags with TaggedStyle.
func explicitTag(n *yaml.Node) string {
	if n.Style&yaml.TaggedStyle != 0 {
		return n.Tag
	}
	return ""
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
	if !(c >= '0' && c <= '9' || c == '+' || c == '-') {
		return s
	}
	plain := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
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

