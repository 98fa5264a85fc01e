package rules

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/cluster"
)

// BenchmarkCatalogCorpus measures the whole catalog (load, model build and
// every rule) over ../shared/corpus/01-install-manifests, the input the
// speed target compares with kube-linter. Each iteration loads the files
// again, as a `kubeplan lint` run does.
func BenchmarkCatalogCorpus(b *testing.B) {
	dir := sharedDir(b, "corpus")
	a := NewAnalyzer(Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := loadModel(b, dir, "01-install-manifests")
		a.Run(context.Background(), m)
	}
}

// BenchmarkCatalogRunOnly measures the rules alone over a prebuilt model of
// the same corpus.
func BenchmarkCatalogRunOnly(b *testing.B) {
	dir := sharedDir(b, "corpus")
	a := NewAnalyzer(Options{})
	m := loadModel(b, dir, "01-install-manifests")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Run(context.Background(), m)
	}
}

// generatedModel builds n Deployments, each with a Service, in ten
// namespaces: a synthetic input for the cross-object rules' scaling.
func generatedModel(b *testing.B, n int) *cluster.Model {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-%[1]d, namespace: ns-%[2]d}
spec:
  replicas: 3
  selector: {matchLabels: {app: app-%[1]d}}
  template:
    metadata: {labels: {app: app-%[1]d}}
    spec:
      containers:
      - name: app
        image: registry.example.com/app:%[1]d
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: app-%[1]d, namespace: ns-%[2]d}
spec:
  selector: {app: app-%[1]d}
  ports: [{port: 80, targetPort: http}]
`, i, i%10)
	}
	return loadYAML(b, sb.String())
}

// BenchmarkCatalogGenerated runs the catalog over 2000 generated
// Deployments and Services.
func BenchmarkCatalogGenerated(b *testing.B) {
	m := generatedModel(b, 2000)
	a := NewAnalyzer(Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Run(context.Background(), m)
	}
}
