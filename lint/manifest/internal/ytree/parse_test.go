package ytree

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unsafe"

	"github.com/kubeplan/kubeplan/internal/testutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// yamlTree parses doc with yaml.v3 and converts it with FromYAML, lines
// shifted to start at firstLine: what Parse must build. A document yaml.v3
// finds empty, or holding only the null that "---" alone gives, is nil.
func yamlTree(doc string, firstLine int) (t *Tree, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("yaml.v3 panicked: %v", r)
		}
	}()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		return nil, err
	}
	if n.Kind == 0 {
		return nil, nil
	}
	t = FromYAML(&n)
	if t == nil {
		return nil, nil
	}
	for i := range t.nodes {
		t.nodes[i].line += int32(firstLine - 1)
	}
	if len(n.Content) == 1 && n.Content[0].Kind == yaml.ScalarNode && n.Content[0].Tag == "!!null" &&
		n.Content[0].Style == 0 && n.Content[0].Value == "" {
		// "---" with nothing after it: Parse calls the document empty.
		return nil, nil
	}
	return t, nil
}

// diffTrees compares two trees node for node (order, kind, style, tag,
// value, position, children) and describes the first difference, with the
// path to it; "" when they are the same.
func diffTrees(got, want *Tree) string {
	switch {
	case got == nil && want == nil:
		return ""
	case got == nil:
		return "got no tree, want one"
	case want == nil:
		return "got a tree, want none"
	}
	if d := diffNodes(got.Root(), want.Root(), "$", 0); d != "" {
		return d
	}
	if got.Len() != want.Len() {
		return fmt.Sprintf("got %d nodes, want %d", got.Len(), want.Len())
	}
	return ""
}

// diffNodes compares two nodes and their subtrees.
func diffNodes(g, w Node, path string, depth int) string {
	if depth > 10000 {
		return path + ": too deep to compare"
	}
	if g.i != w.i {
		return fmt.Sprintf("%s: node index %d, want %d (node order differs)", path, g.i, w.i)
	}
	type field struct {
		name      string
		got, want any
	}
	for _, f := range []field{
		{"kind", g.Kind(), w.Kind()},
		{"style", g.Style(), w.Style()},
		{"tag", g.Tag(), w.Tag()},
		{"value", g.Value(), w.Value()},
		{"line", g.Line(), w.Line()},
		{"column", g.Column(), w.Column()},
		{"children", g.Len(), w.Len()},
	} {
		if f.got != f.want {
			return fmt.Sprintf("%s: %s %#v, want %#v", path, f.name, f.got, f.want)
		}
	}
	for i := range g.Len() {
		var p string
		switch {
		case g.Kind() != MappingNode:
			p = fmt.Sprintf("%s[%d]", path, i)
		case i%2 == 0:
			p = fmt.Sprintf("%s.key(%q)", path, g.Child(i).Value())
		default:
			p = fmt.Sprintf("%s.%s", path, g.Child(i-1).Value())
		}
		if d := diffNodes(g.Child(i), w.Child(i), p, depth+1); d != "" {
			return d
		}
	}
	return ""
}

// checkParse parses doc with Parse and, when Parse accepts it, checks the
// tree against yaml.v3's. It returns whether Parse accepted doc and the
// problem found, "" for none.
func checkParse(doc string, firstLine int) (ok bool, problem string) {
	got, ok := Parse(doc, firstLine)
	if !ok {
		return false, ""
	}
	want, err := yamlTree(doc, firstLine)
	if err != nil {
		return true, fmt.Sprintf("Parse accepted a document yaml.v3 refuses: %v", err)
	}
	return true, diffTrees(got, want)
}

// document is one document of a YAML file.
type document struct {
	path      string
	text      string
	firstLine int
}

// splitDocuments splits a YAML stream at lines that are exactly "---"
// (optionally followed by spaces or a comment), each separator staying
// with the document it opens, as the loader's chunker does.
func splitDocuments(path, data string) []document {
	var docs []document
	start, startLine, line := 0, 1, 1
	for off := 0; off < len(data); line++ {
		next := len(data)
		if i := strings.IndexByte(data[off:], '\n'); i >= 0 {
			next = off + i + 1
		}
		l := strings.TrimRight(data[off:next], "\r\n")
		if rest, ok := strings.CutPrefix(l, "---"); ok && off > start {
			if rest = strings.TrimLeft(rest, " "); rest == "" || rest[0] == '#' {
				docs = append(docs, document{path, data[start:off], startLine})
				start, startLine = off, line
			}
		}
		off = next
	}
	if start < len(data) {
		docs = append(docs, document{path, data[start:], startLine})
	}
	return docs
}

