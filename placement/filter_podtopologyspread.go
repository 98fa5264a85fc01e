package placement

import "math"

// podTopologySpread is the PodTopologySpread plugin's Filter for
// DoNotSchedule constraints: skew = matching pods in the node's domain + 1
// (if the pod matches itself) - global minimum over eligible domains, which
// must not exceed maxSkew; fewer domains than minDomains make the minimum 0.
type podTopologySpread struct {
	snap  *Snapshot
	opts  Options
	state []spreadState // per hard constraint of the current pod

	missingLabel, skewed *Status
}

type spreadState struct {
	tk       *topoKey
	counts   []int32 // per domain, over eligible nodes
	present  []bool  // domain has at least one eligible node
	minMatch int
	self     int
}

func (*podTopologySpread) Name() string { return NamePodTopologySpread }

func (f *podTopologySpread) preFilter(pod *PodInfo, s *Snapshot) *Status {
	f.state = f.state[:0]
	for _, c := range pod.spreadHard {
		ix := s.index(c.sig, spreadMatch(c.selector, pod.Pod.Namespace))
		tk := s.topoKey(c.topologyKey)
		st := spreadState{tk: tk, counts: make([]int32, len(tk.values)), present: make([]bool, len(tk.values))}
		for _, n := range s.byInput {
			if !f.eligible(pod, n, s) {
				continue
			}
			if !c.includes(pod, n, f.opts) {
				continue
			}
			d := tk.nodeDomain[n.index]
			st.counts[d] += ix.perNode[n.index]
			st.present[d] = true
		}
		domains, minMatch := 0, math.MaxInt32
		for d, ok := range st.present {
			if ok {
				domains++
				minMatch = min(minMatch, int(st.counts[d]))
			}
		}
		if domains < int(c.minDomains) {
			minMatch = 0
		}
		st.minMatch = minMatch
		if c.selector.Matches(pod.labels) {
			st.self = 1
		}
		f.state = append(f.state, st)
	}
	return nil
}

// eligible reports whether the node carries every constraint's key
// (nodeLabelsMatchSpreadConstraints).
func (f *podTopologySpread) eligible(pod *PodInfo, n *NodeInfo, s *Snapshot) bool {
	for _, c := range pod.spreadHard {
		if s.topoKey(c.topologyKey).nodeDomain[n.index] < 0 {
			return false
		}
	}
	return true
}

// includes applies nodeAffinityPolicy and nodeTaintsPolicy.
func (c *spreadConstraint) includes(pod *PodInfo, n *NodeInfo, opts Options) bool {
	if c.honorAffinity && !pod.matchesNodeAffinity(n) {
		return false
	}
	if c.honorTaints && !pod.toleratesNode(n, opts) {
		return false
	}
	return true
}

func (f *podTopologySpread) Filter(pod *PodInfo, node *NodeInfo) *Status {
	for i := range f.state {
		st := &f.state[i]
		d := st.tk.nodeDomain[node.index]
		if d < 0 {
			return f.missingLabel
		}
		skew := int(st.counts[d]) + st.self - st.minMatch
		if skew > int(pod.spreadHard[i].maxSkew) {
			return f.skewed
		}
	}
	return nil
}
