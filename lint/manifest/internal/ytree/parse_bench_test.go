package ytree

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// benchDocuments returns the corpus documents, skipping the benchmark
// when the corpus is absent.
func benchDocuments(b *testing.B) (docs []document, size int64) {
	docs = corpusDocuments(b, sharedCorpus)
	if len(docs) == 0 {
		b.Skip("no corpus")
	}
	for _, d := range docs {
		size += int64(len(d.text))
	}
	return docs, size
}

// BenchmarkParse reads every corpus document with Parse (documents it
// declines included: declining is part of its cost).
func BenchmarkParse(b *testing.B) {
	docs, size := benchDocuments(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			Parse(d.text, d.firstLine)
		}
	}
}

// BenchmarkYAMLv3 reads every corpus document with yaml.v3 into a
// yaml.Node, as the loader does without Parse.
func BenchmarkYAMLv3(b *testing.B) { benchYAMLv3(b, false) }

// BenchmarkYAMLv3FromYAML is BenchmarkYAMLv3 plus the conversion to a
// Tree: the path Parse replaces.
func BenchmarkYAMLv3FromYAML(b *testing.B) { benchYAMLv3(b, true) }

func benchYAMLv3(b *testing.B, convert bool) {
	docs, size := benchDocuments(b)
	data := make([][]byte, len(docs))
	for i, d := range docs {
		data[i] = []byte(d.text)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range data {
			var n yaml.Node
			if yaml.Unmarshal(d, &n) == nil && convert {
				FromYAML(&n)
			}
		}
	}
}
