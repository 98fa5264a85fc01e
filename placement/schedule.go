package placement

import (
	"fmt"
	"sort"
)

// attempt is the outcome of one scheduling cycle for one pod.
type attempt struct {
	node     *NodeInfo   // chosen node; nil when none
	feasible []*NodeInfo // nodes that passed every filter
	fitErr   *FitError   // set when no node fits
	// preemption outcome when fitErr is set
	victims   []*PodInfo
	nominated *NodeInfo
}

// nodeStatus is a node's rejection in one cycle.
type nodeStatus struct {
	node   *NodeInfo
	status *Status
}

// runPreFilters runs every filter's PreFilter; a rejection applies to all
// nodes.
func (sim *simulator) runPreFilters(p *PodInfo) *Status {
	for _, f := range sim.filters {
		if pf, ok := f.(preFilter); ok {
			if st := pf.preFilter(p, sim.snap); !st.IsSuccess() {
				return &Status{Code: st.Code, Reasons: st.Reasons, Plugin: f.Name()}
			}
		}
	}
	return nil
}

// runFilters runs the filters in plugin order on one node and returns the
// first rejection.
func (sim *simulator) runFilters(p *PodInfo, n *NodeInfo) *Status {
	for _, f := range sim.filters {
		if st := f.Filter(p, n); !st.IsSuccess() {
			return st
		}
	}
	return nil
}

// scheduleOne is one scheduling cycle (schedulePod + PostFilter): filter
// every node in snapshot order, score the feasible ones and pick the
// best; when none fits, try preemption.
func (sim *simulator) scheduleOne(p *PodInfo) attempt {
	all := sim.snap.Nodes
	fe := &FitError{NumAllNodes: len(all), NodeStatus: map[string]*Status{}}
	if st := sim.runPreFilters(p); st != nil {
		fe.PreFilterMsg = st.Message()
		fe.Absent = st
		return sim.postFilter(p, fe)
	}
	if p.nominated != "" {
		if n := sim.snap.Node(p.nominated); n != nil && sim.runFilters(p, n).IsSuccess() {
			return attempt{node: n, feasible: []*NodeInfo{n}}
		}
	}
	nodes := all
	if p.nodeSet != nil {
		nodes = make([]*NodeInfo, 0, len(p.nodeSet))
		for _, n := range all {
			if p.nodeSet[n.Name()] {
				nodes = append(nodes, n)
			}
		}
		fe.Absent = NewStatus(UnschedulableAndUnresolvable, fmt.Sprintf("node(s) didn't satisfy plugin(s) [%s]", NameNodeAffinity))
	}
	feasible := sim.feasibleBuf[:0]
	rejected := sim.rejectedBuf[:0]
	for _, n := range nodes {
		if st := sim.runFilters(p, n); st != nil {
			rejected = append(rejected, nodeStatus{n, st})
			continue
		}
		feasible = append(feasible, n)
	}
	sim.feasibleBuf, sim.rejectedBuf = feasible, rejected
	if len(feasible) == 0 {
		for _, r := range rejected {
			fe.NodeStatus[r.node.Name()] = r.status
		}
		return sim.postFilter(p, fe)
	}
	feasible = append([]*NodeInfo(nil), feasible...)
	if len(feasible) == 1 {
		return attempt{node: feasible[0], feasible: feasible}
	}
	return attempt{node: selectHost(feasible, sim.scoreNodes(p, feasible)), feasible: feasible}
}

// nodeNames returns the names, sorted (by each node's precomputed rank).
func nodeNames(nodes []*NodeInfo) []string {
	sorted := append([]*NodeInfo(nil), nodes...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].nameRank < sorted[j].nameRank })
	out := make([]string, len(sorted))
	for i, n := range sorted {
		out[i] = n.Name()
	}
	return out
}
