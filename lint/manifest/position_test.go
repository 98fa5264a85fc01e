package manifest

import (
	"reflect"
	"strings"
	"testing"
)

func TestLoadObjectPositions(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		content string
		want    []objectRef
	}{
		{
			name:    "lines are absolute in the file for every document",
			file:    "multi.yaml",
			content: configMap("a") + "---\n" + configMap("b") + "---\n\n\n" + configMap("c"),
			want: []objectRef{
				{Path: "multi.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "a"},
				{Path: "multi.yaml", Doc: 1, Item: -1, Line: 6, Col: 1, Kind: "ConfigMap", Name: "b"},
				{Path: "multi.yaml", Doc: 2, Item: -1, Line: 13, Col: 1, Kind: "ConfigMap", Name: "c"},
			},
		},
		{
			name:    "separators with comments and a leading separator",
			file:    "comments.yaml",
			content: "--- # first\n" + configMap("a") + "--- # second\n# about b\n" + configMap("b"),
			want: []objectRef{
				{Path: "comments.yaml", Doc: 0, Item: -1, Line: 2, Col: 1, Kind: "ConfigMap", Name: "a"},
				{Path: "comments.yaml", Doc: 1, Item: -1, Line: 8, Col: 1, Kind: "ConfigMap", Name: "b"},
			},
		},
		{
			name:    "a directives prelude stays with the first document",
			file:    "directives.yaml",
			content: "%YAML 1.1\n# prelude comment\n---\n" + configMap("a") + "---\n" + configMap("b"),
			want: []objectRef{
				{Path: "directives.yaml", Doc: 0, Item: -1, Line: 4, Col: 1, Kind: "ConfigMap", Name: "a"},
				{Path: "directives.yaml", Doc: 1, Item: -1, Line: 9, Col: 1, Kind: "ConfigMap", Name: "b"},
			},
		},
		{
			name:    "CRLF line endings",
			file:    "crlf.yaml",
			content: strings.ReplaceAll(configMap("a")+"---\n"+configMap("b"), "\n", "\r\n"),
			want: []objectRef{
				{Path: "crlf.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "a"},
				{Path: "crlf.yaml", Doc: 1, Item: -1, Line: 6, Col: 1, Kind: "ConfigMap", Name: "b"},
			},
		},
		{
			name:    "a UTF-8 byte order mark is not a column",
			file:    "bom.yaml",
			content: "\xef\xbb\xbf" + configMap("a"),
			want:    []objectRef{{Path: "bom.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "a"}},
		},
		{
			name:    "a line separator inside a string does not shift later lines, though YAML counts it as a line break",
			file:    "ls.yaml",
			content: configMap("a") + "data:\n  text: \"one\u2028two\u0085three\"\n---\n" + configMap("b"),
			want: []objectRef{
				{Path: "ls.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "a"},
				{Path: "ls.yaml", Doc: 1, Item: -1, Line: 8, Col: 1, Kind: "ConfigMap", Name: "b"},
			},
		},
		{
			name:    "lone carriage returns are not line breaks of the file",
			file:    "cr.yaml",
			content: "apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: a\r\n---\n" + configMap("b"),
			want: []objectRef{
				{Path: "cr.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "a"},
				{Path: "cr.yaml", Doc: 1, Item: -1, Line: 3, Col: 1, Kind: "ConfigMap", Name: "b"},
			},
		},
		{
			name:    "empty documents are skipped but keep the document count",
			file:    "empty-docs.yaml",
			content: "---\n---\n# nothing\n---\n" + configMap("a"),
			want:    []objectRef{{Path: "empty-docs.yaml", Doc: 2, Item: -1, Line: 5, Col: 1, Kind: "ConfigMap", Name: "a"}},
		},
		{
			name: "kind: List items each have their own position",
			file: "list.yaml",
			content: "apiVersion: v1\nkind: List\nitems:\n" +
				"- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n" +
				"- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: b\n",
			want: []objectRef{
				{Path: "list.yaml", Doc: 0, Item: 0, Line: 4, Col: 3, Kind: "ConfigMap", Name: "a"},
				{Path: "list.yaml", Doc: 0, Item: 1, Line: 8, Col: 3, Kind: "Secret", Name: "b"},
			},
		},
		{
			name: "ConfigMapList items without kind take it from the list, as kubectl's unstructured decoder does",
			file: "configmaplist.yaml",
			content: configMap("before") + "---\napiVersion: v1\nkind: ConfigMapList\nitems:\n" +
				"- metadata:\n    name: a\n- metadata: {name: b}\n",
			want: []objectRef{
				{Path: "configmaplist.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "before"},
				{Path: "configmaplist.yaml", Doc: 1, Item: 0, Line: 9, Col: 3, Kind: "ConfigMap", Name: "a"},
				{Path: "configmaplist.yaml", Doc: 1, Item: 1, Line: 11, Col: 3, Kind: "ConfigMap", Name: "b"},
			},
		},
		{
			name:    "JSON object",
			file:    "one.json",
			content: "\n  {\"apiVersion\": \"v1\",\n   \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n",
			want:    []objectRef{{Path: "one.json", Doc: 0, Item: -1, Line: 2, Col: 3, Kind: "ConfigMap", Name: "a"}},
		},
		{
			name: "concatenated JSON values, on one line and on the next",
			file: "stream.json",
			content: `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}} {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}` +
				"\n\t{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"}}\n",
			want: []objectRef{
				{Path: "stream.json", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "a"},
				{Path: "stream.json", Doc: 1, Item: -1, Line: 1, Col: 70, Kind: "ConfigMap", Name: "b"},
				{Path: "stream.json", Doc: 2, Item: -1, Line: 2, Col: 2, Kind: "ConfigMap", Name: "c"},
			},
		},
		{
			name:    "a .yaml file holding a JSON stream is read as JSON, as kubectl's YAMLOrJSONDecoder does",
			file:    "stream.yaml",
			content: `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}`,
			want: []objectRef{
				{Path: "stream.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "a"},
				{Path: "stream.yaml", Doc: 1, Item: -1, Line: 1, Col: 69, Kind: "ConfigMap", Name: "b"},
			},
		},
		{
			name:    "a .yaml file in flow style that is not JSON is read as YAML",
			file:    "flow.yaml",
			content: "{apiVersion: v1, kind: ConfigMap, metadata: {name: a},}\n",
			want:    []objectRef{{Path: "flow.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "a"}},
		},
		{
			name:    "a .json file that is YAML is read as YAML, as kubectl does",
			file:    "yaml.json",
			content: configMap("a"),
			want:    []objectRef{{Path: "yaml.json", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "a"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := loadOne(t, tc.file, tc.content)
			if len(res.Errors) > 0 {
				t.Errorf("errors: %v", errorStrings(res))
			}
			if got := refsOf(res); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("objects:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestLoadYAMLErrorPositions(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []string
		objects []string
	}{
		{
			name:    "a scanner error in the second document has its absolute line and the third document still loads",
			content: configMap("a") + "---\n" + configMap("b") + "  bad: value: here\n---\n" + configMap("c"),
			want:    []string{"f.yaml:10: invalid YAML: mapping values are not allowed in this context"},
			objects: []string{"a", "c"},
		},
		{
			name:    "a parser error is reported on its own line, though yaml.v3 prints it 0-based",
			content: configMap("a") + "---\n" + configMap("b") + "data:\n  list: [a, b\n",
			want:    []string{"f.yaml:11: invalid YAML: did not find expected ',' or ']'"},
			objects: []string{"a"},
		},
		{
			name:    "a parser error on a document's first line",
			content: configMap("a") + "---\n- a\nb: c\n",
			want:    []string{"f.yaml:6: invalid YAML: did not find expected '-' indicator"},
			objects: []string{"a"},
		},
		{
			name:    "an unknown anchor is found in the text",
			content: configMap("a") + "---\n" + configMap("b") + "data:\n  x: *nope\n",
			want:    []string{"f.yaml:11: invalid YAML: unknown anchor 'nope' referenced"},
			objects: []string{"a"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := loadOne(t, "f.yaml", tc.content)
			if got := errorStrings(res); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.want)
			}
			var names []string
			for _, o := range res.Objects {
				names = append(names, o.Name)
			}
			if !reflect.DeepEqual(names, tc.objects) {
				t.Errorf("objects = %v, want %v", names, tc.objects)
			}
		})
	}
}

func TestLoadSkipsNonKubernetesYAMLWithANote(t *testing.T) {
	res := loadOne(t, "values.yaml", "replicaCount: 1\nimage:\n  repository: nginx\n---\n- a\n- b\n---\nplain text\n---\n"+configMap("a"))
	wantNotes := []string{
		"values.yaml:1:1: skipped: no apiVersion/kind, so not a Kubernetes object",
		"values.yaml:5:1: skipped: document is not a mapping, so not a Kubernetes object",
		"values.yaml:8:1: skipped: document is not a mapping, so not a Kubernetes object",
	}
	if !reflect.DeepEqual(res.Notes, wantNotes) {
		t.Errorf("notes:\n got %q\nwant %q", res.Notes, wantNotes)
	}
	if len(res.Errors) != 0 || len(res.Objects) != 1 {
		t.Errorf("errors %v, objects %v", errorStrings(res), refsOf(res))
	}
}

func TestLoadListEdgeCases(t *testing.T) {
	tests := []struct {
		name    string
		content string
		errors  []string
		notes   []string
		objects []string
	}{
		{
			name:    "a list with items: null holds nothing",
			content: "apiVersion: v1\nkind: List\nitems:\n",
			notes:   []string{"l.yaml:1:1: skipped: List has no items"},
		},
		{
			name:    "items that are not a list are an error, as kubectl's decodeToList fails",
			content: "apiVersion: v1\nkind: List\nitems:\n  a: b\n",
			errors:  []string{"l.yaml:3:1: items of List must be a list: kubectl reads every object with an items field as a list"},
		},
		{
			name:    "an item that is not an object is an error, the others load",
			content: "apiVersion: v1\nkind: List\nitems:\n- just text\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n",
			errors:  []string{"l.yaml:4:3: item 0 of List is not an object"},
			objects: []string{"a"},
		},
		{
			name:    "an ambiguous value in an item is reported on that item with its own field path",
			content: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data: {k: yes}\n",
			objects: []string{"a"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := loadOne(t, "l.yaml", tc.content)
			if got := errorStrings(res); !reflect.DeepEqual(got, tc.errors) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.errors)
			}
			if !reflect.DeepEqual(res.Notes, tc.notes) {
				t.Errorf("notes:\n got %q\nwant %q", res.Notes, tc.notes)
			}
			var names []string
			for _, o := range res.Objects {
				names = append(names, o.Name)
			}
			if !reflect.DeepEqual(names, tc.objects) {
				t.Errorf("objects = %v, want %v", names, tc.objects)
			}
		})
	}
}
