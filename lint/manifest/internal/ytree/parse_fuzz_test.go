package ytree

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// fuzzSeedDocs are corpus-like documents beyond parseCases.
var fuzzSeedDocs = []string{
	`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: "prod"
  labels: {app: web, tier: 'front'}
  annotations:
    note: >-
      folded
      text
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.25
        args: ["--port=8080", -v]
        command:
          - /bin/sh
          - -c
          - |
            echo hi
            exec nginx
        env:
        - name: A
          value: "1"
        - {name: B, value: x}
        resources: {}
`,
	`# Source: chart/templates/crd.yaml
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec:
  versions:
  - name: v1
    schema:
      openAPIV3Schema:
        description: A description that goes on
          over two lines.
        properties:
          spec:
            description: "Quoted, and
              folded"
            type: object
`,
	"kind: ConfigMap\r\ndata:\r\n  a.txt: |\r\n    x\r\n\r\n    y\r\n  b: 'c'\r\n",
	"- a\n-\n  - b\n  -\n    c: d\n- e: |+\n    f\n\n",
}

func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.doc)
	}
	for _, doc := range fuzzSeedDocs {
		f.Add(doc)
	}
	r := rand.New(rand.NewPCG(3, 4))
	g := &treeGen{r: r}
	for range 50 {
		f.Add(soupDocument(r))
		f.Add(g.document())
	}
	if docs := corpusDocuments(f, sharedCorpus); len(docs) > 0 {
		// A sample of small real documents.
		for i, d := range docs {
			if i%25 == 0 && len(d.text) < 4096 {
				f.Add(d.text)
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc string) {
		got, ok := Parse(doc, 3)
		if !ok {
			if got != nil {
				t.Fatal("Parse declined but returned a tree")
			}
			return
		}
		want, err := yamlTree(doc, 3)
		if err != nil {
			t.Fatalf("Parse accepted %q, which yaml.v3 refuses: %v", doc, err)
		}
		if d := diffTrees(got, want); d != "" {
			t.Fatalf("Parse(%q) differs from yaml.v3: %s", doc, d)
		}
		checkShared(t, doc, got)
	})
}

// checkShared checks that plain scalars' values are the document's own
// memory. Values with blanks or line breaks may be folded from several
// lines, so new strings; they are skipped.
func checkShared(t *testing.T, doc string, tr *Tree) {
	if tr == nil {
		return
	}
	for i := range tr.nodes {
		n := Node{tr, int32(i)}
		v := n.Value()
		if n.Kind() != ScalarNode || n.Style() != 0 || v == "" || strings.ContainsAny(v, " \n") {
			continue
		}
		if !within(doc, v) {
			t.Fatalf("plain scalar %q at %d:%d is a copy, not part of the document", v, n.Line(), n.Column())
		}
	}
}

// soupFragments are pieces of YAML lines that soupDocument strings
// together: indicators, scalars of every style, comments, odd blanks.
var soupFragments = []string{
	"- ", "-", "- - ", "k: ", "k:", "key: ", "'q k': ", "\"d k\": ", "? ", ": ",
	"v", "a b", "x#y", "a #c", "# c", "1", "~", "null", "-1", ":x", "?x", "a:b",
	"'s'", "'it''s'", "'open", "close'", "\"d\"", "\"e\\n\\t\\x41\"", "\"open", "close\"", "\\",
	"|", "|-", "|+", ">", ">-", ">+", "|2", ">1-", "|0",
	"[a, b]", "[]", "{}", "{a: 1, 'b': [c]}", "[a,", "b]", "{\"k\":v}",
	"&a ", "*a", "!t ", "%", "@", "---", "...", " ", "  ", "\t", "é", "日本",
}

