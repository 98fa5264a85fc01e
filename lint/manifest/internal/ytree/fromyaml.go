package ytree

import (
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// FromYAML converts a yaml.v3 node tree: a document node's content, or any
// node within one. Positions are copied as they are; comments, anchors and
// resolved tags are dropped (explicit tags, marked TaggedStyle, are kept).
// Alias targets outside the converted subtree are converted too. It returns
// nil for nil or an empty document.
func FromYAML(root *yaml.Node) *Tree {
	if root != nil && root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil
		}
		root = root.Content[0]
	}
	if root == nil {
		return nil
	}
	c := converter{t: &Tree{}, seen: map[*yaml.Node]int32{}}
	c.convert(root)
	c.t.extra = c.extra.String()
	return c.t
}

type converter struct {
	t     *Tree
	extra strings.Builder
	seen  map[*yaml.Node]int32 // anchored nodes and collections converted so far
}

func (c *converter) convert(n *yaml.Node) int32 {
	if i, ok := c.seen[n]; ok && n.Kind != yaml.AliasNode {
		return i
	}
	var kind Kind
	switch n.Kind {
	case yaml.MappingNode:
		kind = MappingNode
	case yaml.SequenceNode:
		kind = SequenceNode
	case yaml.AliasNode:
		kind = AliasNode
	case yaml.DocumentNode:
		// A document nested in a tree is not something yaml.v3 builds;
		// read it as its content.
		if len(n.Content) > 0 {
			return c.convert(n.Content[0])
		}
		kind = ScalarNode
	default:
		kind = ScalarNode
	}
	i := c.t.add(kind, Style(n.Style), int32(n.Line), int32(n.Column))
	if n.Style&yaml.TaggedStyle != 0 {
		c.t.setTag(i, n.Tag)
	}
	if n.Anchor != "" || n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		// Collections are recorded so a cyclic alias ends here.
		c.seen[n] = i
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias != nil {
			c.t.setAlias(i, c.convert(n.Alias))
		}
	case yaml.MappingNode, yaml.SequenceNode:
		kids := make([]int32, len(n.Content))
		for j, k := range n.Content {
			kids[j] = c.convert(k)
		}
		c.t.setKids(i, kids)
	case yaml.ScalarNode:
		c.t.setText(i, n.Value, &c.extra)
	}
	return i
}
