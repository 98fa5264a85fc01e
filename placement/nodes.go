package placement

import (
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubeplan/kubeplan/lint/cluster"
)

// NodePool is kubeplan's node-pool profile: a small kind that stands for
// count identical nodes, so capacity can be planned before a cluster
// exists. Any apiVersion is accepted (kubeplan.dev/v1alpha1 by
// convention):
//
//	apiVersion: kubeplan.dev/v1alpha1
//	kind: NodePool
//	metadata:
//	  name: workers          # nodes are named workers-0, workers-1, ...
//	spec:
//	  count: 6               # number of nodes (default 1)
//	  zones: [eu-west-1a, eu-west-1b, eu-west-1c]  # assigned round-robin
//	  region: eu-west-1      # optional: topology.kubernetes.io/region
//	  labels: {node.kubernetes.io/instance-type: m5.xlarge}
//	  taints: [{key: dedicated, value: batch, effect: NoSchedule}]
//	  capacity: {cpu: "4", memory: 16Gi, pods: "110", nvidia.com/gpu: "1"}
//	  allocatable: {cpu: 3800m, memory: 15Gi}   # optional, per resource; defaults to capacity
//	  unschedulable: false   # optional: cordoned
//
// Each node gets the labels, plus kubernetes.io/hostname (its name),
// kubernetes.io/os=linux, topology.kubernetes.io/zone and region when
// given; pods defaults to 110 as kubelets report.
type NodePool struct {
	Count         int               `json:"count"`
	Zones         []string          `json:"zones"`
	Region        string            `json:"region"`
	Labels        map[string]string `json:"labels"`
	Taints        []corev1.Taint    `json:"taints"`
	Capacity      map[string]string `json:"capacity"`
	Allocatable   map[string]string `json:"allocatable"`
	Unschedulable bool              `json:"unschedulable"`
}

// ExpandNodePool turns a NodePool object into its Nodes.
func ExpandNodePool(name string, spec map[string]any) ([]*corev1.Node, error) {
	var np NodePool
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(spec, &np); err != nil {
		return nil, fmt.Errorf("NodePool %s: %w", name, err)
	}
	if np.Count == 0 {
		np.Count = 1
	}
	if np.Count < 0 || np.Count > 100000 {
		return nil, fmt.Errorf("NodePool %s: count %d out of range", name, np.Count)
	}
	capacity, err := parseList(np.Capacity)
	if err != nil {
		return nil, fmt.Errorf("NodePool %s: capacity: %w", name, err)
	}
	if _, ok := capacity[corev1.ResourcePods]; !ok {
		capacity[corev1.ResourcePods] = resource.MustParse("110")
	}
	alloc, err := parseList(np.Allocatable)
	if err != nil {
		return nil, fmt.Errorf("NodePool %s: allocatable: %w", name, err)
	}
	for k, v := range capacity {
		if _, ok := alloc[k]; !ok {
			alloc[k] = v
		}
	}
	out := make([]*corev1.Node, 0, np.Count)
	for i := 0; i < np.Count; i++ {
		n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-%d", name, i), Labels: map[string]string{}}}
		for k, v := range np.Labels {
			n.Labels[k] = v
		}
		n.Labels[corev1.LabelHostname] = n.Name
		n.Labels[corev1.LabelOSStable] = "linux"
		if len(np.Zones) > 0 {
			n.Labels[corev1.LabelTopologyZone] = np.Zones[i%len(np.Zones)]
		}
		if np.Region != "" {
			n.Labels[corev1.LabelTopologyRegion] = np.Region
		}
		n.Spec.Taints = append([]corev1.Taint(nil), np.Taints...)
		n.Spec.Unschedulable = np.Unschedulable
		n.Status.Capacity = capacity.DeepCopy()
		n.Status.Allocatable = alloc.DeepCopy()
		out = append(out, n)
	}
	return out, nil
}

