package manifest

import (
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// kustRef is one string entry of a kustomization that names a file,
// directory or repository.
type kustRef struct {
	field, value string
	node         *yaml.Node
}

// kustFile is one kustomization file read by the scan.
type kustFile struct {
	abs  string
	file *File
	// root is the kustomization's mapping node (nil when it does not
	// parse; kustomize then reports the problem).
	root *yaml.Node
	refs []kustRef
	// generators are the configMapGenerator and secretGenerator entries.
	generators []kustGenerator
	// helm holds helmCharts fields: kustomize renders them only by
	// running the helm binary, which kubeplan never does.
	helm []*yaml.Node
	// keepsOrigin is true when the file itself asks for
	// buildMetadata: [originAnnotations].
	keepsOrigin bool
	// setsSchema is true when the file has an openapi field, which
	// replaces kyaml's process-wide schema during the build.
	setsSchema bool
	// warnings are kustomize's deprecation warnings for the file.
	warnings []string
}

// kustGenerator is one configMapGenerator or secretGenerator entry.
type kustGenerator struct {
	kind, name string
	node       *yaml.Node
}

// kustScan reads a kustomization and, recursively, every local
// kustomization it includes, before kustomize runs: kustomize fetches remote
// entries over HTTP and with git, and kubeplan never opens a connection.
type kustScan struct {
	wd    string
	limit int64
	// files maps a kustomization file's absolute path to what was read.
	files map[string]*kustFile
	order []string
	errs  []*Error
}

func newKustScan(wd string, limit int64) *kustScan {
	return &kustScan{wd: wd, limit: limit, files: map[string]*kustFile{}}
}

// resourceFields are the kustomization fields whose entries kustomize
// loads as files, kustomization directories or git repositories.
var resourceFields = map[string]bool{
	"resources": true, "components": true, "bases": true, "crds": true, "configurations": true,
	"generators": true, "transformers": true, "validators": true, "patchesStrategicMerge": true,
}

// dirFields may name kustomization directories, which are scanned too.
var dirFields = map[string]bool{
	"resources": true, "components": true, "bases": true,
	"generators": true, "transformers": true, "validators": true,
}

// pluginFields may name plugin configuration files whose own "path"
// entries kustomize loads.
var pluginFields = map[string]bool{"generators": true, "transformers": true, "validators": true}

// dir scans the kustomization in dir, if it has one.
func (s *kustScan) dir(dir string) {
	name := kustomizationIn(dir)
	if name == "" {
		return
	}
	path := filepath.Join(dir, name)
	if _, done := s.files[path]; done {
		return
	}
	kf := &kustFile{abs: path}
	s.files[path] = kf
	s.order = append(s.order, path)
	data, err := readLimited(path, s.limit)
	if err != nil {
		s.errs = append(s.errs, newError(relPath(s.wd, path), 0, 0, err, "cannot read: %v", unwrapPathError(err)))
		return
	}
	kf.file = NewFile(relPath(s.wd, path), data)
	node, err := decodeChunk(data)
	if err != nil || node == nil || len(node.Content) == 0 || node.Content[0].Kind != yaml.MappingNode {
		return
	}
	kf.root = node.Content[0]
	kf.setsSchema = fieldNode(kf.root, "openapi") != nil
	var k types.Kustomization
	if k.Unmarshal(data) == nil {
		if ws := k.CheckDeprecatedFields(); ws != nil {
			for _, w := range *ws {
				kf.warnings = append(kf.warnings, strings.TrimPrefix(strings.TrimSpace(w), "# "))
			}
		}
	}
	s.collect(kf)
	for _, h := range kf.helm {
		s.errs = append(s.errs, newError(kf.file.Path, h.Line, h.Column, nil,
			"Helm charts in a kustomization are rendered by running helm (kustomize --enable-helm), which kubeplan never does; render them with helm template and lint the output"))
	}
	for _, r := range kf.refs {
		if isRemoteRef(r.value) {
			s.errs = append(s.errs, newError(kf.file.Path, r.node.Line, r.node.Column, nil,
				"remote %s entry %q: kubeplan builds kustomizations offline and never fetches; vendor it into the repository, or lint the output of kustomize build",
				r.field, r.value))
			continue
		}
		local := filepath.Join(dir, strings.TrimSpace(r.value))
		if dirFields[r.field] {
			if st, err := os.Stat(local); err == nil && st.IsDir() {
				s.dir(local)
				continue
			}
		}
		if pluginFields[r.field] {
			s.pluginFile(kf, r, local)
		}
	}
}

// collect records the references and generators of a kustomization.
func (s *kustScan) collect(kf *kustFile) {
	root := kf.root
	for i := 0; i+1 < len(root.Content); i += 2 {
		field, v := root.Content[i].Value, root.Content[i+1]
		switch {
		case resourceFields[field] && v.Kind == yaml.SequenceNode:
			for _, e := range v.Content {
				switch e.Kind {
				case yaml.ScalarNode:
					kf.refs = append(kf.refs, kustRef{field: field, value: e.Value, node: e})
				case yaml.MappingNode:
					kf.refs = append(kf.refs, pathRefs(field, e)...)
				}
			}
		case field == "patches" || field == "patchesJson6902" || field == "replacements" || field == "openapi":
			kf.refs = append(kf.refs, pathRefs(field, v)...)
		case field == "configMapGenerator" || field == "secretGenerator":
			kind := "ConfigMapGenerator"
			if field == "secretGenerator" {
				kind = "SecretGenerator"
			}
			for _, g := range seqOf(v) {
				kf.generators = append(kf.generators, kustGenerator{kind: kind, name: scalarField(g, "name"), node: g})
				for _, key := range []string{"files", "envs", "env"} {
					fv := fieldNode(g, key)
					for _, e := range append(seqOf(fv), scalarOnly(fv)...) {
						value := e.Value
						if _, p, ok := strings.Cut(value, "="); ok {
							value = p
						}
						kf.refs = append(kf.refs, kustRef{field: field + "." + key, value: value, node: e})
					}
				}
			}
		case field == "helmCharts" || field == "helmChartInflationGenerator":
			kf.helm = append(kf.helm, v)
		case field == "buildMetadata":
			for _, e := range seqOf(v) {
				if e.Value == "originAnnotations" {
					kf.keepsOrigin = true
				}
			}
		}
	}
}

// pluginFile scans a generator or transformer configuration file for
// remote "path" entries.
func (s *kustScan) pluginFile(kf *kustFile, r kustRef, path string) {
	data, err := readLimited(path, s.limit)
	if err != nil {
		return // kustomize reports it
	}
	for _, ch := range yamlChunks(data) {
		node, err := decodeChunk(ch.data)
		if err != nil || node == nil {
			continue
		}
		for _, pr := range pathRefs(r.field, node) {
			if isRemoteRef(pr.value) {
				s.errs = append(s.errs, newError(kf.file.Path, r.node.Line, r.node.Column, nil,
					"%s entry %q loads the remote file %q: kubeplan builds kustomizations offline and never fetches",
					r.field, r.value, pr.value))
			}
		}
	}
}

// pathRefs returns every "path" scalar under n, at any depth.
func pathRefs(field string, n *yaml.Node) []kustRef {
	var out []kustRef
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(x.Content); i += 2 {
				if x.Content[i].Value == "path" && x.Content[i+1].Kind == yaml.ScalarNode {
					out = append(out, kustRef{field: field, value: x.Content[i+1].Value, node: x.Content[i+1]})
				}
			}
		}
		stack = append(stack, x.Content...)
	}
	return out
}

