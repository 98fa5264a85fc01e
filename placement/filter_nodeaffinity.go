package placement

// nodeAffinity is the NodeAffinity plugin's Filter: nodeSelector and
// required node affinity (component-helpers GetRequiredNodeAffinity: terms
// ORed, expressions ANDed, matchFields on metadata.name).
type nodeAffinity struct{ rejected *Status }

func (nodeAffinity) Name() string { return NameNodeAffinity }

func (f nodeAffinity) Filter(pod *PodInfo, node *NodeInfo) *Status {
	if pod.matchesNodeAffinity(node) {
		return nil
	}
	return f.rejected
}

func (nodeAffinity) preFilter(pod *PodInfo, _ *Snapshot) *Status {
	if pod.nodeSet != nil && len(pod.nodeSet) == 0 {
		return NewStatus(UnschedulableAndUnresolvable, ReasonNodeAffinityConflict)
	}
	return nil
}
