package manifest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	utiljson "k8s.io/apimachinery/pkg/util/json"
	sigsyaml "sigs.k8s.io/yaml"
)

// TestScalarResolutionMatchesKubectl pins how plain scalars resolve: as
// kubectl reads manifests, through sigs.k8s.io/yaml (go-yaml v2, YAML 1.1),
// which the test also uses as an oracle.
func TestScalarResolutionMatchesKubectl(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  any
	}{
		{name: "yes is a YAML 1.1 boolean", value: "yes", want: true},
		{name: "Yes is a YAML 1.1 boolean", value: "Yes", want: true},
		{name: "on is a YAML 1.1 boolean", value: "on", want: true},
		{name: "ON is a YAML 1.1 boolean", value: "ON", want: true},
		{name: "off is a YAML 1.1 boolean", value: "off", want: false},
		{name: "y is a YAML 1.1 boolean", value: "y", want: true},
		{name: "n is a YAML 1.1 boolean", value: "n", want: false},
		{name: "NO is a YAML 1.1 boolean", value: "NO", want: false},
		{name: "true stays a boolean", value: "true", want: true},
		{name: "False stays a boolean", value: "False", want: false},
		{name: "leading zero is octal", value: "0777", want: int64(511)},
		{name: "negative octal", value: "-010", want: int64(-8)},
		{name: "0o prefix is octal too", value: "0o17", want: int64(15)},
		{name: "binary", value: "0b1010", want: int64(10)},
		{name: "underscores in numbers", value: "1_000", want: int64(1000)},
		{name: "hexadecimal", value: "0x1F", want: int64(31)},
		{name: "plus sign", value: "+12", want: int64(12)},
		{name: "zero", value: "0", want: int64(0)},
		{name: "exponent is a float", value: "1e3", want: float64(1000)},
		{name: "leading dot is a float", value: ".5", want: 0.5},
		{name: "float with zero fraction", value: "1.0", want: float64(1)},
		{name: "integer beyond int64 becomes a float", value: "18446744073709551615", want: float64(18446744073709551615)},
		{name: "timestamps stay strings", value: "2024-01-01", want: "2024-01-01"},
		{name: "full timestamps stay strings", value: "2024-01-01T10:00:00Z", want: "2024-01-01T10:00:00Z"},
		{name: "sexagesimal is a string in go-yaml v2", value: "1:30", want: "1:30"},
		{name: "equals sign is a string", value: "=", want: "="},
		{name: "tilde is null", value: "~", want: nil},
		{name: "empty is null", value: "", want: nil},
		{name: "Null is null", value: "Null", want: nil},
		{name: "version-like text is a string", value: "1.2.3", want: "1.2.3"},
		{name: "double-quoted stays a string", value: `"yes"`, want: "yes"},
		{name: "single-quoted stays a string", value: `'0777'`, want: "0777"},
		{name: "block scalar stays a string", value: "|\n    on\n", want: "on\n"},
		{name: "!!str tag keeps the text", value: "!!str 0777", want: "0777"},
		{name: "!!str tag keeps a boolean word", value: "!!str yes", want: "yes"},
		{name: "!!int tag", value: "!!int 12", want: int64(12)},
		{name: "!!float tag on an integer", value: "!!float 1", want: float64(1)},
		{name: "custom tag keeps the text", value: "!custom on", want: "on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := "k: " + tc.value + "\n"
			node, err := testTree([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			c := newConverter("t.yaml")
			m := c.convert(node).(map[string]any)
			if got := m["k"]; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("value = %#v, want %#v", got, tc.want)
			}
			if got, want := asJSON(t, m), kubectlJSON(t, doc); got != want {
				t.Errorf("JSON = %s, kubectl gives %s", got, want)
			}
		})
	}
}

