package placement

// taintToleration is the TaintToleration plugin's Filter: every NoSchedule
// and NoExecute taint must be tolerated (component-helpers
// FindMatchingUntoleratedTaint); PreferNoSchedule only scores.
type taintToleration struct {
	opts     Options
	rejected *Status
}

func (taintToleration) Name() string { return NameTaintToleration }

func (f taintToleration) Filter(pod *PodInfo, node *NodeInfo) *Status {
	if pod.toleratesNode(node, f.opts) {
		return nil
	}
	return f.rejected
}
