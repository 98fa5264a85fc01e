package manifest

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// walker finds the sources under the paths the user named.
type walker struct {
	add   func(source)
	errs  []*Error
	notes []string
	// ancestors holds the real paths of the directories being walked, so
	// a symlink back into one of them is reported as a loop instead of
	// followed.
	ancestors map[string]string
}

// discover adds the sources under abs, a path the user named: a file is
// read whatever its extension, a kustomization file or directory is built.
func (w *walker) discover(abs, rel string) {
	st, err := os.Stat(abs)
	if err != nil {
		w.errs = append(w.errs, newError(rel, 0, 0, err, "cannot read: %v", unwrapPathError(err)))
		return
	}
	if !st.IsDir() {
		if isKustomizationName(filepath.Base(abs)) {
			// Naming a kustomization file means building it, as
			// kubectl apply -k does with its directory.
			w.add(source{abs: filepath.Dir(abs), rel: path.Dir(rel), kustomize: true})
			return
		}
		w.add(source{abs: abs, rel: rel})
		return
	}
	w.walkDir(abs, rel, true)
}

// walkDir walks a directory in lexical order. A directory holding a
// kustomization is built instead of walked; a kustomize Component found
// on the way is skipped with a note, as it only has a meaning inside the
// kustomizations that include it.
func (w *walker) walkDir(abs, rel string, named bool) {
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		w.errs = append(w.errs, newError(rel, 0, 0, err, "cannot read: %v", unwrapPathError(err)))
		return
	}
	if first, loop := w.ancestors[real]; loop {
		w.errs = append(w.errs, newError(rel, 0, 0, nil, "symlink loop: %s leads back to %s; not followed", rel, first))
		return
	}
	if k := kustomizationIn(abs); k != "" {
		if !named && isComponent(filepath.Join(abs, k)) {
			w.notes = append(w.notes, joinRel(rel, k)+": skipped: a kustomize Component is built only as part of the kustomizations that include it")
			return
		}
		w.add(source{abs: abs, rel: relDir(rel), kustomize: true})
		return
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		w.errs = append(w.errs, newError(rel, 0, 0, err, "cannot read directory: %v", unwrapPathError(err)))
		return
	}
	w.ancestors[real] = relDir(rel)
	defer delete(w.ancestors, real)
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue // hidden: .git, .github, editor files
		}
		cabs, crel := filepath.Join(abs, name), joinRel(rel, name)
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			st, err := os.Stat(cabs)
			if err != nil {
				if isManifestName(name) {
					w.errs = append(w.errs, newError(crel, 0, 0, err, "cannot follow symlink: %v", unwrapPathError(err)))
				}
				continue
			}
			mode = st.Mode().Type()
		}
		switch {
		case mode.IsDir():
			w.walkDir(cabs, crel, false)
		case !isManifestName(name):
		case mode.IsRegular():
			w.add(source{abs: cabs, rel: crel})
		default:
			// A named pipe would block the read forever; only a path
			// the user names explicitly is read whatever it is.
			w.errs = append(w.errs, newError(crel, 0, 0, nil, "not a regular file (%s); not read", describeMode(mode)))
		}
	}
}

// isComponent reports whether a kustomization file declares
// kind: Component.
func isComponent(path string) bool {
	data, err := readLimited(path, 1<<20)
	if err != nil {
		return false
	}
	node, err := decodeChunk(data)
	if err != nil || node == nil || len(node.Content) == 0 {
		return false
	}
	return scalarField(node.Content[0], "kind") == "Component"
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

func isKustomizationName(name string) bool {
	for _, n := range kustomizationFiles {
		if name == n {
			return true
		}
	}
	return false
}

// relDir is rel as a directory name: "." for the working directory.
func relDir(rel string) string {
	if rel == "" {
		return "."
	}
	return rel
}

func kustomizationIn(dir string) string {
	for _, n := range kustomizationFiles {
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil && !st.IsDir() {
			return n
		}
	}
	return ""
}

func isManifestName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return !strings.HasPrefix(filepath.Base(name), ".")
	}
	return false
}

func joinRel(rel, name string) string {
	if rel == "." || rel == "" {
		return name
	}
	return rel + "/" + name
}

// relPath makes abs relative to wd with '/' separators; paths outside wd
// stay relative ("../x") when possible, else absolute.
func relPath(wd, abs string) string {
	r, err := filepath.Rel(wd, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(r)
}
