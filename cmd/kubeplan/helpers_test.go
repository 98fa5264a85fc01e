package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"
)

// result is what one kubeplan invocation produced.
type result struct {
	code           int
	stdout, stderr string
}

// kubeplan runs the CLI in dir with args, as a user would from a shell
// there, and returns exit code and output.
func kubeplan(t *testing.T, dir string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	var in io.Reader = strings.NewReader(stdin)
	a := &app{stdin: in, stdout: &out, stderr: &errb, workDir: dir}
	code := a.execute(context.Background(), args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func repoRoot(t *testing.T) string { return testutil.ModuleRoot(t) }

// fixture is a directory under testdata/.
func fixture(t *testing.T, parts ...string) string {
	t.Helper()
	return filepath.Join(append([]string{repoRoot(t), "testdata"}, parts...)...)
}

func writeFiles(t *testing.T, files map[string]string) string { return testutil.TempTree(t, files) }