// corpusDocuments returns the documents of every .yaml and .yml file under
// the given directories (relative to the module root) that exist.
func corpusDocuments(t testing.TB, dirs ...string) []document {
	root := testutil.ModuleRoot(t)
	var docs []document
	for _, d := range dirs {
		dir := filepath.Join(root, d)
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() || (!strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml")) {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			docs = append(docs, splitDocuments(rel, string(data))...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return docs
}

// sharedCorpus is the real-manifest corpus beside the module.
const sharedCorpus = "../shared/corpus"

func TestParseMatchesYAMLv3OnRealManifests(t *testing.T) {
	for _, set := range []struct {
		name string
		dirs []string
		// minRate is the share of the documents yaml.v3 reads that Parse
		// must read too.
		minRate float64
	}{
		{name: "shared corpus", dirs: []string{sharedCorpus}, minRate: 0.95},
		{name: "repository testdata", dirs: []string{"testdata", "lint/manifest/testdata"}},
	} {
		t.Run(set.name, func(t *testing.T) {
			docs := corpusDocuments(t, set.dirs...)
			if len(docs) == 0 {
				t.Skip("no documents")
			}
			var parsed, fast int
			reasons := map[string]int{}
			for _, d := range docs {
				if _, err := yamlTree(d.text, d.firstLine); err != nil {
					continue
				}
				parsed++
				ok, problem := checkParse(d.text, d.firstLine)
				if problem != "" {
					t.Errorf("%s:%d: %s", d.path, d.firstLine, problem)
				}
				if ok {
					fast++
					continue
				}
				_, why := parse(d.text, d.firstLine)
				reasons[why]++
			}
			rate := float64(fast) / float64(max(parsed, 1))
			t.Logf("Parse read %d of the %d documents yaml.v3 reads (%.2f%%); declined: %s",
				fast, parsed, 100*rate, formatReasons(reasons))
			if rate < set.minRate {
				t.Errorf("fast-path rate %.2f%%, want at least %.0f%%", 100*rate, 100*set.minRate)
			}
		})
	}
}

// formatReasons lists decline reasons, most frequent first.
func formatReasons(m map[string]int) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%d)", k, m[k])
	}
	return b.String()
}

