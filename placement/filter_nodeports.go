package placement

// nodePorts is the NodePorts plugin: a (hostIP, protocol, hostPort) may be
// claimed once per node, and 0.0.0.0 conflicts with every address.
type nodePorts struct{ rejected *Status }

func (nodePorts) Name() string { return NameNodePorts }

func (f nodePorts) Filter(pod *PodInfo, node *NodeInfo) *Status {
	for _, hp := range pod.Ports {
		if node.portConflict(hp) {
			return f.rejected
		}
	}
	return nil
}