// soupDocument builds a document of random lines of fragments with random
// indentation: near-YAML, often invalid.
func soupDocument(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(8) {
		b.WriteString(strings.Repeat(" ", r.IntN(7)))
		for range r.IntN(4) {
			b.WriteString(soupFragments[r.IntN(len(soupFragments))])
		}
		if r.IntN(10) == 0 {
			b.WriteString("\r")
		}
		if r.IntN(12) != 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// treeGen builds documents shaped like manifests, nested mappings and
// sequences, with random indentation, comments, blank lines and scalars
// of every style, many spanning lines: mostly valid YAML.
type treeGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *treeGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *treeGen) indent(n int) { g.b.WriteString(strings.Repeat(" ", max(n, 0))) }

// document writes a whole document.
func (g *treeGen) document() string {
	g.b.Reset()
	if g.r.IntN(4) == 0 {
		g.b.WriteString(g.pick("---\n", "# h\n---\n", "--- # c\n"))
	}
	g.node(g.r.IntN(2), 0, false)
	return g.b.String()
}

// filler writes blank lines, comments and lines of blanks.
func (g *treeGen) filler(ind int) {
	for g.r.IntN(5) == 0 {
		switch g.r.IntN(4) {
		case 0:
			g.b.WriteString("\n")
		case 1:
			g.indent(g.r.IntN(ind + 4))
			g.b.WriteString("# c\n")
		case 2:
			g.indent(g.r.IntN(ind + 4))
			g.b.WriteString("\n")
		case 3:
			g.indent(g.r.IntN(3))
			g.b.WriteString(g.pick("\t", " \t", "#\t") + "\n")
		}
	}
}

// node writes a collection or a scalar at indentation ind, or after an
// indicator on the current line when inline.
func (g *treeGen) node(ind, depth int, inline bool) {
	if depth > 4 || g.r.IntN(3) == 0 {
		if inline {
			g.b.WriteString(" ")
		} else {
			g.indent(ind)
		}
		g.scalar(ind)
		return
	}
	isMap := g.r.IntN(2) == 0
	for i := range 1 + g.r.IntN(3) {
		if i > 0 || !inline {
			g.filler(ind)
			g.indent(ind)
		} else {
			g.b.WriteString(" ")
		}
		if isMap {
			g.b.WriteString(g.pick("k", "key", "'q'", `"d"`, "a b", "-k", "<<") + g.pick(":", ":", " :"))
		} else {
			g.b.WriteString("-")
		}
		g.value(ind, depth, isMap)
	}
}

// value writes the value of a key or an entry at indentation ind.
func (g *treeGen) value(ind, depth int, ofKey bool) {
	switch g.r.IntN(4) {
	case 0:
		if ofKey {
			g.b.WriteString(" ")
			g.scalar(ind)
		} else {
			g.node(ind+2, depth+1, true)
		}
	case 1:
		g.b.WriteString(g.pick("\n", " # c\n", " \n"))
	default:
		g.b.WriteString("\n")
		delta := g.r.IntN(4) - 1
		if ofKey && g.r.IntN(3) == 0 {
			delta = 0
		}
		g.node(ind+delta+1, depth+1, false)
	}
}

// scalar writes a scalar and ends its line.
func (g *treeGen) scalar(ind int) {
	switch g.r.IntN(9) {
	case 0, 1:
		g.b.WriteString(g.pick("v", "a b", "x:y", "-1", "a#b", "http://x", "é ü", "a\tb", "~", "true"))
		for g.r.IntN(3) == 0 {
			g.b.WriteString("\n")
			g.filler(ind)
			g.indent(ind + g.r.IntN(4) - 1)
			g.b.WriteString(g.pick("cont", "- d", "x y", "'q'", "#c", "[a]", "k: v", "--- ", "..."))
		}
	case 2:
		g.b.WriteString(g.pick("'s'", "'it''s'", "''", "' a '"))
	case 3:
		g.b.WriteString(g.pick(`"d"`, `"e\n\t"`, `"\x41\u00e9"`, `""`, `"a\ "`))
	case 4:
		g.quotedLines(ind)
	case 5:
		g.blockScalar(ind)
		return
	case 6:
		g.b.WriteString(g.pick("[a, b]", "[]", "{}", "{a: 1, 'b': [c]}", "[[a], {b: c}]", `{"k":v}`, "[a: b]", "[a,]"))
	case 7:
	case 8:
		g.b.WriteString(g.pick("&a v", "*a", "!t v", "? x", "@x", "- "))
	}
	g.b.WriteString(g.pick("\n", "\n", " # c\n", "  \n", "\t\n", ""))
}

// quotedLines writes a quoted scalar over several lines.
func (g *treeGen) quotedLines(ind int) {
	q := g.pick("'", "\"")
	g.b.WriteString(q + "a")
	for range 1 + g.r.IntN(3) {
		g.b.WriteString(g.pick(" ", "", "  ", "\\", " \\") + "\n")
		for g.r.IntN(3) == 0 {
			g.b.WriteString(g.pick("\n", "  \n", "\t\n"))
		}
		g.indent(g.r.IntN(ind + 4))
		g.b.WriteString(g.pick("b", "\tc", "''", "x y", "#", "- z"))
	}
	g.b.WriteString(q)
}

// blockScalar writes a block scalar with lines of random indentation.
func (g *treeGen) blockScalar(ind int) {
	g.b.WriteString(g.pick("|", ">", "|-", ">+", "|+", ">-", "|1", "|2", ">1", "|-1", "|2+"))
	g.b.WriteString(g.pick("", " # c", "  ") + "\n")
	base := ind + g.r.IntN(4)
	for range g.r.IntN(5) {
		if g.r.IntN(5) == 0 {
			g.b.WriteString(g.pick("", " ", "    ", strings.Repeat(" ", base+2)) + "\n")
			continue
		}
		g.indent(base + g.r.IntN(4) - 1)
		g.b.WriteString(g.pick("l", " m", "\tt", "n o", "# x") + "\n")
	}
}

func TestParseMatchesYAMLv3OnGeneratedDocuments(t *testing.T) {
	n := 50000
	if testing.Short() {
		n = 5000
	}
	r := rand.New(rand.NewPCG(1, 2))
	g := &treeGen{r: r}
	for _, set := range []struct {
		name     string
		generate func() string
	}{
		{name: "fragment soup", generate: func() string { return soupDocument(r) }},
		{name: "manifest-shaped trees", generate: g.document},
	} {
		fast := 0
		for range n {
			doc := set.generate()
			ok, problem := checkParse(doc, 1)
			if problem != "" {
				t.Fatalf("%s: %q: %s", set.name, doc, problem)
			}
			if ok {
				fast++
			}
		}
		t.Logf("%s: Parse read %d of %d documents", set.name, fast, n)
	}
}