// parseCases pin what Parse reads and what it leaves to yaml.v3. Every
// case Parse reads is also checked against yaml.v3; they seed FuzzParse.
var parseCases = []struct {
	name string
	doc  string
	// fast says Parse reads the document (rather than declining it).
	fast bool
}{
	// Documents, comments, line ends.
	{name: "empty document is nil", doc: "", fast: true},
	{name: "comments and blank lines only are empty", doc: "# a\n\n  # b\n", fast: true},
	{name: "--- alone is empty", doc: "---\n", fast: true},
	{name: "--- with a comment, then content", doc: "--- # first\n# c\na: 1\n", fast: true},
	{name: "comments before ---", doc: "# license\n\n---\na: 1\n", fast: true},
	{name: "CRLF line ends", doc: "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\n", fast: true},
	{name: "no final line break", doc: "a: b", fast: true},
	{name: "trailing comment after values", doc: "a: b # c\nd: 'e' # f\ng: [1] # h\n", fast: true},
	{name: "document end marker then comments", doc: "a: 1\n...\n# after\n", fast: true},
	{name: "text after ---", doc: "--- a: 1\n", fast: false},
	{name: "second --- in the document", doc: "a: 1\n---\nb: 2\n", fast: false},
	{name: "text after document end", doc: "a: 1\n...\nb: 2\n", fast: false},
	{name: "directive", doc: "%YAML 1.2\n---\na: 1\n", fast: false},
	{name: "byte order mark", doc: "\ufeffa: 1\n", fast: false},
	{name: "lone carriage return", doc: "a: 1\rb: 2\n", fast: false},
	{name: "NEL line break", doc: "a: x\u0085y\n", fast: false},
	{name: "line separator", doc: "a: x\u2028y\n", fast: false},
	{name: "control character", doc: "a: x\x01y\n", fast: false},
	{name: "invalid UTF-8", doc: "a: \xff\n", fast: false},
	{name: "two top-level nodes", doc: "'a'\n'b'\n", fast: false},
	{name: "root mapping then less indented text", doc: "  a: 1\nb: 2\n", fast: false},

	// Block mappings.
	{name: "nested mappings", doc: "a:\n  b:\n    c: d\n  e: f\ng: h\n", fast: true},
	{name: "indented root mapping", doc: "  a: 1\n  b: 2\n", fast: true},
	{name: "quoted keys", doc: "'a b': 1\n\"c\": 2\n'it''s': 3\n\"\\t\": 4\n", fast: true},
	{name: "space before the colon", doc: "a  : 1\n'b' : 2\n", fast: true},
	{name: "empty values", doc: "a:\nb: # c\nc:\n\nd:\n", fast: true},
	{name: "empty value at the end", doc: "a:\n  b:", fast: true},
	{name: "merge key and odd keys", doc: "<<: x\n-a: 1\n?b: 2\n:c: 3\na[0]: 4\nx#y: 5\n", fast: true},
	{name: "unicode keys and values", doc: "ключ: значение\n日本: 語 # c\nk: [é, ü]\n", fast: true},
	{name: "value on the next line", doc: "a:\n  b\nc:\n    'd'\n", fast: true},
	{name: "mapping on a key's line", doc: "a: b: c\n", fast: false},
	{name: "sequence on a key's line", doc: "a: - b\n", fast: false},
	{name: "tab after a colon", doc: "a:\tb\n", fast: false},
	{name: "tab indentation", doc: "a:\n\tb: 1\n", fast: false},
	{name: "tab inside and after a plain value", doc: "a: b\tc\t# d\n", fast: true},
	{name: "line in a mapping that is not a key", doc: "a: 1\nb\n", fast: false},
	{name: "more indented key", doc: "a: 1\n  b: 2\n", fast: false},
	{name: "long key", doc: strings.Repeat("k", 1100) + ": v\n", fast: false},
	{name: "anchor", doc: "a: &x 1\nb: *x\n", fast: false},
	{name: "tag", doc: "a: !!str 1\n", fast: false},
	{name: "complex key", doc: "? a\n: b\n", fast: false},
	{name: "flow key", doc: "[a]: b\n", fast: false},

	// Block sequences.
	{name: "sequence of scalars", doc: "- a\n- 'b'\n- \"c\"\n-   d # e\n", fast: true},
	{name: "sequence at its key's indentation", doc: "a:\n- b\n- c\nd: e\n", fast: true},
	{name: "compact mappings in a sequence", doc: "- a: 1\n  b: 2\n- c: 3\n", fast: true},
	{name: "nested sequences", doc: "- - a\n  - b\n- - - c\n", fast: true},
	{name: "empty entries", doc: "-\n- # c\n- a\n-", fast: true},
	{name: "entry on the next line", doc: "-\n  a: 1\n-\n  - b\n", fast: true},
	{name: "indentless sequence in a compact mapping", doc: "- a:\n  - x\n  b: 1\n", fast: true},
	{name: "text after a sequence", doc: "- a\nb: 1\n", fast: false},
	{name: "tab after a dash", doc: "-\ta\n", fast: false},

	// Plain scalars.
	{name: "plain scalars with indicators inside", doc: "a: b:c\nd: e#f\ng: h, i [j] {k}\nl: -m\nn: ?o\np: :q\n", fast: true},
	{name: "plain scalar that cannot start", doc: "a: @b\n", fast: false},
	{name: "plain scalar continued", doc: "a: b\n  c\n\n  d\n   e\nf: g\n", fast: true},
	{name: "plain scalar continued on its own lines", doc: "a:\n  b\n  c\n", fast: true},
	{name: "plain entry continued", doc: "- a\n b\n- c\n  - d\n", fast: true},
	{name: "plain continuation ended by a comment", doc: "a: b\n  c # d\ne: 1\n", fast: true},
	{name: "plain continuation with a colon", doc: "a: b\n  c: d\n", fast: false},
	{name: "root plain scalar continued", doc: "a\nb\n\nc\n", fast: true},
	{name: "null, ~ and other plain values", doc: "a: ~\nb: null\nc: true\nd: 1.5\ne: 0x1F\n", fast: true},

	// Quoted scalars.
	{name: "double-quoted escapes", doc: `a: "\\ \" \n \t \r \0 \x41 \u00e9 \U0001F600 \e \N \_ \L \P \a \b \v \f \/"` + "\n", fast: false},
	{name: "double-quoted escapes yaml.v3 knows", doc: `a: "\\ \" \n \t \r \0 \x41 \u00e9 \U0001F600 \e \N \_ \L \P \a \b \v \f \ "` + "\n", fast: true},
	{name: "escaped slash", doc: `a: "\/"` + "\n", fast: false},
	{name: "escape of a surrogate", doc: `a: "\ud800"` + "\n", fast: false},
	{name: "single-quoted with quotes", doc: "a: 'it''s'\nb: ''\nc: ''''\n", fast: true},
	{name: "multi-line double-quoted", doc: "a: \"b\n  c\n\n  d \\\n  e\"\nf: 1\n", fast: true},
	{name: "multi-line single-quoted", doc: "a: 'b\n  c''d\n\n\n  e'\n", fast: true},
	{name: "unterminated quote", doc: "a: 'b\n", fast: false},
	{name: "text after a quoted value", doc: "a: 'b'c\n", fast: false},
	{name: "quoted value with blanks inside", doc: "a: ' b  '\nb: \"\tc \"\n", fast: true},

	// Block scalars.
	{name: "literal block scalars", doc: "a: |\n  x\n   y\n\n  z\nb: |-\n  x\n\nc: |+\n  x\n\n\nd: 1\n", fast: true},
	{name: "folded block scalars", doc: "a: >\n  x\n  y\n\n  z\n    more\n  w\nb: >-\n  x\n  y\nc: >+\n  x\n\n", fast: true},
	{name: "block scalar with an indentation indicator", doc: "a: |2\n    x\n  y\nb: >1-\n  z\n", fast: true},
	{name: "block scalar in a sequence", doc: "- |\n  x\n- >\n  y\n  z\n", fast: true},
	{name: "block scalar at the end without a break", doc: "a: |\n  x", fast: true},
	{name: "empty block scalar", doc: "a: |\nb: >\n\nc: |+\n\n", fast: true},
	{name: "block scalar with comment and tabs", doc: "a: | # c\n  x\ty\n  \tz\n", fast: true},
	{name: "block scalar with blank lines of spaces", doc: "a: |\n  x\n     \n  y\n  \nb: 1\n", fast: true},
	{name: "root block scalar", doc: "--- \n|\n x\n", fast: true},
	{name: "block scalar header with text", doc: "a: | x\n", fast: false},
	{name: "block scalar indentation indicator 0", doc: "a: |0\n  x\n", fast: false},
	{name: "block scalar with a tab in its indentation", doc: "a: |\n\tx\n", fast: false},

	// Flow collections.
	{name: "flow collections", doc: "a: []\nb: {}\nc: [x, 'y', \"z\"]\nd: {e: 1, 'f': [2, 3], \"g\":h}\n", fast: true},
	{name: "nested flow collections", doc: "- [[a], {b: [c, {d: e}]}]\n", fast: true},
	{name: "root flow mapping", doc: "{a: 1, b: \"x\"}\n", fast: true},
	{name: "flow plain scalars with colons", doc: "a: [http://x, b:c]\n", fast: true},
	{name: "multi-line flow", doc: "a: [b,\n  c]\n", fast: false},
	{name: "trailing comma", doc: "a: [b, c,]\n", fast: false},
	{name: "single-pair mapping in a flow sequence", doc: "a: [b: c]\n", fast: false},
	{name: "flow mapping entry without a value", doc: "a: {b}\n", fast: false},

	// Depth.
	{name: "nesting at the limit", doc: strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + "\n", fast: true},
	{name: "nesting beyond the limit", doc: strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + "\n", fast: false},
}