func seqOf(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func scalarOnly(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil
	}
	return []*yaml.Node{n}
}

func fieldNode(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalarField(m *yaml.Node, key string) string {
	if n := fieldNode(m, key); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// isRemoteRef reports whether kustomize would fetch an entry rather than
// read it from disk: an URL (http, https, ssh, file, or any other scheme),
// a git reference as kustomize's repospec parser accepts it (git::,
// user@host:org/repo, github.com/org/repo), or a query such as ?ref=.
// Multi-line values are inline patches, not references.
func isRemoteRef(s string) bool {
	s = strings.TrimSpace(s)
	if filepath.IsAbs(s) || strings.Contains(s, "\n") {
		return false
	}
	lower := strings.ToLower(s)
	lower = strings.TrimPrefix(lower, "git::")
	if strings.Contains(lower, "://") || strings.HasPrefix(lower, "github.com/") || strings.HasPrefix(lower, "github.com:") {
		return true
	}
	for _, q := range []string{"?ref=", "?version=", "?timeout=", "?submodules="} {
		if strings.Contains(lower, q) {
			return true
		}
	}
	// scp-like "user@host:path" or "user@host/org/repo".
	if at := strings.IndexByte(lower, '@'); at > 0 && isGitUser(lower[:at]) && strings.ContainsAny(lower[at+1:], ":/") {
		return true
	}
	return false
}

// isGitUser matches kustomize's username pattern [a-zA-Z][a-zA-Z0-9-]*.
func isGitUser(u string) bool {
	for i, c := range u {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	return u != ""
}
