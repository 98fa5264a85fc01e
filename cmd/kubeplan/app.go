package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kubeplan/kubeplan/lint"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

// Exit codes, the same for every command.
const (
	exitOK       = 0 // nothing at or above the failure threshold
	exitFindings = 1 // findings (lint), "no" (can-i)
	exitError    = 2 // usage error, or input that could not be loaded
)

// app carries what every command needs, so commands are testable without
// touching the process's streams or working directory.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// workDir is the directory paths are reported relative to.
	workDir string
	// stdoutTTY and stderrTTY say whether colour and progress may be used.
	stdoutTTY, stderrTTY bool
	// maxFileSizeMiB is the --max-file-size flag; 0 means the loader's
	// default.
	maxFileSizeMiB int64
}

// manifestOptions are the loader options every command uses.
func (a *app) manifestOptions() manifest.Options {
	return manifest.Options{WorkDir: a.workDir, Stdin: a.stdin, MaxFileSize: a.maxFileSizeMiB << 20}
}

// codeError is an error that carries the process exit code. A nil err with
// a non-zero code exits quietly.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *codeError) Unwrap() error { return e.err }

// exit returns an error that makes the command exit with code, printing
// nothing more.
func exit(code int) error {
	if code == 0 {
		return nil
	}
	return &codeError{code: code}
}

// usageError makes the command exit 2 with a message.
func usageError(format string, args ...any) error {
	return &codeError{code: exitError, err: fmt.Errorf(format, args...)}
}

// run executes kubeplan with args and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	wd, _ := os.Getwd()
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, workDir: wd,
		stdoutTTY: isTerminal(stdout), stderrTTY: isTerminal(stderr)}
	return a.execute(ctx, args)
}

// execute runs one command line with the app's streams and working
// directory and returns the exit code.
func (a *app) execute(ctx context.Context, args []string) int {
	stdin, stdout, stderr := a.stdin, a.stdout, a.stderr
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ce *codeError
	if errors.As(err, &ce) {
		if ce.err != nil {
			fmt.Fprintln(stderr, "Error:", ce.err)
		}
		return ce.code
	}
	fmt.Fprintln(stderr, "Error:", err)
	return exitError
}

// load reads the manifests at paths into a model, printing each load error
// to stderr as path:line:col: message. Commands other than lint use it and
// exit 2 afterwards when loadFailed is true.
func (a *app) load(ctx context.Context, paths []string, defaultNamespace string) (l *lint.Loaded, loadFailed bool) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	l = lint.Load(ctx, lint.LoadOptions{
		Paths:            paths,
		DefaultNamespace: defaultNamespace,
		Manifest:         a.manifestOptions(),
	})
	for _, e := range l.Manifest.Errors {
		fmt.Fprintln(a.stderr, "error:", e)
	}
	return l, len(l.Manifest.Errors) > 0
}

// output opens the -o destination: stdout when path is "" or "-".
func (a *app) output(path string) (w io.Writer, closeFn func() error, err error) {
	if path == "" || path == "-" {
		return a.stdout, func() error { return nil }, nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(a.workDir, path)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, &codeError{code: exitError, err: err}
	}
	return f, f.Close, nil
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// noColor reports whether colour is refused by the environment (NO_COLOR).
func noColor() bool {
	_, set := os.LookupEnv("NO_COLOR")
	return set
}

// writeJSON writes v as JSON indented with two spaces and a trailing
// newline: the one JSON shape every command's -f json uses.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return &codeError{code: exitError, err: fmt.Errorf("writing output: %w", err)}
	}
	return nil
}
