package manifest

import (
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// maxDepth bounds nesting, mapping and sequence levels together. YAML
// parsers accept 10,000 levels; no manifest comes near 1,000, and deeper
// trees would only make every later recursive step slow.
const maxDepth = 1000

// Alias expansion is bounded exactly as go-yaml (v2, which kubectl reads
// manifests with, and v3) bounds it: once more than 100 nodes came from
// aliases in a document of more than 1,000 decoded nodes, the share of
// alias-expanded nodes may not exceed 99% up to 400,000 decoded nodes,
// falling linearly to 10% at 4,000,000. A "billion laughs" document stops
// after about a hundred times its own size.
const (
	aliasRatioRangeLow  = 400_000
	aliasRatioRangeHigh = 4_000_000
)

func allowedAliasRatio(decoded int) float64 {
	switch {
	case decoded <= aliasRatioRangeLow:
		return 0.99
	case decoded >= aliasRatioRangeHigh:
		return 0.10
	default:
		return 0.99 - 0.89*float64(decoded-aliasRatioRangeLow)/float64(aliasRatioRangeHigh-aliasRatioRangeLow)
	}
}

// converter turns a yaml.Node tree into the plain value kubectl would send
// to the API server, resolving plain scalars with YAML 1.1 rules, expanding
// aliases and merge keys within go-yaml's bound, and recording duplicate
// keys, YAML 1.1/1.2 ambiguities and Helm template syntax on the way.
type converter struct {
	path      string
	decoded   int // nodes converted, counting alias expansions again
	expanded  int // of which reached through an alias
	aliasing  int // > 0 while inside an alias expansion
	errs      []*Error
	ambiguous []AmbiguousValue
	steps     []PathStep
	fatal     *Error
	// merges is set once a merge key ("<<") was met.
	merges bool
	// unbounded skips the alias budget, for parts of a document that
	// was checked whole.
	unbounded bool
	// build is set when convert returns the plain value. Without it,
	// convert only checks the tree and records problems: it returns
	// map[string]any(nil) for a mapping and nil for anything else.
	build bool
	// template is the first node that is Helm template syntax rather
	// than YAML: {{ x }} read as a flow mapping, or a Helm-only action
	// such as {{ .Values.x }} in a string.
	template *yaml.Node
}

// newConverter returns a converter that builds plain values.
func newConverter(path string) *converter {
	return &converter{path: path, build: true}
}

// newChecker returns a converter that only checks a tree: it records the
// same problems and ambiguities as newConverter's without allocating the
// plain value.
func newChecker(path string) *converter {
	return &converter{path: path}
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

// convert returns the plain value of n. After a fatal problem (aliasing,
// depth) it returns nil and c.fatal is set.
func (c *converter) convert(n *yaml.Node) any {
	if c.fatal != nil {
		return nil
	}
	c.decoded++
	if c.aliasing > 0 && !c.unbounded {
		c.expanded++
		if c.expanded > 100 && c.decoded > 1000 && float64(c.expanded)/float64(c.decoded) > allowedAliasRatio(c.decoded) {
			c.fail(n, "document contains excessive aliasing: its anchors and aliases expand to far more nodes than it holds (an alias bomb?); kubectl refuses it too")
			return nil
		}
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
		if !c.build {
			for i, e := range n.Content {
				c.steps = append(c.steps, PathStep{Index: i})
				c.convert(e)
				c.steps = c.steps[:len(c.steps)-1]
			}
			return nil
		}
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
	var out map[string]any
	var seen keySet
	if c.build {
		out = make(map[string]any, len(n.Content)/2)
	}
	var merges []*yaml.Node
	if n.Style&yaml.FlowStyle != 0 && len(n.Content) >= 2 && n.Content[0].Kind == yaml.MappingNode &&
		n.Content[0].Style&yaml.FlowStyle != 0 && c.template == nil {
		// "{{ .Release.Name }}" reads as a flow mapping whose key is a
		// flow mapping: template syntax, never a Kubernetes value.
		c.template = n
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" && k.Style&^yaml.TaggedStyle == 0 {
			merges = append(merges, v)
			c.merges = true
			continue
		}
		key, ok := c.key(k)
		if !ok {
			continue
		}
		var dup bool
		if c.build {
			_, dup = out[key]
		} else {
			dup = !seen.add(key)
		}
		if dup && c.aliasing == 0 {
			c.errs = append(c.errs, newError(c.path, k.Line, k.Column, nil,
				"duplicate key %q (first defined at line %d); Kubernetes rejects the object", key, c.firstKey(n, key).Line))
		}
		c.steps = append(c.steps, PathStep{Key: key, Index: -1})
		if c.build {
			out[key] = c.convert(v)
		} else {
			c.convert(v)
		}
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

// keySet is a set of mapping keys that allocates only for large mappings.
type keySet struct {
	small [16]string
	n     int
	large map[string]bool
}

// add adds key and reports whether it was new.
func (s *keySet) add(key string) bool {
	if s.large != nil {
		if s.large[key] {
			return false
		}
		s.large[key] = true
		return true
	}
	for _, k := range s.small[:s.n] {
		if k == key {
			return false
		}
	}
	if s.n < len(s.small) {
		s.small[s.n] = key
		s.n++
		return true
	}
	s.large = make(map[string]bool, 2*len(s.small))
	for _, k := range s.small {
		s.large[k] = true
	}
	s.large[key] = true
	return true
}

// firstKey returns the first key node of n that converts to key.
func (c *converter) firstKey(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolveAlias(n.Content[i]); k != nil && k.Kind == yaml.ScalarNode {
			if s, ok := (&converter{path: c.path}).key(k); ok && s == key {
				return k
			}
		}
	}
	return n
}

// key converts a mapping key as sigs.k8s.io/yaml does: scalars that YAML 1.1
// resolves to booleans or numbers become their text (floats formatted as
// go-yaml formats a float32), and a null key is refused.
func (c *converter) key(k *yaml.Node) (string, bool) {
	k = resolveAlias(k)
	if k == nil || k.Kind != yaml.ScalarNode {
		if k != nil {
			c.errs = append(c.errs, newError(c.path, k.Line, k.Column, nil, "mapping key is not a scalar; Kubernetes objects need string keys"))
		}
		return "", false
	}
	if k.Style&^yaml.TaggedStyle != 0 || isPlainString(k.Value) {
		return k.Value, true
	}
	switch v := resolve11(explicitTag(k), k.Value).(type) {
	case bool:
		return strconv.FormatBool(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		switch s := strconv.FormatFloat(v, 'g', -1, 32); s {
		case "+Inf":
			return ".inf", true
		case "-Inf":
			return "-.inf", true
		case "NaN":
			return ".nan", true
		default:
			return s, true
		}
	case nil:
		c.errs = append(c.errs, newError(c.path, k.Line, k.Column, nil, "mapping key is null; kubectl cannot read the object"))
		return "", false
	}
	return k.Value, true
}

func (c *converter) scalar(n *yaml.Node) any {
	// Quoted and block scalars are always strings.
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value
	}
	if c.template == nil && strings.Contains(n.Value, "{{") && hasHelmMarker(n.Value) {
		c.template = n
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return n.Value
	}
	tag := explicitTag(n)
	if tag == "!" || tag == "" && isPlainString(n.Value) {
		return n.Value
	}
	if c.aliasing == 0 && tag == "" {
		if a, ok := ambiguity(n.Value); ok {
			a.FieldPath = c.fieldPath()
			a.Line, a.Col = n.Line, n.Column
			c.ambiguous = append(c.ambiguous, a)
		}
	}
	if !c.build {
		return nil
	}
	return resolve11(tag, n.Value)
}

// scalarValue is the plain value of a scalar node, as convert returns it.
func scalarValue(n *yaml.Node) any {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return n.Value
	}
	tag := explicitTag(n)
	if tag == "!" || tag == "" && isPlainString(n.Value) {
		return n.Value
	}
	return resolve11(tag, n.Value)
}
