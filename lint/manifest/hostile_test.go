package manifest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// hostileFixture reads testdata/manifest/hostile/<name>.
func hostileFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(fixtureDir(t, "hostile", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestLoadHostileInput checks that each bad input gives one clear error
// naming the file (and the line where one means something), never a panic,
// and that a valid file loaded in the same call still loads.
func TestLoadHostileInput(t *testing.T) {
	deepFlow := configMap("deep") + "data:\n  deep: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"
	tests := []struct {
		name     string
		file     string
		content  string
		wantLine int // 0: no line expected
		wantCol  int // 0: not checked
		wantMsg  []string
		notMsg   string
	}{
		{name: "binary file", file: "image.yaml", content: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", wantLine: 3, wantMsg: []string{"binary file (NUL byte"}},
		{name: "invalid UTF-8", file: "latin1.yaml", content: configMap("x") + "data:\n  city: M\xfcnchen\n", wantLine: 6, wantCol: 10, wantMsg: []string{"invalid UTF-8 (byte 0xfc"}},
		{name: "UTF-16 with a byte order mark", file: "utf16.yaml", content: "\xff\xfea\x00p\x00i\x00", wantLine: 1, wantMsg: []string{"UTF-16"}},
		{name: "10,000-deep flow nesting", file: "deep-flow.yaml", content: deepFlow, wantLine: 6, wantMsg: []string{"nests deeper than 1000 levels"}},
		{name: "10,000-deep block nesting", file: "deep-block.yaml", content: strings.Repeat("- ", 10000) + "x\n", wantLine: 1, wantMsg: []string{"nests deeper than 1000 levels"}},
		{name: "nesting beyond the YAML parser's own limit", file: "deeper.yaml", content: "a: " + strings.Repeat("[", 10001) + "\n", wantLine: 1, wantMsg: []string{"exceeded max depth of 10000"}},
		{name: "alias bomb stops with go-yaml's aliasing bound", file: "alias-bomb.yaml", content: hostileFixture(t, "alias-bomb.yaml"), wantMsg: []string{"excessive aliasing"}},
		{name: "duplicate keys name both lines", file: "duplicate-keys.yaml", content: hostileFixture(t, "duplicate-keys.yaml"), wantLine: 5, wantCol: 3, wantMsg: []string{`duplicate key "name"`, "first defined at line 4"}},
		{name: "tab indentation", file: "tab-indented.yaml", content: hostileFixture(t, "tab-indented.yaml"), wantLine: 4, wantCol: 1, wantMsg: []string{"tabs cannot indent YAML"}},
		{name: "Helm template", file: "helm-template.yaml", content: hostileFixture(t, "helm-template.yaml"), wantLine: 4, wantCol: 9, wantMsg: []string{"Helm or Go template", "helm template"}},
		{name: "Helm template that happens to be valid YAML", file: "helm-template-valid-yaml.yaml", content: hostileFixture(t, "helm-template-valid-yaml.yaml"), wantLine: 6, wantCol: 10, wantMsg: []string{"Helm or Go template"}},
		{name: "broken YAML with Prometheus templates in strings is not called Helm", file: "prometheus-rule-braces-broken.yaml", content: hostileFixture(t, "prometheus-rule-braces-broken.yaml"), wantLine: 12, wantMsg: []string{"invalid YAML"}, notMsg: "Helm"},
		{name: "empty file", file: "empty.yaml", content: hostileFixture(t, "empty.yaml"), wantMsg: []string{"file is empty"}},
		{name: "white space only", file: "blank.yaml", content: "\n   \n\n", wantMsg: []string{"file is empty"}},
		{name: "JSON with a trailing comma", file: "trailing-comma.json", content: hostileFixture(t, "trailing-comma.json"), wantLine: 6, wantCol: 3, wantMsg: []string{"invalid JSON", "kubectl would retry the file as YAML"}},
		{name: "JSON cut short", file: "short.json", content: "{\"apiVersion\": \"v1\",\n", wantLine: 2, wantMsg: []string{"invalid JSON", "unexpected EOF"}},
		{name: "invalid document separator", file: "separator.yaml", content: "---foo\n" + configMap("x"), wantLine: 2, wantMsg: []string{"invalid YAML"}},
		{name: "non-string mapping key", file: "key.yaml", content: configMap("x") + "data:\n  [a, b]: c\n", wantLine: 6, wantCol: 3, wantMsg: []string{"mapping key is not a scalar"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := loadFiles(t, map[string]string{tc.file: tc.content, "valid.yaml": configMap("valid")})
			var found *Error
			for _, e := range res.Errors {
				if e.Path != tc.file {
					t.Errorf("error for another file: %v", e)
				}
				if found == nil {
					found = e
				}
			}
			if found == nil {
				t.Fatalf("no error for %s; objects %v", tc.file, refsOf(res))
			}
			if tc.wantLine != 0 && found.Line != tc.wantLine {
				t.Errorf("line = %d, want %d (%v)", found.Line, tc.wantLine, found)
			}
			if tc.wantCol != 0 && found.Col != tc.wantCol {
				t.Errorf("col = %d, want %d (%v)", found.Col, tc.wantCol, found)
			}
			if !containsAll(found.Msg, tc.wantMsg...) {
				t.Errorf("message %q does not contain %q", found.Msg, tc.wantMsg)
			}
			if tc.notMsg != "" && strings.Contains(found.Msg, tc.notMsg) {
				t.Errorf("message %q contains %q", found.Msg, tc.notMsg)
			}
			if !strings.HasPrefix(found.Error(), tc.file+":") {
				t.Errorf("error %q does not start with the file name", found.Error())
			}
			if !hasObject(res, "valid.yaml", "valid") {
				t.Errorf("valid.yaml did not load next to %s: %v", tc.file, refsOf(res))
			}
		})
	}
}

func hasObject(res *Result, path, name string) bool {
	for _, o := range res.Objects {
		if o.File.Path == path && o.Name == name {
			return true
		}
	}
	return false
}

func TestLoadValidManifestWithTemplateTextInStringsLoads(t *testing.T) {
	res := loadOne(t, "rule.yaml", hostileFixture(t, "prometheus-rule-braces.yaml"))
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", errorStrings(res))
	}
	if got := refsOf(res); len(got) != 1 || got[0].Kind != "PrometheusRule" {
		t.Fatalf("objects = %v", got)
	}
}

func TestLoadFileOverSizeLimit(t *testing.T) {
	tests := []struct {
		name    string
		size    int64
		limit   int64
		wantMsg string
	}{
		{name: "50 MB file is over the default 32 MiB limit", size: 50 << 20, wantMsg: "larger than the 32 MiB limit"},
		{name: "the limit is configurable", size: 2048, limit: 1024, wantMsg: "larger than the 1 KiB limit"},
		{name: "a file at the limit is read", size: 1024, limit: 1024},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"valid.yaml": configMap("valid")})
			// A sparse file: no disk space, and the size is checked
			// before anything is read.
			big := filepath.Join(dir, "big.yaml")
			fh, err := os.Create(big)
			if err != nil {
				t.Fatal(err)
			}
			header := []byte(configMap("big") + "data:\n  pad: |\n")
			if _, err := fh.Write(header); err != nil {
				t.Fatal(err)
			}
			if err := fh.Truncate(tc.size); err != nil {
				t.Fatal(err)
			}
			fh.Close()
			res := Load(context.Background(), []string{"."}, Options{WorkDir: dir, MaxFileSize: tc.limit})
			if !hasObject(res, "valid.yaml", "valid") {
				t.Errorf("valid.yaml did not load: %v", errorStrings(res))
			}
			if tc.wantMsg == "" {
				for _, e := range res.Errors {
					if strings.Contains(e.Msg, "limit") {
						t.Errorf("unexpected size error: %v", e)
					}
				}
				return
			}
			if len(res.Errors) != 1 || res.Errors[0].Path != "big.yaml" || !strings.Contains(res.Errors[0].Msg, tc.wantMsg) {
				t.Fatalf("errors = %v, want one for big.yaml containing %q", errorStrings(res), tc.wantMsg)
			}
		})
	}
}

