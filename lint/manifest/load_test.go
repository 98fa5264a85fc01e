package manifest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestLoadDirectories(t *testing.T) {
	tree := map[string]string{
		"b.yaml":                      configMap("b"),
		"a.yml":                       configMap("a"),
		"c.json":                      `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}`,
		"notes.txt":                   configMap("txt"),
		".hidden.yaml":                configMap("hidden-file"),
		".git/config.yaml":            configMap("git"),
		"nested/deeper/z.yaml":        configMap("z"),
		"nested/m.YAML":               configMap("m"),
		"nested/.cache/x.yaml":        configMap("cache"),
		"nested/README.md":            "# readme",
		"other/explicit.manifest":     configMap("explicit"),
		"other/not-walked.manifest":   configMap("not-walked"),
		"other/sub/kept-by-walk.yaml": configMap("kept"),
	}
	tests := []struct {
		name  string
		paths []string
		want  []string
	}{
		{
			name:  "a directory is walked recursively in sorted order, skipping hidden entries and other extensions",
			paths: []string{"."},
			want:  []string{"a.yml:a", "b.yaml:b", "c.json:c", "nested/deeper/z.yaml:z", "nested/m.YAML:m", "other/sub/kept-by-walk.yaml:kept"},
		},
		{
			name:  "a file named explicitly is read whatever its extension",
			paths: []string{"other/explicit.manifest", "nested"},
			want:  []string{"nested/deeper/z.yaml:z", "nested/m.YAML:m", "other/explicit.manifest:explicit"},
		},
		{
			name:  "a hidden directory named explicitly is walked",
			paths: []string{"nested/.cache"},
			want:  []string{"nested/.cache/x.yaml:cache"},
		},
		{
			name:  "a file given twice, directly and through its directory, is read once",
			paths: []string{"nested/m.YAML", "nested", "./nested/m.YAML"},
			want:  []string{"nested/deeper/z.yaml:z", "nested/m.YAML:m"},
		},
	}
	dir := t.TempDir()
	writeFiles(t, dir, tree)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Load(context.Background(), tc.paths, Options{WorkDir: dir})
			if len(res.Errors) > 0 {
				t.Errorf("errors: %v", errorStrings(res))
			}
			if got := pathNames(res); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("objects:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func pathNames(res *Result) []string {
	var out []string
	for _, o := range res.Objects {
		out = append(out, o.File.Path+":"+o.Name)
	}
	return out
}

func TestLoadPathsOutsideTheWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"deploy/a.yaml": configMap("a"), "work/.keep": ""})
	res := Load(context.Background(), []string{"../deploy", filepath.Join(dir, "deploy", "a.yaml")}, Options{WorkDir: filepath.Join(dir, "work")})
	if got, want := pathNames(res), []string{"../deploy/a.yaml:a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("objects = %q, want %q", got, want)
	}
}

func TestLoadFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"real/app.yaml":    configMap("app"),
		"repo/local.yaml":  configMap("local"),
		"shared/base.yaml": configMap("base"),
	})
	for link, target := range map[string]string{
		"repo/linked-dir":  "../shared",
		"repo/linked.yaml": "../real/app.yaml",
		"repo/dangling.md": "missing.md",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	res := Load(context.Background(), []string{"repo"}, Options{WorkDir: dir})
	if len(res.Errors) > 0 {
		t.Errorf("errors (a dangling link to a non-manifest is ignored): %v", errorStrings(res))
	}
	want := []string{"repo/linked-dir/base.yaml:base", "repo/linked.yaml:app", "repo/local.yaml:local"}
	if got := pathNames(res); !reflect.DeepEqual(got, want) {
		t.Errorf("objects:\n got %q\nwant %q", got, want)
	}
}

