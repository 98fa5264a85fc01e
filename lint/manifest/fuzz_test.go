package manifest

import (
	"testing"
	"unicode/utf8"
)

// FuzzLoad parses arbitrary bytes as a .yaml and as a .json file: no
// panic, every error names its file, and every object has a position on a
// real line that Locate can resolve paths from.
//
//	go test ./lint/manifest -run XXX -fuzz FuzzLoad -fuzztime 180s
//
// Seeds live in testdata/fuzz/FuzzLoad, crashers found so far included.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(configMap("a") + "---\n" + configMap("b")))
	f.Add([]byte(`{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a\/b"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"fuzz.yaml", "fuzz.json"} {
			file := NewFile(name, data)
			p := parseFile(file, name == "fuzz.json")
			for _, e := range p.errs {
				if e.Path != name {
					t.Fatalf("error without the file's path: %#v", e)
				}
				if e.Line < 0 || e.Line > file.Lines()+1 {
					t.Fatalf("error line %d outside the file's %d lines: %v", e.Line, file.Lines(), e)
				}
			}
			for _, o := range p.objects {
				if pos := o.Position(); pos.Line < 1 || pos.Col < 1 {
					t.Fatalf("object without a position: %+v", o)
				} else if pos.Line > file.Lines() {
					t.Fatalf("object on line %d of a %d-line file", pos.Line, file.Lines())
				}
				if o.Map() == nil || o.Kind == "" || o.APIVersion == "" {
					t.Fatalf("object without data or type: %+v", o)
				}
				for _, path := range []string{"", "metadata.name", "spec.template.spec.containers[0].image", `metadata.annotations["a.b/c"]`, "items[3]"} {
					if loc, _ := o.Locate(path); loc.Line < 1 || loc.Col < 1 || loc.Path != name {
						t.Fatalf("Locate(%q) = %+v", path, loc)
					}
				}
				for _, a := range o.Ambiguous {
					if a.Line < 1 || a.Col < 1 || !utf8.ValidString(a.FieldPath) {
						t.Fatalf("ambiguous value without a position: %+v", a)
					}
				}
			}
		}
	})
}