func TestLoadStdinOverSizeLimit(t *testing.T) {
	res := Load(context.Background(), []string{"-"}, Options{Stdin: strings.NewReader(strings.Repeat("#", 2000)), MaxFileSize: 1000})
	if len(res.Errors) != 1 || res.Errors[0].Path != "-" || !strings.Contains(res.Errors[0].Msg, "1000 bytes limit") {
		t.Fatalf("errors = %v", errorStrings(res))
	}
}

func TestLoadDirectoryWithSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"deploy/app.yaml": configMap("app")})
	if err := os.Symlink("..", filepath.Join(dir, "deploy", "parent")); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	res := Load(context.Background(), []string{"."}, Options{WorkDir: dir})
	want := []string{"deploy/parent: symlink loop: deploy/parent leads back to .; not followed"}
	if got := errorStrings(res); !equalStrings(got, want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
	if !hasObject(res, "deploy/app.yaml", "app") {
		t.Errorf("objects = %v", refsOf(res))
	}
}

func TestLoadSymlinkToItself(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"valid.yaml": configMap("valid")})
	if err := os.Symlink("self.yaml", filepath.Join(dir, "self.yaml")); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	res := Load(context.Background(), []string{"."}, Options{WorkDir: dir})
	if len(res.Errors) != 1 || res.Errors[0].Path != "self.yaml" || !strings.Contains(res.Errors[0].Msg, "cannot follow symlink") {
		t.Errorf("errors = %v", errorStrings(res))
	}
	if !hasObject(res, "valid.yaml", "valid") {
		t.Errorf("objects = %v", refsOf(res))
	}
}

