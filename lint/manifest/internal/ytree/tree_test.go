package ytree

import (
	"strings"
	"testing"
	"unsafe"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The loader keeps every node of every document for the whole run, so the
// node's size is the tree's memory: 16 bytes against yaml.v3's ~170.
func TestNodeIsSixteenBytes(t *testing.T) {
	if got := unsafe.Sizeof(node{}); got != 16 {
		t.Errorf("node is %d bytes, want 16", got)
	}
}

func TestFromYAMLKeepsTagsAliasesAndWideColumns(t *testing.T) {
	wide := strings.Repeat(" ", 70000)
	doc := "a: &x !!str 1\nb: *x\nc: [" + wide + "far]\nd: !custom {k: v}\n"
	var yn yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &yn); err != nil {
		t.Fatal(err)
	}
	root := FromYAML(&yn).Root()
	if root.Kind() != MappingNode || root.Len() != 8 {
		t.Fatalf("root kind %d len %d", root.Kind(), root.Len())
	}
	a := root.Child(1)
	if a.Tag() != "!!str" || a.Style()&TaggedStyle == 0 || a.Value() != "1" {
		t.Errorf("a = tag %q style %d value %q, want the explicit !!str tag kept", a.Tag(), a.Style(), a.Value())
	}
	b := root.Child(3)
	if b.Kind() != AliasNode || !Same(b.Alias(), a) || !Same(b.Resolve(), a) {
		t.Errorf("b does not resolve to a")
	}
	far := root.Child(5).Child(0)
	want := yn.Content[0].Content[5].Content[0].Column
	if far.Value() != "far" || far.Column() != want || want < 1<<16 {
		t.Errorf("far at column %d (value %q), yaml.v3 says %d", far.Column(), far.Value(), want)
	}
	d := root.Child(7)
	if d.Tag() != "!custom" || d.Kind() != MappingNode || d.Child(1).Value() != "v" {
		t.Errorf("d = tag %q kind %d", d.Tag(), d.Kind())
	}
	if root.Child(0).Tag() != "" {
		t.Errorf("untagged key has tag %q", root.Child(0).Tag())
	}
}

func TestZeroNodeAndSingle(t *testing.T) {
	var n Node
	if !n.IsZero() || n.Kind() != 0 || n.Value() != "" || n.Len() != 0 || !n.Alias().IsZero() || n.Line() != 0 {
		t.Error("the zero Node is not empty")
	}
	s := Single(MappingNode, 3, 4).Root()
	if s.Kind() != MappingNode || s.Len() != 0 || s.Line() != 3 || s.Column() != 4 {
		t.Errorf("Single gives kind %d len %d at %d:%d", s.Kind(), s.Len(), s.Line(), s.Column())
	}
}