func TestMergeKeysMatchKubectl(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{
			name: "merged keys are added, keys written in the mapping win",
			doc:  "base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\n",
			want: `{"base":{"a":1,"b":2},"m":{"a":1,"b":3}}`,
		},
		{
			name: "with a list of maps the earlier map wins",
			doc:  "p: &p {a: 1}\nq: &q {a: 2, b: 2}\nm:\n  <<: [*p, *q]\n",
			want: `{"m":{"a":1,"b":2},"p":{"a":1},"q":{"a":2,"b":2}}`,
		},
		{
			name: "an inline mapping can be merged",
			doc:  "m:\n  <<: {a: 1}\n  c: 2\n",
			want: `{"m":{"a":1,"c":2}}`,
		},
		{
			name: "a quoted << is an ordinary key",
			doc:  "m:\n  \"<<\": {a: 1}\n",
			want: `{"m":{"\u003c\u003c":{"a":1}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			node, err := testTree([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			c := newConverter("t.yaml")
			got := asJSON(t, c.convert(node))
			if len(c.errs) > 0 || c.fatal != nil {
				t.Fatalf("errors %v %v", c.errs, c.fatal)
			}
			if got != tc.want {
				t.Errorf("JSON = %s, want %s", got, tc.want)
			}
			if oracle := kubectlJSON(t, tc.doc); oracle != tc.want {
				t.Errorf("kubectl gives %s, want %s", oracle, tc.want)
			}
		})
	}
}

func TestMappingKeysResolveLikeKubectl(t *testing.T) {
	doc := "yes: a\n1: b\n0x10: c\n1.50: d\n\"on\": e\ny: f\n"
	node, err := testTree([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := newConverter("t.yaml")
	if got, want := asJSON(t, c.convert(node)), kubectlJSON(t, doc); got != want {
		t.Errorf("JSON = %s, kubectl gives %s", got, want)
	}
}

func TestNullMappingKeyIsAnError(t *testing.T) {
	res := loadOne(t, "k.yaml", configMap("x")+"data:\n  ~: d\n")
	want := []string{"k.yaml:6:3: mapping key is null; kubectl cannot read the object"}
	if got := errorStrings(res); !reflect.DeepEqual(got, want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
	if _, err := sigsyaml.YAMLToJSON([]byte("~: d\n")); err == nil {
		t.Errorf("kubectl's sigs.k8s.io/yaml accepts a null key")
	}
}

// kubectlJSON is the JSON kubectl sends for a YAML document: converted by
// sigs.k8s.io/yaml (go-yaml v2, YAML 1.1), then read into unstructured data
// by apimachinery's JSON decoder (int64 where it fits, else float64).
func kubectlJSON(t *testing.T, doc string) string {
	t.Helper()
	j, err := sigsyaml.YAMLToJSON([]byte(doc))
	if err != nil {
		t.Fatalf("sigs.k8s.io/yaml: %v", err)
	}
	var v any
	if err := utiljson.Unmarshal(j, &v); err != nil {
		t.Fatal(err)
	}
	return asJSON(t, v)
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAmbiguousValues(t *testing.T) {
	content := `apiVersion: v1
kind: ConfigMap
metadata:
  name: flags
  annotations:
    a.b/enabled: yes
data:
  mode: 0644
  quoted: "yes"
  count: 1_000
  bits: 0b101
  truth: true
  date: 2024-01-01
  hex: 0x1F
  list: [on, off, "n", N]
  tagged: !!str yes
  anchored: &v no
  aliased: *v
  zero: 0
  zeros: "000"
`
	res := loadOne(t, "flags.yaml", content)
	if len(res.Objects) != 1 {
		t.Fatalf("objects %v errors %v", refsOf(res), errorStrings(res))
	}
	want := []AmbiguousValue{
		{FieldPath: `metadata.annotations["a.b/enabled"]`, Value: "yes", AsYAML11: "boolean true", AsYAML12: `string "yes"`, Line: 6, Col: 18},
		{FieldPath: "data.mode", Value: "0644", AsYAML11: "octal integer 420", AsYAML12: "decimal integer 644", Line: 8, Col: 9},
		{FieldPath: "data.count", Value: "1_000", AsYAML11: "number 1000", AsYAML12: `string "1_000"`, Line: 10, Col: 10},
		{FieldPath: "data.bits", Value: "0b101", AsYAML11: "number 5", AsYAML12: `string "0b101"`, Line: 11, Col: 9},
		{FieldPath: "data.list[0]", Value: "on", AsYAML11: "boolean true", AsYAML12: `string "on"`, Line: 15, Col: 10},
		{FieldPath: "data.list[1]", Value: "off", AsYAML11: "boolean false", AsYAML12: `string "off"`, Line: 15, Col: 14},
		{FieldPath: "data.list[3]", Value: "N", AsYAML11: "boolean false", AsYAML12: `string "N"`, Line: 15, Col: 24},
		{FieldPath: "data.anchored", Value: "no", AsYAML11: "boolean false", AsYAML12: `string "no"`, Line: 17, Col: 13},
	}
	if got := res.Objects[0].Ambiguous; !reflect.DeepEqual(got, want) {
		t.Errorf("ambiguous:\n got %+v\nwant %+v", got, want)
	}
}

func TestAmbiguousValuesInListItemsUseTheItemsFieldPaths(t *testing.T) {
	content := "apiVersion: v1\nkind: List\nitems:\n" +
		strings.Repeat("- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n", 10) +
		"- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: last}\n  data: {k: on}\n"
	res := loadOne(t, "list.yaml", content)
	if len(res.Objects) != 11 {
		t.Fatalf("objects %v errors %v", refsOf(res), errorStrings(res))
	}
	for i, o := range res.Objects[:10] {
		if len(o.Ambiguous) != 0 {
			t.Errorf("item %d has ambiguous values %+v", i, o.Ambiguous)
		}
	}
	want := []AmbiguousValue{{FieldPath: "data.k", Value: "on", AsYAML11: "boolean true", AsYAML12: `string "on"`, Line: 37, Col: 13}}
	if got := res.Objects[10].Ambiguous; !reflect.DeepEqual(got, want) {
		t.Errorf("ambiguous:\n got %+v\nwant %+v", got, want)
	}
}
