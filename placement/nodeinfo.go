package placement

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubeplan/kubeplan/lint/cluster"
)

// NodeInfo is a node with the pods placed on it and their summed requests
// (upstream's framework.NodeInfo).
type NodeInfo struct {
	// Node is the node after API defaulting and the node lifecycle
	// controller's condition taints.
	Node *corev1.Node
	// Object is the manifest the node came from (a Node, or the NodePool
	// that expanded to it); nil for nodes built in code.
	Object *cluster.Object
	// Allocatable is status.allocatable (capacity when absent).
	Allocatable Resources
	// AllowedPods is allocatable "pods"; 0 when the node declares none.
	AllowedPods int
	// Requested sums the pods' requests; NonZeroRequested the scoring
	// requests.
	Requested, NonZeroRequested Resources
	// Pods are the pods placed on the node, in placement order.
	Pods []*PodInfo

	index    int // position in input order
	nameRank int // position in name order
	used     map[hostPort]int
}

func newNodeInfo(node *corev1.Node, obj *cluster.Object, index, defaultMaxPods int) *NodeInfo {
	alloc := node.Status.Allocatable
	if alloc == nil {
		alloc = node.Status.Capacity
	}
	n := &NodeInfo{Node: node, Object: obj, index: index, used: map[hostPort]int{}}
	var pods int64
	n.Allocatable, pods = resourcesFrom(alloc)
	if _, ok := alloc[corev1.ResourcePods]; !ok && defaultMaxPods > 0 {
		pods = int64(defaultMaxPods)
	}
	n.AllowedPods = int(pods)
	return n
}

// Name is the node's name.
func (n *NodeInfo) Name() string { return n.Node.Name }

func (n *NodeInfo) addPod(p *PodInfo) {
	n.Pods = append(n.Pods, p)
	n.Requested.add(&p.Requests, 1)
	n.NonZeroRequested.add(&p.NonZero, 1)
	for _, hp := range p.Ports {
		n.used[hp]++
	}
}

func (n *NodeInfo) removePod(p *PodInfo) bool {
	for i, q := range n.Pods {
		if q != p {
			continue
		}
		n.Pods = append(n.Pods[:i:i], n.Pods[i+1:]...)
		n.Requested.add(&p.Requests, -1)
		n.NonZeroRequested.add(&p.NonZero, -1)
		for _, hp := range p.Ports {
			if n.used[hp]--; n.used[hp] <= 0 {
				delete(n.used, hp)
			}
		}
		return true
	}
	return false
}

// portConflict follows HostPortInfo.CheckConflict: 0.0.0.0 conflicts with
// every address of the same protocol and port.
func (n *NodeInfo) portConflict(hp hostPort) bool {
	if hp.IP == "0.0.0.0" {
		for u := range n.used {
			if u.Protocol == hp.Protocol && u.Port == hp.Port {
				return true
			}
		}
		return false
	}
	if n.used[hp] > 0 {
		return true
	}
	return n.used[hostPort{IP: "0.0.0.0", Protocol: hp.Protocol, Port: hp.Port}] > 0
}
