package cluster

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/kubeplan/kubeplan/lint/manifest"
	"k8s.io/apimachinery/pkg/runtime"
)

// DecodeError is a field of a built-in object that the API server's strict
// decoding would refuse: an unknown field, or a value of the wrong type.
type DecodeError struct {
	// FieldPath locates the field (manifest.Object.Locate syntax).
	FieldPath string
	// Message says what is wrong, in the API server's terms.
	Message string
}

// structInfo is the JSON view of a Go struct: field name -> field.
type structInfo struct {
	fields map[string]fieldInfo
	// direct is set when decodeFast may set fields by index: no JSON
	// name is shared by two fields and no inlined struct sits behind a
	// pointer.
	direct bool
}

type fieldInfo struct {
	index []int
	typ   reflect.Type
}

// typeChecker validates plain values against Go API types the way
// encoding/json with DisallowUnknownFields would, but reports every problem
// with its field path instead of stopping at the first. Its cache is per
// Build, so there is no package-level state.
type typeChecker struct {
	mu    sync.RWMutex
	cache map[reflect.Type]*structInfo
	// unmarshalers caches, per type T, whether *T is a json.Unmarshaler.
	unmarshalers sync.Map
}

// unmarshals reports whether *t implements json.Unmarshaler.
func (tc *typeChecker) unmarshals(t reflect.Type) bool {
	if v, ok := tc.unmarshalers.Load(t); ok {
		return v.(bool)
	}
	u := reflect.PointerTo(t).Implements(unmarshalerType)
	tc.unmarshalers.Store(t, u)
	return u
}

func newTypeChecker() *typeChecker {
	return &typeChecker{cache: map[reflect.Type]*structInfo{}}
}

var unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()

func (tc *typeChecker) info(t reflect.Type) *structInfo {
	tc.mu.RLock()
	si := tc.cache[t]
	tc.mu.RUnlock()
	if si != nil {
		return si
	}
	si = &structInfo{fields: map[string]fieldInfo{}, direct: true}
	var add func(t reflect.Type, index []int)
	add = func(t reflect.Type, index []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			if f.Anonymous && (name == "" || strings.Contains(","+opts+",", ",inline,")) {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
					si.direct = false
				}
				if ft.Kind() == reflect.Struct {
					add(ft, idx)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if _, dup := si.fields[name]; !dup {
				si.fields[name] = fieldInfo{index: idx, typ: f.Type}
			} else {
				si.direct = false
			}
		}
	}
	add(t, nil)
	tc.mu.Lock()
	tc.cache[t] = si
	tc.mu.Unlock()
	return si
}