func TestParseReadsItsSubsetAsYAMLv3Does(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			ok, problem := checkParse(tc.doc, 7)
			if problem != "" {
				t.Fatal(problem)
			}
			if ok != tc.fast {
				_, why := parse(tc.doc, 7)
				t.Fatalf("Parse ok = %v, want %v (reason: %q)", ok, tc.fast, why)
			}
		})
	}
}

// within reports whether s is a substring of doc by memory, not by value.
func within(doc, s string) bool {
	if len(s) == 0 || len(doc) == 0 {
		return false
	}
	d, p := uintptr(unsafe.Pointer(unsafe.StringData(doc))), uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return p >= d && p+uintptr(len(s)) <= d+uintptr(len(doc))
}

func TestParseSharesVerbatimValuesWithTheDocument(t *testing.T) {
	doc := "a: plain\n'b': 'single'\nc: \"double\"\nd: [x, 'y']\ne: 'it''s'\nf: \"\\t\"\ng: |\n  block\n"
	tr, ok := Parse(doc, 1)
	if !ok {
		t.Fatal("Parse declined")
	}
	shared := map[string]bool{"a": true, "plain": true, "b": true, "single": true, "c": true, "double": true,
		"d": true, "x": true, "y": true, "e": true, "it's": false, "f": true, "\t": false, "g": true, "block\n": false}
	for i := range tr.nodes {
		n := Node{tr, int32(i)}
		if n.Kind() != ScalarNode {
			continue
		}
		v := n.Value()
		want, known := shared[v]
		if !known {
			t.Fatalf("unexpected scalar %q", v)
		}
		if got := within(doc, v); got != want {
			t.Errorf("%q shares the document's memory: %v, want %v", v, got, want)
		}
	}
}