func TestLoadStdin(t *testing.T) {
	in := strings.NewReader(configMap("from-stdin") + "---\n" + configMap("second"))
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"file.yaml": configMap("file")})
	res := Load(context.Background(), []string{"file.yaml", "-", "-"}, Options{WorkDir: dir, Stdin: in})
	want := []objectRef{
		{Path: "-", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "from-stdin"},
		{Path: "-", Doc: 1, Item: -1, Line: 6, Col: 1, Kind: "ConfigMap", Name: "second"},
		{Path: "file.yaml", Doc: 0, Item: -1, Line: 1, Col: 1, Kind: "ConfigMap", Name: "file"},
	}
	if got := refsOf(res); !reflect.DeepEqual(got, want) {
		t.Errorf("objects:\n got %+v\nwant %+v", got, want)
	}
	if f := res.File("-"); f == nil || f.Lines() != 10 {
		t.Errorf("stdin file = %+v", f)
	}
}

func TestLoadStdinJSONStream(t *testing.T) {
	in := strings.NewReader(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}`)
	res := Load(context.Background(), []string{"-"}, Options{Stdin: in})
	if got, want := pathNames(res), []string{"-:a", "-:b"}; !reflect.DeepEqual(got, want) || len(res.Errors) > 0 {
		t.Errorf("objects = %q, errors = %v", got, errorStrings(res))
	}
}

// TestLoadIsDeterministic loads the same tree with the paths in different
// orders and with different parallelism, and compares everything Load
// returns.
func TestLoadIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 40 {
		name := fmt.Sprintf("d%d/f%02d.yaml", i%4, i)
		files[name] = configMap(fmt.Sprintf("cm-%d", i)) + "data:\n  flag: on\n"
		if i%7 == 0 {
			files[fmt.Sprintf("d%d/broken%02d.yaml", i%3, i)] = "a: [\n"
		}
		if i%9 == 0 {
			files[fmt.Sprintf("values%02d.yaml", i)] = "replicas: 1\n"
		}
	}
	writeFiles(t, dir, files)
	orders := [][]string{
		{"d0", "d1", "d2", "d3", "."},
		{".", "d3", "d2", "d1", "d0"},
		{"d2", ".", "d0"},
	}
	var first string
	for _, paths := range orders {
		for _, workers := range []int{1, 3, 16} {
			res := Load(context.Background(), paths, Options{WorkDir: dir, Workers: workers})
			got := describe(res)
			if first == "" {
				first = got
				continue
			}
			if got != first {
				t.Errorf("paths %v, %d workers: result differs:\n%s\nwant\n%s", paths, workers, got, first)
			}
		}
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	if got := describe(Load(context.Background(), []string{"."}, Options{WorkDir: dir})); got != first {
		t.Errorf("GOMAXPROCS=1: result differs")
	}
}

func describe(res *Result) string {
	var b strings.Builder
	for _, o := range res.Objects {
		fmt.Fprintf(&b, "obj %s %d %d %d:%d %s %v\n", o.File.Path, o.Doc, o.Item, o.Position().Line, o.Position().Col, o.Name, o.Ambiguous)
	}
	for _, f := range res.Files {
		fmt.Fprintf(&b, "file %s %d\n", f.Path, len(f.Data))
	}
	for _, e := range res.Errors {
		fmt.Fprintf(&b, "err %s\n", e)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "note %s\n", n)
	}
	return b.String()
}

func TestLoadStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := loadFilesCtx(t, ctx, map[string]string{"a.yaml": configMap("a")})
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Msg, "loading stopped") {
		t.Errorf("errors = %v", errorStrings(res))
	}
}

func loadFilesCtx(t *testing.T, ctx context.Context, files map[string]string) *Result {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	return Load(ctx, []string{"."}, Options{WorkDir: dir})
}

func TestResultFile(t *testing.T) {
	res := loadFiles(t, map[string]string{"a.yaml": configMap("a"), "b/c.yaml": configMap("c")})
	if f := res.File("b/c.yaml"); f == nil || f.Path != "b/c.yaml" {
		t.Errorf("File(b/c.yaml) = %v", f)
	}
	if f := res.File("missing.yaml"); f != nil {
		t.Errorf("File(missing.yaml) = %v", f)
	}
	line, ok := res.File("a.yaml").Line(4)
	if !ok || line != "  name: a" {
		t.Errorf("Line(4) = %q, %v", line, ok)
	}
	if got := res.String(); got != "2 objects from 2 files, 0 errors" {
		t.Errorf("String() = %q", got)
	}
}
