package policies

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Problem is a policy that could not be used: a file that did not read,
// parse or compile. It prints as "path:line:col: message".
type Problem struct {
	Path      string
	Line, Col int
	Message   string
	// NotModelled marks input kubeplan cannot evaluate but that is not
	// wrong (a CEL-only ConstraintTemplate and its constraints): it is
	// reported as a note, not as a load error.
	NotModelled bool
}

func (p Problem) Error() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", p.Path, p.Line, p.Col, p.Message)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Message)
	case p.Path != "":
		return fmt.Sprintf("%s: %s", p.Path, p.Message)
	}
	return p.Message
}

// problemsFromAST turns OPA errors (parse or compile) into problems, with
// paths made relative to workDir.
func problemsFromAST(err error, workDir string) []Problem {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		var one *ast.Error
		if errors.As(err, &one) {
			errs = ast.Errors{one}
		} else {
			return []Problem{{Message: err.Error()}}
		}
	}
	errs = explainCompileErrors(errs)
	out := make([]Problem, 0, len(errs))
	for _, e := range errs {
		p := Problem{Message: e.Code + ": " + e.Message}
		if e.Location != nil {
			p.Path = relPath(workDir, e.Location.File)
			p.Line, p.Col = e.Location.Row, e.Location.Col
		}
		out = append(out, p)
	}
	return out
}

// relPath makes p relative to workDir with '/' separators when it lies
// below it.
func relPath(workDir, p string) string {
	if p == "" || workDir == "" || !filepath.IsAbs(p) {
		return filepath.ToSlash(p)
	}
	if r, err := filepath.Rel(workDir, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}

// regoFile is one policy source.
type regoFile struct {
	// Path is as reported to the user (relative to the work dir).
	Path string
	// Src is the file's text.
	Src []byte
}

// findFiles walks paths (files or directories; a trailing "/..." is
// accepted and means the same as the directory) and returns the files for
// which keep returns true, sorted by path, without duplicates. Hidden
// directories are skipped.
func findFiles(paths []string, workDir string, keep func(name string) bool) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		p = strings.TrimSuffix(strings.TrimSuffix(p, "..."), string(filepath.Separator))
		if p == "" {
			p = "."
		}
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(workDir, p)
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("policy path %s: %w", p, err)
		}
		if !st.IsDir() {
			if !seen[abs] {
				seen[abs] = true
				out = append(out, abs)
			}
			continue
		}
		err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != abs && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if keep(d.Name()) && !seen[path] {
				seen[path] = true
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walking %s: %w", p, err)
		}
	}
	sort.Strings(out)
	return out, nil
}

func isRego(name string) bool { return strings.HasSuffix(name, ".rego") }

func isRegoTest(name string) bool { return strings.HasSuffix(name, "_test.rego") }

func isData(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".yaml", ".yml":
		return true
	}
	return false
}

// parseVersion reads a --rego-version value.
func parseVersion(v string) (ast.RegoVersion, bool, error) {
	switch strings.ToLower(v) {
	case RegoVersionAuto:
		return ast.RegoV1, true, nil
	case RegoVersionV1:
		return ast.RegoV1, false, nil
	case RegoVersionV0:
		return ast.RegoV0, false, nil
	}
	return ast.RegoUndefined, false, fmt.Errorf("unknown Rego version %q (want v0 or v1)", v)
}

// parsed is the outcome of parsing a set of files.
type parsed struct {
	// Modules are keyed by the path shown to users.
	Modules map[string]*ast.Module
	// Problems are parse errors.
	Problems []Problem
	// Notes say which files were read as Rego v0 by detection.
	Notes []string
}

// parseFiles parses Rego sources. With auto set, a file that does not parse
// as v1 but parses as v0 is accepted as v0 and named in a note; with an
// explicit v1, such a file is a problem whose message says so.
func parseFiles(files []regoFile, version ast.RegoVersion, auto bool) parsed {
	out := parsed{Modules: map[string]*ast.Module{}}
	for _, f := range files {
		m, err := parseModule(f.Path, string(f.Src), version)
		if err == nil {
			out.Modules[f.Path] = m
			continue
		}
		if version == ast.RegoV1 {
			if m0, err0 := parseModule(f.Path, string(f.Src), ast.RegoV0); err0 == nil {
				if auto {
					out.Modules[f.Path] = m0
					out.Notes = append(out.Notes, fmt.Sprintf("%s: Rego v0 syntax detected; evaluated as v0 (pass --rego-version v0 to say so, or run `opa fmt --write --v0-v1` to migrate)", f.Path))
					continue
				}
				ps := problemsFromAST(err, "")
				for i := range ps {
					ps[i].Message += " (the file is Rego v0: pass --rego-version v0)"
				}
				out.Problems = append(out.Problems, ps...)
				continue
			}
		}
		out.Problems = append(out.Problems, problemsFromAST(err, "")...)
	}
	return out
}

func parseModule(path, src string, v ast.RegoVersion) (*ast.Module, error) {
	m, err := ast.ParseModuleWithOpts(path, src, ast.ParserOptions{RegoVersion: v, ProcessAnnotation: true})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("%s: empty module", path)
	}
	return m, nil
}

// readRegoFiles reads the *.rego files under paths; keep filters by name.
func readRegoFiles(paths []string, workDir string, keep func(string) bool) ([]regoFile, error) {
	abs, err := findFiles(paths, workDir, keep)
	if err != nil {
		return nil, err
	}
	out := make([]regoFile, 0, len(abs))
	for _, a := range abs {
		b, err := os.ReadFile(a)
		if err != nil {
			return nil, fmt.Errorf("reading policy: %w", err)
		}
		out = append(out, regoFile{Path: relPath(workDir, a), Src: b})
	}
	return out, nil
}
