package manifest

import (
	"math"
	"slices"

	"sigs.k8s.io/kustomize/api/resource"
)

// outputMap returns a kustomize output object's plain data as kubectl reads
// `kustomize build` output: kustomize prints its objects through JSON
// (yaml.v3 values, YAML 1.2 rules, then JSON numbers), and kubectl reads
// that text back. Decoding the object's node and normalising the values
// as that round trip does gives the same data for a fraction of the cost;
// values the shortcut cannot vouch for take the printed route.
func outputMap(r *resource.Resource, path string) (map[string]any, *Error) {
	if m, err := r.Map(); err == nil && m != nil {
		if jsonRoundTrip(m) {
			return m, nil
		}
	}
	return printedOutputMap(r, path)
}

// printedOutputMap reads an output object from the text kustomize prints.
func printedOutputMap(r *resource.Resource, path string) (map[string]any, *Error) {
	text, err := r.AsYAML()
	if err != nil {
		return nil, newError(path, 0, 0, err, "kustomize output of %s: %v", r.CurId(), err)
	}
	t, deep, err := readText(text)
	if err != nil || t == nil {
		return nil, newError(path, 0, 0, err, "kustomize output of %s does not parse: %v", r.CurId(), err)
	}
	if deep {
		return nil, newError(path, 0, 0, nil, "kustomize output of %s nests deeper than %d levels; not read", r.CurId(), maxDepth)
	}
	c := newConverter(path)
	m, ok := c.convert(t.Root()).(map[string]any)
	if !ok || c.fatal != nil {
		return nil, newError(path, 0, 0, nil, "kustomize output of %s is not an object", r.CurId())
	}
	return m, nil
}

// maxExactJSONInt bounds the integral floats JSON prints without an
// exponent (encoding/json switches at 1e21) and int64 holds.
const maxExactJSONInt = 1 << 62

// jsonRoundTrip rewrites, in place, the values yaml.v3 decoded into what
// printing them as JSON and reading the text back with YAML 1.1 rules
// gives: every integer becomes int64, an integral float prints as an
// integer and so becomes int64. It reports false when a value is of a kind
// the rewrite does not know (timestamps, binary, non-string keys, huge or
// non-finite numbers, nesting deeper than maxDepth).
func jsonRoundTrip(v any) bool {
	return roundTrip(v, 0)
}

func roundTrip(v any, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			n, ok := roundTripValue(e, depth)
			if !ok {
				return false
			}
			x[k] = n
		}
	case []any:
		for i, e := range x {
			n, ok := roundTripValue(e, depth)
			if !ok {
				return false
			}
			x[i] = n
		}
	default:
		return false
	}
	return true
}

func roundTripValue(v any, depth int) (any, bool) {
	switch x := v.(type) {
	case nil, string, bool, int64:
		return v, true
	case int:
		return int64(x), true
	case uint64:
		if x > math.MaxInt64 {
			return nil, false
		}
		return int64(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
		if x == math.Trunc(x) {
			if math.Abs(x) >= maxExactJSONInt {
				return nil, false
			}
			return int64(x), true
		}
		return x, true
	case map[string]any, []any:
		return v, roundTrip(v, depth+1)
	}
	return nil, false
}

// outputAmbiguities returns the ambiguous plain scalars of the text
// kustomize would print for m: strings that go-yaml v2 prints unquoted
// (it reads them as strings) but a YAML 1.2 reader reads as something
// else. Keys are visited in the sorted order the printer uses.
func outputAmbiguities(m map[string]any) []AmbiguousValue {
	var out []AmbiguousValue
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(x[k], JoinKey(path, k))
			}
		case []any:
			for i, e := range x {
				walk(e, JoinIndex(path, i))
			}
		case string:
			if isPlainString(x) {
				return
			}
			if _, isString := resolve11("", x).(string); !isString {
				return // printed quoted
			}
			if a, ok := ambiguity(x); ok {
				a.FieldPath = path
				out = append(out, a)
			}
		}
	}
	walk(m, "")
	return out
}
