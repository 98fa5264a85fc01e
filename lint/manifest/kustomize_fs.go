package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// errReadOnly is returned by every write kustomize attempts during a build.
var errReadOnly = errors.New("kubeplan reads kustomizations without writing to disk")

// offlineFS is the on-disk filesystem as kustomize sees it in a kubeplan
// build: read-only, files bounded by the size limit, and every
// kustomization file it reads is checked for remote entries (a second line
// of defence behind kustScan) and read as if it asked for
// buildMetadata: [originAnnotations], so that each output object says which
// file it came from. The user's files are never changed.
type offlineFS struct {
	filesys.FileSystem
	limit int64
}

var _ filesys.FileSystem = offlineFS{}

// ReadFile reads a file, adding origin annotations to kustomization files.
func (fs offlineFS) ReadFile(path string) ([]byte, error) {
	data, err := readLimited(path, fs.limit)
	if err != nil {
		return nil, err
	}
	if !isKustomizationName(filepath.Base(path)) {
		return data, nil
	}
	node, err := decodeChunk(data)
	if err != nil || node == nil || len(node.Content) == 0 || node.Content[0].Kind != yaml.MappingNode {
		return data, nil // kustomize reports the problem itself
	}
	root := node.Content[0]
	kf := &kustFile{root: root}
	(&kustScan{}).collect(kf)
	for _, r := range kf.refs {
		if isRemoteRef(r.value) {
			return nil, fmt.Errorf("%s:%d: remote %s entry %q: kubeplan builds kustomizations offline and never fetches", path, r.node.Line, r.field, r.value)
		}
	}
	if kf.keepsOrigin {
		return data, nil
	}
	if !addOriginAnnotations(root) {
		return data, nil
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(node); err != nil {
		return data, nil
	}
	if err := enc.Close(); err != nil {
		return data, nil
	}
	return buf.Bytes(), nil
}

// addOriginAnnotations adds originAnnotations to a kustomization's
// buildMetadata; it reports false, changing nothing, when buildMetadata is
// not a list (kustomize then reports that).
func addOriginAnnotations(root *yaml.Node) bool {
	entry := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "originAnnotations"}
	if bm := fieldNode(root, "buildMetadata"); bm != nil {
		if bm.Kind != yaml.SequenceNode {
			return false
		}
		bm.Content = append(bm.Content, entry)
		return true
	}
	root.Content = append(root.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "buildMetadata"},
		&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: []*yaml.Node{entry}})
	return true
}

// Create refuses: builds never write.
func (offlineFS) Create(string) (filesys.File, error) { return nil, errReadOnly }

// Mkdir refuses: builds never write.
func (offlineFS) Mkdir(string) error { return errReadOnly }

// MkdirAll refuses: builds never write.
func (offlineFS) MkdirAll(string) error { return errReadOnly }

// RemoveAll refuses: builds never write.
func (offlineFS) RemoveAll(string) error { return errReadOnly }

// WriteFile refuses: builds never write.
func (offlineFS) WriteFile(string, []byte) error { return errReadOnly }
