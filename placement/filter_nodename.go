package placement

// nodeName is the NodeName plugin: a pod naming a node fits only there.
// Pods created with spec.nodeName bypass the scheduler, so this only
// matters for pods whose nodeName a caller sets.
type nodeName struct{ rejected *Status }

func (nodeName) Name() string { return NameNodeName }

func (f nodeName) Filter(pod *PodInfo, node *NodeInfo) *Status {
	if pod.Pod.Spec.NodeName == "" || pod.Pod.Spec.NodeName == node.Name() {
		return nil
	}
	return f.rejected
}
