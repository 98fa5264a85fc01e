package rbac

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// GraphOptions configure WriteGraph.
type GraphOptions struct {
	// Format is "mermaid", "dot" or "json".
	Format string
	// IncludeDefault also draws the bindings of the default policy.
	IncludeDefault bool
}

// WriteGraph draws subjects -> bindings -> roles (and aggregated
// ClusterRoles <- the roles they aggregate) as a Mermaid flowchart or a
// Graphviz digraph. Nodes and edges are sorted, so the output is stable.
func WriteGraph(w io.Writer, ix *Index, opts GraphOptions) error {
	type edge struct{ from, to, label string }
	nodes := map[string]string{} // id -> label
	var edges []edge
	id := func(kind, ns, name string) string {
		key := kind + ":" + ns + "/" + name
		if _, ok := nodes[key]; !ok {
			label := kind + " " + name
			if ns != "" {
				label = kind + " " + ns + "/" + name
			}
			nodes[key] = label
		}
		return key
	}
	roles := map[*Role]bool{}
	for _, b := range ix.Bindings() {
		if b.Default && !opts.IncludeDefault {
			continue
		}
		bid := id(b.Kind, b.Namespace, b.Name)
		for _, s := range b.Subjects {
			name, group, ok := SubjectName(s, b.Namespace)
			if !ok {
				continue
			}
			kind := "User"
			if group {
				kind = "Group"
			} else if _, _, sa := SplitServiceAccountUser(name); sa {
				kind = "ServiceAccount"
			}
			edges = append(edges, edge{id(kind, "", name), bid, ""})
		}
		refNS := ""
		if b.RoleRef.Kind == KindRole {
			refNS = b.Namespace
		}
		rid := id(b.RoleRef.Kind, refNS, b.RoleRef.Name)
		label := ""
		if b.Role == nil {
			label = "missing"
		} else {
			roles[b.Role] = true
		}
		edges = append(edges, edge{bid, rid, label})
	}
	for r := range roles {
		seen := map[*Role]bool{}
		for _, o := range r.Origins {
			if o.Role != r && !seen[o.Role] {
				seen[o.Role] = true
				edges = append(edges, edge{id(o.Role.Kind, o.Role.Namespace, o.Role.Name), id(r.Kind, r.Namespace, r.Name), "aggregated"})
			}
		}
	}
	keys := make([]string, 0, len(nodes))
	for k := range nodes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	short := map[string]string{}
	for i, k := range keys {
		short[k] = fmt.Sprintf("n%d", i)
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].from != edges[j].from {
			return edges[i].from < edges[j].from
		}
		return edges[i].to < edges[j].to
	})
	var b strings.Builder
	switch opts.Format {
	case "json":
		// {"nodes": [{"id", "label"}], "edges": [{"from", "to", "label"}]},
		// ids as in the dot and mermaid output.
		type jsonNode struct {
			ID    string `json:"id"`
			Label string `json:"label"`
		}
		type jsonEdge struct {
			From  string `json:"from"`
			To    string `json:"to"`
			Label string `json:"label,omitempty"`
		}
		doc := struct {
			Nodes []jsonNode `json:"nodes"`
			Edges []jsonEdge `json:"edges"`
		}{Nodes: []jsonNode{}, Edges: []jsonEdge{}}
		for _, k := range keys {
			doc.Nodes = append(doc.Nodes, jsonNode{ID: short[k], Label: nodes[k]})
		}
		for _, e := range edges {
			doc.Edges = append(doc.Edges, jsonEdge{From: short[e.from], To: short[e.to], Label: e.label})
		}
		out, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		b.Write(append(out, '\n'))
	case "dot":
		b.WriteString("digraph rbac {\n  rankdir=LR;\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s [label=%q];\n", short[k], nodes[k])
		}
		for _, e := range edges {
			if e.label != "" {
				fmt.Fprintf(&b, "  %s -> %s [label=%q];\n", short[e.from], short[e.to], e.label)
			} else {
				fmt.Fprintf(&b, "  %s -> %s;\n", short[e.from], short[e.to])
			}
		}
		b.WriteString("}\n")
	default:
		b.WriteString("flowchart LR\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s[\"%s\"]\n", short[k], strings.ReplaceAll(nodes[k], `"`, "#quot;"))
		}
		for _, e := range edges {
			if e.label != "" {
				fmt.Fprintf(&b, "  %s -->|%s| %s\n", short[e.from], e.label, short[e.to])
			} else {
				fmt.Fprintf(&b, "  %s --> %s\n", short[e.from], short[e.to])
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
