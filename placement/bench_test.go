package placement

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generateCluster writes a synthetic cluster: nodes spread over three
// zones, and Deployments of 50 replicas each for pods in total, a quarter
// with required pod anti-affinity on the hostname, a quarter with a zone
// topology spread (DoNotSchedule), a quarter with a hostname spread and a
// quarter with a nodeSelector only.
func generateCluster(nodes, pods int) string {
	var b strings.Builder
	for i := 0; i < nodes; i++ {
		fmt.Fprintf(&b, `apiVersion: v1
kind: Node
metadata:
  name: node-%04d
  labels: {kubernetes.io/hostname: node-%04d, topology.kubernetes.io/zone: zone-%d, pool: p%d}
status:
  allocatable: {cpu: "16", memory: 64Gi, pods: "110"}
---
`, i, i, i%3, i%4)
	}
	const replicas = 50
	for d := 0; d*replicas < pods; d++ {
		var extra string
		switch d % 4 {
		case 0:
			extra = fmt.Sprintf(`      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: app-%d}}
            topologyKey: kubernetes.io/hostname
`, d)
		case 1:
			extra = fmt.Sprintf(`      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: app-%d}}}
`, d)
		case 2:
			extra = fmt.Sprintf(`      topologySpreadConstraints:
      - {maxSkew: 2, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: app-%d}}}
`, d)
		default:
			extra = fmt.Sprintf("      nodeSelector: {pool: p%d}\n", d%4)
		}
		fmt.Fprintf(&b, `apiVersion: apps/v1
kind: Deployment
metadata: {name: app-%d, namespace: ns-%d}
spec:
  replicas: %d
  selector: {matchLabels: {app: app-%d}}
  template:
    metadata: {labels: {app: app-%d}}
    spec:
%s      containers:
      - name: c
        image: app
        resources: {requests: {cpu: %dm, memory: %dMi}}
---
`, d, d%10, replicas, d, d, extra, 100+(d%5)*100, 128+(d%3)*128)
	}
	return b.String()
}

// BenchmarkSimulate10kPods1kNodes is the speed target: 10,000
// pods on 1,000 nodes with mixed constraints within 5 s on 2 cores.
func BenchmarkSimulate10kPods1kNodes(b *testing.B) {
	path := filepath.Join(b.TempDir(), "cluster.yaml")
	if err := os.WriteFile(path, []byte(generateCluster(1000, 10000)), 0o600); err != nil {
		b.Fatal(err)
	}
	m := loadModel(b, path)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := Simulate(context.Background(), m, Options{})
		if len(res.Pods) != 10000 {
			b.Fatalf("%d pods", len(res.Pods))
		}
	}
}

// TestGeneratedClusterSmall checks the generator's output schedules
// sensibly on a small scale (every pod placed).
func TestGeneratedClusterSmall(t *testing.T) {
	m := loadYAML(t, generateCluster(60, 400))
	res := Simulate(context.Background(), m, Options{})
	for _, p := range res.Pods {
		if p.Status != StatusScheduled {
			t.Fatalf("%s: %s %s", p.Pod, p.Status, p.Message)
		}
	}
}