func TestParsePlacesNodesWhereYAMLv3Does(t *testing.T) {
	doc := "# c\n---\nk:\n  - a: 'q'\n    b:\n  -\n  - |\n    x\n  - [1, {c: d}]\n"
	tr, ok := Parse(doc, 10)
	if !ok {
		t.Fatal("Parse declined")
	}
	type pos struct{ line, col int }
	for _, tc := range []struct {
		name string
		node Node
		want pos
	}{
		{name: "a block mapping is at its first key", node: tr.Root(), want: pos{12, 1}},
		{name: "a block sequence is at its first dash", node: tr.Root().Child(1), want: pos{13, 3}},
		{name: "a compact mapping is at its key", node: tr.Root().Child(1).Child(0), want: pos{13, 5}},
		{name: "a quoted scalar is at its opening quote", node: tr.Root().Child(1).Child(0).Child(1), want: pos{13, 8}},
		{name: "an empty value is just past its colon", node: tr.Root().Child(1).Child(0).Child(3), want: pos{14, 7}},
		{name: "an empty entry is just past its dash", node: tr.Root().Child(1).Child(1), want: pos{15, 4}},
		{name: "a block scalar is at its indicator", node: tr.Root().Child(1).Child(2), want: pos{16, 5}},
		{name: "a flow sequence is at its bracket", node: tr.Root().Child(1).Child(3), want: pos{18, 5}},
		{name: "a flow mapping is at its brace", node: tr.Root().Child(1).Child(3).Child(1), want: pos{18, 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (pos{tc.node.Line(), tc.node.Column()}); got != tc.want {
				t.Errorf("at %v, want %v", got, tc.want)
			}
		})
	}
	want, err := yamlTree(doc, 10)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffTrees(tr, want); d != "" {
		t.Error(d)
	}
}

func TestParseDeclinesCharactersYAMLv3RefusesOrCountsAsLineBreaks(t *testing.T) {
	var chars []string
	for c := range 256 {
		chars = append(chars, string([]byte{byte(c)}))
	}
	for _, r := range []rune{0x7f, 0x85, 0x9f, 0xa0, 0x2028, 0x2029, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x10ffff} {
		chars = append(chars, string(r))
	}
	// Characters yaml.v3 reads but Parse leaves to it: line breaks
	// yaml.v3 counts that the file's line index does not, and a byte
	// order mark.
	declined := map[string]bool{"\r": true, "\u0085": true, "\u2028": true, "\u2029": true, "\ufeff": true}
	for _, c := range chars {
		// Several offsets, so the character falls at each place of an
		// eight-byte word.
		for pad := range 9 {
			doc := "k: x" + strings.Repeat("a", pad) + c + "b\n"
			ok, problem := checkParse(doc, 1)
			if problem != "" {
				t.Fatalf("%q: %s", doc, problem)
			}
			_, err := yamlTree(doc, 1)
			if want := err == nil && !declined[c]; ok != want {
				t.Errorf("%q: Parse ok = %v, want %v (yaml.v3: %v)", doc, ok, want, err)
			}
		}
	}
}
