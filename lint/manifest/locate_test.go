package manifest

import (
	"reflect"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

const deploymentForLocate = `# a comment first
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    kubeplan.dev/ignore: "image-tag"
    "quoted[key]": x
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        securityContext:
          privileged: true
      - name: sidecar
        image: envoy
      volumes: &vols
      - name: data
        emptyDir: {}
      initContainers: *vols
`

func TestObjectLocate(t *testing.T) {
	res := loadOne(t, "web.yaml", deploymentForLocate)
	if len(res.Objects) != 1 {
		t.Fatalf("objects = %v, errors = %v", refsOf(res), errorStrings(res))
	}
	obj := res.Objects[0]
	tests := []struct {
		name      string
		path      string
		want      finding.Location
		wantExact bool
	}{
		{name: "empty path locates the object", path: "", want: loc(2, 1, 0, 0), wantExact: true},
		{name: "present scalar field spans its key", path: "metadata.name", want: loc(5, 3, 5, 7), wantExact: true},
		{name: "mapping field locates its key", path: "spec.template", want: loc(10, 3, 10, 11), wantExact: true},
		{name: "sequence index locates the element", path: "spec.template.spec.containers[1]", want: loc(17, 9, 0, 0), wantExact: true},
		{name: "field in a sequence element", path: "spec.template.spec.containers[0].securityContext.privileged", want: loc(16, 11, 16, 21), wantExact: true},
		{name: "absent field falls back to its nearest existing parent", path: "spec.template.spec.containers[0].securityContext.runAsNonRoot", want: loc(15, 9, 15, 24), wantExact: false},
		{name: "absent top-level field falls back to the object", path: "status.phase", want: loc(2, 1, 0, 0), wantExact: false},
		{name: "index past the end falls back to the sequence's key", path: "spec.template.spec.containers[5].image", want: loc(12, 7, 12, 17), wantExact: false},
		{name: "quoted bracketed key with dots and a slash", path: `metadata.annotations["kubeplan.dev/ignore"]`, want: loc(7, 5, 7, 24), wantExact: true},
		{name: "unquoted bracketed key with dots", path: `metadata.annotations[kubeplan.dev/ignore]`, want: loc(7, 5, 7, 24), wantExact: true},
		{name: "quoted bracketed key holding brackets", path: `metadata.annotations["quoted[key]"]`, want: loc(8, 5, 0, 0), wantExact: true},
		{name: "a path through an alias resolves into the anchored node", path: "spec.template.spec.initContainers[0].emptyDir", want: loc(21, 9, 21, 17), wantExact: true},
		{name: "indexing a mapping falls back to the mapping's key", path: "metadata[0]", want: loc(4, 1, 4, 9), wantExact: false},
		{name: "malformed path locates the object", path: `metadata.annotations["open`, want: loc(2, 1, 0, 0), wantExact: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, exact := obj.Locate(tc.path)
			tc.want.Path = "web.yaml"
			if got != tc.want || exact != tc.wantExact {
				t.Errorf("Locate(%q) = %+v, %v; want %+v, %v", tc.path, got, exact, tc.want, tc.wantExact)
			}
		})
	}
}

func loc(line, col, endLine, endCol int) finding.Location {
	return finding.Location{Line: line, Col: col, EndLine: endLine, EndCol: endCol}
}

func TestObjectValueAt(t *testing.T) {
	res := loadOne(t, "web.yaml", deploymentForLocate)
	obj := res.Objects[0]
	tests := []struct {
		name      string
		path      string
		wantValue string
		wantLine  int
	}{
		{name: "scalar value", path: "spec.template.spec.containers[1].image", wantValue: "envoy", wantLine: 18},
		{name: "alias resolves to its anchored node", path: "spec.template.spec.initContainers", wantLine: 19},
		{name: "absent field is not found", path: "spec.replicas"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, ok := obj.ValueAt(tc.path)
			if tc.wantLine == 0 {
				if ok {
					t.Fatalf("ValueAt(%q) = %+v, want not found", tc.path, n)
				}
				return
			}
			if !ok || n.Value != tc.wantValue || n.Line != tc.wantLine {
				t.Fatalf("ValueAt(%q) = %+v, want value %q on line %d", tc.path, n, tc.wantValue, tc.wantLine)
			}
		})
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		want   []PathStep
		wantOK bool
	}{
		{name: "dotted keys", path: "spec.replicas", want: []PathStep{{Key: "spec", Index: -1}, {Key: "replicas", Index: -1}}, wantOK: true},
		{name: "index", path: "items[2].name", want: []PathStep{{Key: "items", Index: -1}, {Index: 2}, {Key: "name", Index: -1}}, wantOK: true},
		{name: "quoted key with a closing bracket", path: `a["x]y"]`, want: []PathStep{{Key: "a", Index: -1}, {Key: "x]y", Index: -1}}, wantOK: true},
		{name: "bare bracketed key", path: "a[b.c]", want: []PathStep{{Key: "a", Index: -1}, {Key: "b.c", Index: -1}}, wantOK: true},
		{name: "unclosed bracket", path: "a[1", wantOK: false},
		{name: "bad quoting", path: `a["\q"]`, wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParsePath(tc.path)
			if ok != tc.wantOK || (ok && !reflect.DeepEqual(got, tc.want)) {
				t.Errorf("ParsePath(%q) = %+v, %v; want %+v, %v", tc.path, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestJoinKeyRoundTrips(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want string
	}{
		{name: "plain keys join with dots", keys: []string{"metadata", "name"}, want: "metadata.name"},
		{name: "keys with dots are quoted in brackets", keys: []string{"metadata", "annotations", "kubeplan.dev/ignore"}, want: `metadata.annotations["kubeplan.dev/ignore"]`},
		{name: "empty key", keys: []string{"data", ""}, want: `data[""]`},
		{name: "key with quotes and brackets", keys: []string{"a", `x"[y]`}, want: `a["x\"[y]"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ""
			for _, k := range tc.keys {
				p = JoinKey(p, k)
			}
			if p != tc.want {
				t.Fatalf("joined = %q, want %q", p, tc.want)
			}
			steps, ok := ParsePath(p)
			if !ok || len(steps) != len(tc.keys) {
				t.Fatalf("ParsePath(%q) = %+v, %v", p, steps, ok)
			}
			for i, k := range tc.keys {
				if steps[i].Key != k || steps[i].Index != -1 {
					t.Errorf("step %d = %+v, want key %q", i, steps[i], k)
				}
			}
		})
	}
	if got := JoinIndex("spec.containers", 3); got != "spec.containers[3]" {
		t.Errorf("JoinIndex = %q", got)
	}
}

func TestLocateWithLineBreaksYAMLCountsAndTheFileDoesNot(t *testing.T) {
	res := loadOne(t, "odd.yaml", "apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: a\r\ndata:\n  t: \"x\u2028y\"\n  next: z\n")
	if len(res.Objects) != 1 {
		t.Fatalf("objects %v errors %v", refsOf(res), errorStrings(res))
	}
	tests := []struct {
		path      string
		line, col int
	}{
		{path: "metadata.name", line: 1, col: 44},
		{path: "data.next", line: 4, col: 3},
	}
	for _, tc := range tests {
		got, _ := res.Objects[0].Locate(tc.path)
		if got.Line != tc.line || got.Col != tc.col {
			t.Errorf("Locate(%q) = %d:%d, want %d:%d", tc.path, got.Line, got.Col, tc.line, tc.col)
		}
	}
}