func parseList(m map[string]string) (corev1.ResourceList, error) {
	out := corev1.ResourceList{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		q, err := resource.ParseQuantity(m[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[corev1.ResourceName(k)] = q
	}
	return out, nil
}

// declaredNode is a node with the object it came from.
type declaredNode struct {
	node *corev1.Node
	obj  *cluster.Object
}

// collectNodes returns the Nodes of the model and its NodePools in input
// order, with the node lifecycle controller's taints applied; problems
// with NodePools are returned as notes.
func collectNodes(m *cluster.Model) (nodes []declaredNode, notes []string) {
	seen := map[string]bool{}
	for _, o := range m.Unique() {
		switch {
		case o.GVK.Group == "" && o.GVK.Kind == "Node":
			n, ok := o.Typed.(*corev1.Node)
			if !ok || seen[n.Name] {
				continue
			}
			seen[n.Name] = true
			nodes = append(nodes, declaredNode{node: withConditionTaints(n.DeepCopy()), obj: o})
		case o.GVK.Kind == "NodePool":
			spec, _ := o.Map()["spec"].(map[string]any)
			pool, err := ExpandNodePool(o.Name, spec)
			if err != nil {
				notes = append(notes, err.Error())
				continue
			}
			for _, n := range pool {
				if seen[n.Name] {
					continue
				}
				seen[n.Name] = true
				nodes = append(nodes, declaredNode{node: withConditionTaints(n), obj: o})
			}
		}
	}
	return nodes, notes
}

// conditionTaints are the taints TaintNodesByCondition and the node
// lifecycle controller manage.
var conditionTaintKeys = map[string]bool{
	corev1.TaintNodeNotReady: true, corev1.TaintNodeUnreachable: true, corev1.TaintNodeMemoryPressure: true,
	corev1.TaintNodeDiskPressure: true, corev1.TaintNodePIDPressure: true, corev1.TaintNodeNetworkUnavailable: true,
}

// withConditionTaints adds the taints the node lifecycle controller derives
// from conditions (Ready False -> not-ready, Unknown -> unreachable,
// NoSchedule and NoExecute; pressure and NetworkUnavailable -> NoSchedule)
// and spec.unschedulable -> unschedulable:NoSchedule. Declared conditions
// replace stale condition taints; a node without conditions is Ready.
func withConditionTaints(n *corev1.Node) *corev1.Node {
	var want []corev1.Taint
	add := func(key string, effects ...corev1.TaintEffect) {
		for _, e := range effects {
			want = append(want, corev1.Taint{Key: key, Effect: e})
		}
	}
	for _, c := range n.Status.Conditions {
		switch {
		case c.Type == corev1.NodeReady && c.Status == corev1.ConditionFalse:
			add(corev1.TaintNodeNotReady, corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute)
		case c.Type == corev1.NodeReady && c.Status == corev1.ConditionUnknown:
			add(corev1.TaintNodeUnreachable, corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute)
		case c.Type == corev1.NodeMemoryPressure && c.Status == corev1.ConditionTrue:
			add(corev1.TaintNodeMemoryPressure, corev1.TaintEffectNoSchedule)
		case c.Type == corev1.NodeDiskPressure && c.Status == corev1.ConditionTrue:
			add(corev1.TaintNodeDiskPressure, corev1.TaintEffectNoSchedule)
		case c.Type == corev1.NodePIDPressure && c.Status == corev1.ConditionTrue:
			add(corev1.TaintNodePIDPressure, corev1.TaintEffectNoSchedule)
		case c.Type == corev1.NodeNetworkUnavailable && c.Status == corev1.ConditionTrue:
			add(corev1.TaintNodeNetworkUnavailable, corev1.TaintEffectNoSchedule)
		}
	}
	if n.Spec.Unschedulable {
		add(corev1.TaintNodeUnschedulable, corev1.TaintEffectNoSchedule)
	}
	declared := len(n.Status.Conditions) > 0
	var taints []corev1.Taint
	for _, t := range n.Spec.Taints {
		if (declared && conditionTaintKeys[t.Key]) || t.Key == corev1.TaintNodeUnschedulable {
			continue
		}
		taints = append(taints, t)
	}
	for _, w := range want {
		dup := false
		for _, t := range taints {
			if t.Key == w.Key && t.Effect == w.Effect {
				dup = true
			}
		}
		if !dup {
			taints = append(taints, w)
		}
	}
	n.Spec.Taints = taints
	return n
}
