package manifest

import (
	"strconv"
	"strings"

	"github.com/kubeplan/kubeplan/lint/manifest/internal/ytree"
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

// converter turns a YAML node tree into the plain value kubectl would send
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
	// ambiguousAt are the nodes of ambiguous, whose field paths
	// ambiguities fills in.
	ambiguousAt []ytree.Node
	// root is the first node converted; depth counts the collections
	// entered below it.
	root  ytree.Node
	depth int
	fatal *Error
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
	template ytree.Node
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

// ambiguities returns the ambiguous scalars met, with their field paths:
// one walk of the tree finds them all, so converting a document does not
// track its path.
func (c *converter) ambiguities() []AmbiguousValue {
	if len(c.ambiguous) == 0 {
		return nil
	}
	at := make(map[ytree.Node][]int, len(c.ambiguousAt))
	for i, n := range c.ambiguousAt {
		at[n] = append(at[n], i)
	}
	var steps []PathStep
	var walk func(n ytree.Node)
	walk = func(n ytree.Node) {
		for _, i := range at[n] {
			c.ambiguous[i].FieldPath = formatPath(steps)
		}
		switch n.Kind() {
		case ytree.SequenceNode:
			for i := range n.Len() {
				steps = append(steps, PathStep{Index: i})
				walk(n.Child(i))
				steps = steps[:len(steps)-1]
			}
		case ytree.MappingNode:
			for i := 0; i+1 < n.Len(); i += 2 {
				k := n.Child(i)
				if k.IsMergeKey() {
					continue
				}
				key, ok := (&converter{}).key(k)
				if !ok {
					continue
				}
				steps = append(steps, PathStep{Key: key, Index: -1})
				walk(n.Child(i + 1))
				steps = steps[:len(steps)-1]
			}
		}
	}
	walk(c.root)
	return c.ambiguous
}

// formatPath writes steps as a field path.
func formatPath(steps []PathStep) string {
	var b strings.Builder
	for _, st := range steps {
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

func (c *converter) fail(n ytree.Node, format string, args ...any) {
	if c.fatal == nil {
		c.fatal = newError(c.path, n.Line(), n.Column(), nil, format, args...)
	}
}

// convert returns the plain value of n. After a fatal problem (aliasing,
// depth) it returns nil and c.fatal is set.
func (c *converter) convert(n ytree.Node) any {
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
	if c.root.IsZero() {
		c.root = n
	}
	if c.depth > maxDepth {
		c.fail(n, "document nests deeper than %d levels", maxDepth)
		return nil
	}
	switch n.Kind() {
	case ytree.AliasNode:
		target := n.Alias()
		if target.IsZero() {
			return nil
		}
		c.aliasing++
		v := c.convert(target)
		c.aliasing--
		return v
	case ytree.ScalarNode:
		return c.scalar(n)
	case ytree.SequenceNode:
		if !c.build {
			c.depth++
			for i := range n.Len() {
				c.convert(n.Child(i))
			}
			c.depth--
			return nil
		}
		out := make([]any, n.Len())
		c.depth++
		for i := range out {
			out[i] = c.convert(n.Child(i))
		}
		c.depth--
		return out
	case ytree.MappingNode:
		return c.mapping(n)
	}
	return nil
}

func (c *converter) mapping(n ytree.Node) map[string]any {
	var out map[string]any
	var seen keySet
	if c.build {
		out = make(map[string]any, n.Len()/2)
	}
	var merges []ytree.Node
	if n.Style()&ytree.FlowStyle != 0 && n.Len() >= 2 && n.Child(0).Kind() == ytree.MappingNode &&
		n.Child(0).Style()&ytree.FlowStyle != 0 && c.template.IsZero() {
		// "{{ .Release.Name }}" reads as a flow mapping whose key is a
		// flow mapping: template syntax, never a Kubernetes value.
		c.template = n
	}
	for i := 0; i+1 < n.Len(); i += 2 {
		k, v := n.Child(i), n.Child(i+1)
		if k.IsMergeKey() {
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
			c.errs = append(c.errs, newError(c.path, k.Line(), k.Column(), nil,
				"duplicate key %q (first defined at line %d); Kubernetes rejects the object", key, c.firstKey(n, key).Line()))
		}
		c.depth++
		if c.build {
			out[key] = c.convert(v)
		} else {
			c.convert(v)
		}
		c.depth--
	}
	// Merge keys (YAML 1.1 "<<"): keys written in the mapping win; among
	// several merged maps, the earlier one wins.
	for _, m := range merges {
		m = m.Resolve()
		var srcs []ytree.Node
		if m.Kind() == ytree.SequenceNode {
			for i := range m.Len() {
				srcs = append(srcs, m.Child(i))
			}
		} else {
			srcs = []ytree.Node{m}
		}
		for _, s := range srcs {
			c.aliasing++
			var mv map[string]any
			ok := false
			if !s.IsZero() {
				mv, ok = c.convert(s).(map[string]any)
			}
			c.aliasing--
			if !ok {
				if !s.IsZero() {
					c.errs = append(c.errs, newError(c.path, s.Line(), s.Column(), nil, "merge key \"<<\" needs a mapping or a list of mappings"))
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
func (c *converter) firstKey(n ytree.Node, key string) ytree.Node {
	for i := 0; i+1 < n.Len(); i += 2 {
		if k := n.Child(i).Resolve(); k.Kind() == ytree.ScalarNode {
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
func (c *converter) key(k ytree.Node) (string, bool) {
	k = k.Resolve()
	if k.Kind() != ytree.ScalarNode {
		if !k.IsZero() {
			c.errs = append(c.errs, newError(c.path, k.Line(), k.Column(), nil, "mapping key is not a scalar; Kubernetes objects need string keys"))
		}
		return "", false
	}
	if k.Style()&^ytree.TaggedStyle != 0 || isPlainString(k.Value()) {
		return k.Value(), true
	}
	switch v := resolve11(explicitTag(k), k.Value()).(type) {
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
		c.errs = append(c.errs, newError(c.path, k.Line(), k.Column(), nil, "mapping key is null; kubectl cannot read the object"))
		return "", false
	}
	return k.Value(), true
}

func (c *converter) scalar(n ytree.Node) any {
	value := n.Value()
	// Quoted and block scalars are always strings. A checker returns
	// nil: boxing every value would allocate for nothing.
	if n.Style()&(ytree.LiteralStyle|ytree.FoldedStyle) != 0 {
		return c.result(value)
	}
	if c.template.IsZero() && strings.Contains(value, "{{") && hasHelmMarker(value) {
		c.template = n
	}
	if n.Style()&(ytree.DoubleQuotedStyle|ytree.SingleQuotedStyle) != 0 {
		return c.result(value)
	}
	tag := explicitTag(n)
	if tag == "!" || tag == "" && isPlainString(value) {
		return c.result(value)
	}
	if c.aliasing == 0 && tag == "" {
		if a, ok := ambiguity(value); ok {
			a.Line, a.Col = n.Line(), n.Column()
			c.ambiguous = append(c.ambiguous, a)
			c.ambiguousAt = append(c.ambiguousAt, n)
		}
	}
	if !c.build {
		return nil
	}
	return resolve11(tag, value)
}

// result returns a string scalar's value when c builds values, nil when it
// only checks.
func (c *converter) result(s string) any {
	if !c.build {
		return nil
	}
	return s
}

// scalarValue is the plain value of a scalar node, as convert returns it.
func scalarValue(n ytree.Node) any {
	if s, ok := stringScalar(n); ok {
		return s
	}
	return resolve11(explicitTag(n), n.Value())
}

// stringScalar returns a scalar's value when it is a string without
// resolving it: quoted and block scalars, "!"-tagged ones and plain ones
// that cannot be anything else.
func stringScalar(n ytree.Node) (string, bool) {
	value := n.Value()
	if n.Style()&(ytree.LiteralStyle|ytree.FoldedStyle|ytree.DoubleQuotedStyle|ytree.SingleQuotedStyle) != 0 {
		return value, true
	}
	tag := explicitTag(n)
	return value, tag == "!" || tag == "" && isPlainString(value)
}