func TestLoadNamedPipeInDirectoryIsNotRead(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"valid.yaml": configMap("valid")})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo unavailable: %v", err)
	}
	// Opening a pipe without a writer blocks; a walk must not open it.
	res := Load(context.Background(), []string{"."}, Options{WorkDir: dir})
	want := []string{"pipe.yaml: not a regular file (named pipe); not read"}
	if got := errorStrings(res); !equalStrings(got, want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
	if !hasObject(res, "valid.yaml", "valid") {
		t.Errorf("objects = %v", refsOf(res))
	}
}

func TestLoadUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: chmod 000 does not stop reads (TestReadSourceOfDirectoryFails covers the read error path)")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"valid.yaml": configMap("valid"), "secret.yaml": configMap("secret")})
	if err := os.Chmod(filepath.Join(dir, "secret.yaml"), 0); err != nil {
		t.Fatal(err)
	}
	res := Load(context.Background(), []string{"."}, Options{WorkDir: dir})
	if len(res.Errors) != 1 || res.Errors[0].Path != "secret.yaml" || !strings.Contains(res.Errors[0].Msg, "permission denied") {
		t.Errorf("errors = %v", errorStrings(res))
	}
	if !hasObject(res, "valid.yaml", "valid") {
		t.Errorf("objects = %v", refsOf(res))
	}
}

// TestReadSourceOfDirectoryFails covers the read error path even as root:
// reading a directory as a file fails after it was opened.
func TestReadSourceOfDirectoryFails(t *testing.T) {
	dir := t.TempDir()
	f, p := readSource(source{abs: dir, rel: "dir.yaml"}, Options{})
	if f != nil || len(p.errs) != 1 || !containsAll(p.errs[0].Error(), "dir.yaml: cannot read:", "is a directory") {
		t.Fatalf("file %v, errors %v", f, p.errs)
	}
}

func TestLoadMissingPath(t *testing.T) {
	res := Load(context.Background(), []string{"nope.yaml"}, Options{WorkDir: t.TempDir()})
	want := []string{"nope.yaml: cannot read: no such file or directory"}
	if got := errorStrings(res); !equalStrings(got, want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
