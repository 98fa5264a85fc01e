package placement

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

func moduleRoot(t testing.TB) string { return testutil.ModuleRoot(t) }

func sharedDir(t testing.TB, name string) string { return testutil.SharedDir(t, name) }

// loadModel loads manifests from paths into a model.
func loadModel(t testing.TB, paths ...string) *cluster.Model {
	t.Helper()
	res := manifest.Load(context.Background(), paths, manifest.Options{})
	for _, e := range res.Errors {
		t.Fatalf("load: %v", e)
	}
	return cluster.Build(context.Background(), res, cluster.Options{})
}

// loadYAML loads one YAML document set from a string.
func loadYAML(t testing.TB, yaml string) *cluster.Model {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return loadModel(t, path)
}

// node builds a node with cpu, memory and 110 pods, plus labels.
func node(name, cpu, mem string, labels map[string]string) *corev1.Node {
	l := map[string]string{corev1.LabelHostname: name}
	for k, v := range labels {
		l[k] = v
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: l},
		Status: corev1.NodeStatus{Allocatable: corev1.ResourceList{
			corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse(mem),
			corev1.ResourcePods: resource.MustParse("110"),
		}},
	}
}

// nodeWithTaints adds taints to a node.
func nodeWithTaints(n *corev1.Node, taints ...corev1.Taint) *corev1.Node {
	n.Spec.Taints = append(n.Spec.Taints, taints...)
	return n
}

// pod builds a pod in "default" with one container requesting cpu.
func pod(name, cpu string) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: map[string]string{}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	if cpu != "" {
		p.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu)}
	}
	return p
}

// podWithTolerations adds tolerations to a pod.
func podWithTolerations(p *corev1.Pod, tols ...corev1.Toleration) *corev1.Pod {
	p.Spec.Tolerations = append(p.Spec.Tolerations, tols...)
	return p
}

// testSnapshot builds a snapshot of nodes for filter tests.
func testSnapshot(nodes ...*corev1.Node) *Snapshot {
	infos := make([]*NodeInfo, len(nodes))
	for i, n := range nodes {
		infos[i] = newNodeInfo(withConditionTaints(n), nil, i, 0)
	}
	return newSnapshot(infos, func(ns string) labels.Set { return labels.Set{corev1.LabelMetadataName: ns} })
}

// testPod parses a pod for filter tests.
func testPod(p *corev1.Pod) *PodInfo {
	applyDefaults(p)
	return newPodInfo(p, nil, nil)
}