// check validates v against type t and appends problems to errs.
func (tc *typeChecker) check(path string, v any, t reflect.Type, errs *[]DecodeError) {
	if v == nil {
		return // null is accepted for every field, as encoding/json does
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		b, err := json.Marshal(v)
		if err != nil {
			*errs = append(*errs, DecodeError{FieldPath: path, Message: err.Error()})
			return
		}
		if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(b); err != nil {
			*errs = append(*errs, DecodeError{FieldPath: path, Message: fmt.Sprintf("invalid value %s: %v", abbreviate(v), err)})
		}
		return
	}
	bad := func(want string) {
		*errs = append(*errs, DecodeError{FieldPath: path, Message: fmt.Sprintf("expected %s, got %s %s", want, jsonKind(v), abbreviate(v))})
	}
	switch t.Kind() {
	case reflect.Interface:
		return
	case reflect.String:
		if _, ok := v.(string); !ok {
			bad("string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			bad("boolean")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		switch n := v.(type) {
		case int64:
			if t.Kind() == reflect.Int32 && (n > math.MaxInt32 || n < math.MinInt32) {
				*errs = append(*errs, DecodeError{FieldPath: path, Message: fmt.Sprintf("value %d overflows a 32-bit integer", n)})
			}
		case float64:
			if n != math.Trunc(n) {
				bad("integer")
			}
		default:
			bad("integer")
		}
	case reflect.Float32, reflect.Float64:
		switch v.(type) {
		case int64, float64:
		default:
			bad("number")
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			if _, ok := v.(string); !ok {
				bad("base64 string")
			}
			return
		}
		s, ok := v.([]any)
		if !ok {
			bad("list")
			return
		}
		for i, e := range s {
			tc.check(manifest.JoinIndex(path, i), e, t.Elem(), errs)
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			bad("map")
			return
		}
		for _, k := range sortedKeys(m) {
			tc.check(manifest.JoinKey(path, k), m[k], t.Elem(), errs)
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			bad("object")
			return
		}
		si := tc.info(t)
		for _, k := range sortedKeys(m) {
			f, ok := si.fields[k]
			if !ok {
				*errs = append(*errs, DecodeError{FieldPath: manifest.JoinKey(path, k), Message: fmt.Sprintf("unknown field %q", strings.TrimPrefix(manifest.JoinKey(path, k), "."))})
				continue
			}
			tc.check(manifest.JoinKey(path, k), m[k], f.typ, errs)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64, float64:
		return "number"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func abbreviate(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		return fmt.Sprintf("%q", x)
	case []any:
		return "[...]"
	case map[string]any:
		return "{...}"
	}
	return fmt.Sprint(v)
}

// prune returns a deep copy of m without the fields named by errs, so the
// rest of an object with a bad field can still be decoded and analysed.
func prune(m map[string]any, errs []DecodeError) map[string]any {
	cp := deepCopy(m).(map[string]any)
	for _, e := range errs {
		steps, ok := manifest.ParsePath(e.FieldPath)
		if !ok || len(steps) == 0 {
			continue
		}
		var cur any = cp
		for i, st := range steps {
			last := i == len(steps)-1
			switch c := cur.(type) {
			case map[string]any:
				if last {
					delete(c, st.Key)
				}
				cur = c[st.Key]
			case []any:
				if st.Index < 0 || st.Index >= len(c) {
					cur = nil
					break
				}
				if last {
					c[st.Index] = nil
				}
				cur = c[st.Index]
			default:
				cur = nil
			}
			if cur == nil {
				break
			}
		}
	}
	return cp
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// decodeTyped decodes m into a new object of t, strictly: problems come back
// as DecodeErrors, and the object is still returned (without the bad fields)
// unless it cannot be decoded at all.
func (tc *typeChecker) decodeTyped(m map[string]any, t reflect.Type) (runtime.Object, []DecodeError) {
	// The usual object is valid: decode it in one walk, and take the
	// precise two-pass way only when that walk meets anything to report.
	obj := reflect.New(t)
	if tc.decodeFast(m, obj.Elem()) {
		return obj.Interface().(runtime.Object), nil
	}
	return tc.decodeChecked(m, t)
}

// decodeObject is decodeTyped for a loaded object: a valid object is
// decoded straight from its YAML nodes when it can be, so that its plain
// map is not built at all.
func (tc *typeChecker) decodeObject(src *manifest.Object, t reflect.Type) (runtime.Object, []DecodeError) {
	if root, ok := src.PlainRoot(); ok {
		obj := reflect.New(t)
		if tc.decodePlain(root, obj.Elem()) {
			return obj.Interface().(runtime.Object), nil
		}
		return tc.decodeChecked(src.Map(), t)
	}
	return tc.decodeTyped(src.Map(), t)
}

// decodeChecked checks m against t, reporting every problem, then decodes
// what is left with the unstructured converter.
func (tc *typeChecker) decodeChecked(m map[string]any, t reflect.Type) (runtime.Object, []DecodeError) {
	var errs []DecodeError
	tc.check("", m, t, &errs)
	src := m
	if len(errs) > 0 {
		src = prune(m, errs)
	}
	obj := reflect.New(t).Interface().(runtime.Object)
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(src, obj); err != nil {
		errs = append(errs, DecodeError{Message: "cannot decode: " + err.Error()})
		return nil, errs
	}
	return obj, errs
}

// decodeFast sets dv (a zero value) from v as
// runtime.DefaultUnstructuredConverter.FromUnstructured would, in the same
// walk that check makes. It reports false as soon as check would report a
// problem, or the conversion would fail, or the value is one it does not
// handle the same way; dv is then to be discarded.
func (tc *typeChecker) decodeFast(v any, dv reflect.Value) bool {
	if v == nil {
		return true // dv stays zero, as null leaves it
	}
	dt := dv.Type()
	if dt.Kind() == reflect.Pointer {
		if tc.unmarshals(dt) {
			return false
		}
		p := reflect.New(dt.Elem())
		if !tc.decodeFast(v, p.Elem()) {
			return false
		}
		dv.Set(p)
		return true
	}
	if tc.unmarshals(dt) {
		switch dt.Kind() {
		case reflect.Map, reflect.Slice, reflect.Struct, reflect.Interface:
		default:
			return false // the converter assigns these; check unmarshals
		}
		b, err := json.Marshal(v)
		if err != nil {
			return false
		}
		return dv.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(b) == nil
	}
	switch dt.Kind() {
	case reflect.Interface:
		dv.Set(reflect.ValueOf(v))
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return false
		}
		dv.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return false
		}
		dv.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		switch n := v.(type) {
		case int64:
			if dt.Kind() == reflect.Int32 && (n > math.MaxInt32 || n < math.MinInt32) {
				return false
			}
			dv.Set(reflect.ValueOf(n).Convert(dt))
		case float64:
			if n != math.Trunc(n) {
				return false
			}
			dv.Set(reflect.ValueOf(n).Convert(dt))
		default:
			return false
		}
	case reflect.Float32, reflect.Float64:
		switch n := v.(type) {
		case int64:
			dv.Set(reflect.ValueOf(n).Convert(dt))
		case float64:
			dv.Set(reflect.ValueOf(n).Convert(dt))
		default:
			return false
		}
	case reflect.Slice:
		if dt.Elem().Kind() == reflect.Uint8 {
			s, ok := v.(string)
			if !ok {
				return false
			}
			if s == "" {
				dv.Set(reflect.MakeSlice(dt, 0, 0))
				return true
			}
			// As the converter does, through encoding/json's base64.
			quoted, err := json.Marshal(s)
			if err != nil {
				return false
			}
			var data []byte
			if json.Unmarshal(quoted, &data) != nil {
				return false
			}
			dv.SetBytes(data)
			return true
		}
		s, ok := v.([]any)
		if !ok {
			return false
		}
		dv.Set(reflect.MakeSlice(dt, len(s), cap(s)))
		for i, e := range s {
			if !tc.decodeFast(e, dv.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok || dt.Key().Kind() != reflect.String {
			return false
		}
		out := reflect.MakeMapWithSize(dt, len(m))
		kt, et := dt.Key(), dt.Elem()
		for k, e := range m {
			ev := reflect.New(et).Elem()
			if !tc.decodeFast(e, ev) {
				return false
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(kt), ev)
		}
		dv.Set(out)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		si := tc.info(dt)
		if !si.direct {
			return false
		}
		for k, e := range m {
			f, ok := si.fields[k]
			if !ok {
				return false // an unknown field
			}
			if e == nil {
				continue
			}
			if !tc.decodeFast(e, dv.FieldByIndex(f.index)) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

// decodePlain is decodeFast over a view of the YAML nodes: it walks lists,
// mappings and structs itself and hands every other value, built as Map
// would hold it, to decodeFast.
func (tc *typeChecker) decodePlain(p manifest.Plain, dv reflect.Value) bool {
	if p.IsNull() {
		return true
	}
	dt := dv.Type()
	if dt.Kind() == reflect.String && !tc.unmarshals(dt) {
		// The commonest leaf: set it without boxing the string.
		if s, ok := p.String(); ok {
			dv.SetString(s)
			return true
		}
	}
	if !p.IsList() && !p.IsMap() || dt.Kind() == reflect.Interface || tc.unmarshals(dt) {
		return tc.decodeFast(p.Value(), dv)
	}
	switch dt.Kind() {
	case reflect.Pointer:
		n := reflect.New(dt.Elem())
		if !tc.decodePlain(p, n.Elem()) {
			return false
		}
		dv.Set(n)
	case reflect.Slice:
		if !p.IsList() || dt.Elem().Kind() == reflect.Uint8 {
			return false
		}
		n := p.Len()
		dv.Set(reflect.MakeSlice(dt, n, n))
		for i := range n {
			if !tc.decodePlain(p.Index(i), dv.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		if !p.IsMap() || dt.Key().Kind() != reflect.String {
			return false
		}
		out := reflect.MakeMap(dt)
		kt, et := dt.Key(), dt.Elem()
		ok := p.Range(func(k string, e manifest.Plain) bool {
			ev := reflect.New(et).Elem()
			if !tc.decodePlain(e, ev) {
				return false
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(kt), ev)
			return true
		})
		if !ok {
			return false
		}
		dv.Set(out)
	case reflect.Struct:
		if !p.IsMap() {
			return false
		}
		si := tc.info(dt)
		if !si.direct {
			return false
		}
		return p.Range(func(k string, e manifest.Plain) bool {
			f, ok := si.fields[k]
			if !ok {
				return false // an unknown field
			}
			return tc.decodePlain(e, dv.FieldByIndex(f.index))
		})
	default:
		return false
	}
	return true
}
