package placement

import (
	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
)

// Filter is one Filter plugin: it says whether pod fits on node. A nil
// status means it fits.
type Filter interface {
	// Name is the upstream plugin name ("TaintToleration").
	Name() string
	// Filter checks one node.
	Filter(pod *PodInfo, node *NodeInfo) *Status
}

// preFilter is implemented by filters that compute per-pod state over the
// whole snapshot before Filter runs (upstream's PreFilter). A non-nil
// status rejects the pod on every node.
type preFilter interface {
	preFilter(pod *PodInfo, s *Snapshot) *Status
}

// Plugin names, as pkg/scheduler/framework/plugins/names.
const (
	NameNodeUnschedulable = "NodeUnschedulable"
	NameNodeName          = "NodeName"
	NameTaintToleration   = "TaintToleration"
	NameNodeAffinity      = "NodeAffinity"
	NameNodePorts         = "NodePorts"
	NameNodeResourcesFit  = "NodeResourcesFit"
	NamePodTopologySpread = "PodTopologySpread"
	NameInterPodAffinity  = "InterPodAffinity"
)

// defaultFilters returns the default profile's filters in plugin order
// (volume plugins excluded).
func defaultFilters(s *Snapshot, opts Options) []Filter {
	return []Filter{
		nodeUnschedulable{opts: opts, rejected: rejection(NameNodeUnschedulable, UnschedulableAndUnresolvable, ReasonNodeUnschedulable)},
		nodeName{rejected: rejection(NameNodeName, UnschedulableAndUnresolvable, ReasonNodeName)},
		taintToleration{opts: opts, rejected: rejection(NameTaintToleration, UnschedulableAndUnresolvable, ReasonUntoleratedTaint)},
		nodeAffinity{rejected: rejection(NameNodeAffinity, UnschedulableAndUnresolvable, ReasonNodeAffinity)},
		nodePorts{rejected: rejection(NameNodePorts, Unschedulable, ReasonNodePorts)},
		nodeResourcesFit{},
		&podTopologySpread{snap: s, opts: opts,
			missingLabel: rejection(NamePodTopologySpread, UnschedulableAndUnresolvable, ReasonSpreadMissingLabel),
			skewed:       rejection(NamePodTopologySpread, Unschedulable, ReasonSpread)},
		&interPodAffinity{snap: s,
			affinityFail: rejection(NameInterPodAffinity, UnschedulableAndUnresolvable, ReasonAffinity),
			antiFail:     rejection(NameInterPodAffinity, Unschedulable, ReasonAntiAffinity),
			existingFail: rejection(NameInterPodAffinity, Unschedulable, ReasonExistingAntiAffinity)},
	}
}

// rejection builds a filter's fixed rejection status once; statuses are
// never modified after creation.
func rejection(plugin string, code Code, reason string) *Status {
	return &Status{Code: code, Reasons: []string{reason}, Plugin: plugin}
}

// nodeMemo caches per-node answers that depend only on a pod's scheduling
// constraints (shared by the pods of one workload). Nodes never change
// during a simulation.
type nodeMemo struct {
	affinity []int8 // 0 unknown, 1 match, 2 no match
	taints   []int8
}

func newNodeMemo(n int) *nodeMemo {
	return &nodeMemo{affinity: make([]int8, n), taints: make([]int8, n)}
}

// matchesNodeAffinity is nodeaffinity.GetRequiredNodeAffinity(pod).Match
// (parse errors mean no match).
func (p *PodInfo) matchesNodeAffinity(n *NodeInfo) bool {
	if p.memo != nil && n.index < len(p.memo.affinity) {
		if v := p.memo.affinity[n.index]; v != 0 {
			return v == 1
		}
	}
	ok, _ := p.nodeAff.Match(n.Node)
	if p.memo != nil && n.index < len(p.memo.affinity) {
		p.memo.affinity[n.index] = 2
		if ok {
			p.memo.affinity[n.index] = 1
		}
	}
	return ok
}

// toleratesNode reports whether the pod tolerates every NoSchedule and
// NoExecute taint (helper.DoNotScheduleTaintsFilterFunc).
func (p *PodInfo) toleratesNode(n *NodeInfo, opts Options) bool {
	if p.memo != nil && n.index < len(p.memo.taints) {
		if v := p.memo.taints[n.index]; v != 0 {
			return v == 1
		}
	}
	_, untolerated := corev1helpers.FindMatchingUntoleratedTaint(logr.Discard(), n.Node.Spec.Taints, p.Pod.Spec.Tolerations,
		doNotScheduleTaint, opts.TaintComparisonOperators)
	if p.memo != nil && n.index < len(p.memo.taints) {
		p.memo.taints[n.index] = 2
		if !untolerated {
			p.memo.taints[n.index] = 1
		}
	}
	return !untolerated
}

func doNotScheduleTaint(t *corev1.Taint) bool {
	return t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute
}
