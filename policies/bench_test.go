package policies

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

// benchPolicy is the 30-rule policy set of the benchmarks; the same file is
// given to conftest for the speed comparison in docs/policies.md.
const benchPolicy = "../testdata/policies/bench"

// generateManifests writes n objects (a mix of Deployments, Services,
// ConfigMaps and Pods, 100 per file) under dir. Objects vary so that every
// rule both fires and passes on some of them.
func generateManifests(tb testing.TB, dir string, n int) {
	tb.Helper()
	var b strings.Builder
	flush := func(i int) {
		if b.Len() == 0 {
			return
		}
		p := filepath.Join(dir, fmt.Sprintf("gen-%05d.yaml", i))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		b.Reset()
	}
	for i := 0; i < n; i++ {
		ns := fmt.Sprintf("team-%d", i%17)
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-%[1]d
  namespace: %[2]s
  labels: {app.kubernetes.io/name: app-%[1]d, team: t%[3]d}
spec:
  replicas: %[3]d
  selector:
    matchLabels: {app: app-%[1]d}
  template:
    metadata:
      labels: {app: app-%[1]d}
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
        - name: app
          image: registry.example.com/app:%[1]d
          resources:
            limits: {cpu: 500m, memory: 256Mi}
            requests: {cpu: 100m}
          readinessProbe: {httpGet: {path: /, port: 8080}}
          env:
            - {name: DB_PASSWORD, value: hunter%[1]d}
        - name: sidecar
          image: envoy:latest
          securityContext: {privileged: true}
`, i, ns, i%3)
		case 1:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-%d\n  namespace: %s\nspec:\n  type: %s\n  selector: {app: app-%d}\n  ports:\n    - port: 80\n", i, ns, []string{"ClusterIP", "NodePort", "LoadBalancer"}[i%3], i-1)
		case 2:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n  namespace: default\n  annotations: {owner: x}\ndata:\n  key: value-%d\n", i, i)
		case 3:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-%d\nspec:\n  hostNetwork: %v\n  volumes:\n    - name: h\n      hostPath: {path: /var}\n  containers:\n    - name: c\n      image: busybox\n      ports: [{containerPort: 80, hostPort: 80}]\n", i, i%2 == 0)
		}
		b.WriteString("---\n")
		if i%100 == 99 {
			flush(i)
		}
	}
	flush(n)
}

// benchModel loads paths (relative to dir) into a model.
func benchModel(tb testing.TB, dir string, paths ...string) *cluster.Model {
	tb.Helper()
	res := manifest.Load(context.Background(), paths, manifest.Options{WorkDir: dir})
	return cluster.Build(context.Background(), res, cluster.Options{})
}

// cpuSeconds is the process's user+system CPU time so far. Benchmarks
// report it per op ("cpu-s/op") because wall time on a shared machine says
// little; on N idle cores, wall time is about cpu-s/op ÷ N.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// runPolicyStage is the policy stage of a lint run: compile the policies
// and evaluate them over the model.
func runPolicyStage(b *testing.B, m *cluster.Model, opts Options) int {
	a, err := NewAnalyzer(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	return len(a.Run(context.Background(), m))
}

// BenchmarkPolicyStage10kObjects30Policies is the speed target:
// 10,000 objects × 30 policies in ≤ 5 s on 2 cores (go test -bench
// PolicyStage10k -cpu 2 ./policies).
func BenchmarkPolicyStage10kObjects30Policies(b *testing.B) {
	dir := b.TempDir()
	generateManifests(b, dir, 10000)
	m := benchModel(b, dir, ".")
	if n := len(m.Objects()); n != 10000 {
		b.Fatalf("generated %d objects", n)
	}
	pol, _ := filepath.Abs(benchPolicy)
	b.ResetTimer()
	cpu := cpuSeconds()
	for i := 0; i < b.N; i++ {
		if n := runPolicyStage(b, m, Options{PolicyPaths: []string{pol}, WorkDir: dir}); n == 0 {
			b.Fatal("no findings")
		}
	}
	b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu-s/op")
}

// BenchmarkPolicyStageInstallManifests runs the same 30 policies over the
// corpus's real install manifests, for the comparison with conftest
// (`conftest test <corpus>/01-install-manifests -p testdata/policies/bench`).
func BenchmarkPolicyStageInstallManifests(b *testing.B) {
	corpus := sharedDir(b, "corpus", "01-install-manifests")
	m := benchModel(b, corpus, ".")
	pol, _ := filepath.Abs(benchPolicy)
	b.ResetTimer()
	cpu := cpuSeconds()
	for i := 0; i < b.N; i++ {
		runPolicyStage(b, m, Options{PolicyPaths: []string{pol}, WorkDir: corpus})
	}
	b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(len(m.Objects())), "objects")
}

// BenchmarkLoadAndPolicyInstallManifests includes loading and decoding the
// manifests, to compare with conftest's whole run (which parses too).
func BenchmarkLoadAndPolicyInstallManifests(b *testing.B) {
	corpus := sharedDir(b, "corpus", "01-install-manifests")
	pol, _ := filepath.Abs(benchPolicy)
	cpu := cpuSeconds()
	for i := 0; i < b.N; i++ {
		m := benchModel(b, corpus, ".")
		runPolicyStage(b, m, Options{PolicyPaths: []string{pol}, WorkDir: corpus})
	}
	b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu-s/op")
}
