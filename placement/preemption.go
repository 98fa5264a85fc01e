package placement

import (
	"fmt"
	"math"
	"sort"

	corev1 "k8s.io/api/core/v1"
)

// minCandidateNodes is DefaultPreemption's minCandidateNodesAbsolute; the
// percentage is minCandidateNodesPercentage (10).
const minCandidateNodes = 100

// candidate is a node where evicting victims lets the pod fit.
type candidate struct {
	node          *NodeInfo
	victims       []*PodInfo
	pdbViolations int
}

// postFilter is DefaultPreemption: find nodes where removing lower-priority
// pods makes the pod fit, pick one, evict its victims and nominate it.
func (sim *simulator) postFilter(p *PodInfo, fe *FitError) attempt {
	if p.Pod.Spec.PreemptionPolicy != nil && *p.Pod.Spec.PreemptionPolicy == corev1.PreemptNever {
		fe.PostFilterMsg = "preemption: " + ReasonPreemptionNever
		return attempt{fitErr: fe}
	}
	var potential []*NodeInfo
	for _, n := range sim.snap.Nodes {
		st, explicit := fe.NodeStatus[n.Name()]
		if !explicit {
			st = fe.Absent
		}
		if st != nil && st.Code == Unschedulable {
			potential = append(potential, n)
		}
	}
	pe := &FitError{NumAllNodes: len(sim.snap.Nodes), NodeStatus: map[string]*Status{},
		Absent: NewStatus(UnschedulableAndUnresolvable, ReasonPreemptionNotHelpful)}
	var candidates []candidate
	if len(potential) > 0 {
		want := max(len(potential)*10/100, minCandidateNodes)
		want = min(want, len(potential))
		pdbs := sim.pdbAllowed()
		var violating []candidate
		for _, n := range potential {
			if len(candidates) >= want {
				break
			}
			c, st := sim.selectVictims(p, n, pdbs)
			if st != nil {
				pe.NodeStatus[n.Name()] = st
				continue
			}
			if c.pdbViolations == 0 {
				candidates = append(candidates, c)
			} else {
				violating = append(violating, c)
			}
		}
		candidates = append(candidates, violating...)
	}
	if len(candidates) == 0 {
		fe.PostFilterMsg = "preemption: " + pe.Error()
		return attempt{fitErr: fe}
	}
	best := pickCandidate(candidates)
	fe.PostFilterMsg = fmt.Sprintf("preemption: found a potential placement for pod on node %v, preempting %d victims", best.node.Name(), len(best.victims))
	return attempt{fitErr: fe, victims: best.victims, nominated: best.node}
}

// selectVictims is SelectVictimsOnNode: remove every lower-priority pod,
// check the pod fits, then reprieve as many as possible (PDB-violating
// ones first), most important first. The snapshot is restored afterwards.
func (sim *simulator) selectVictims(p *PodInfo, n *NodeInfo, pdbs []pdbBudget) (candidate, *Status) {
	var potential []*PodInfo
	for _, q := range n.Pods {
		if q.Priority < p.Priority {
			potential = append(potential, q)
		}
	}
	if len(potential) == 0 {
		return candidate{}, NewStatus(UnschedulableAndUnresolvable, ReasonNoVictims)
	}
	saved := append([]*PodInfo(nil), n.Pods...)
	removed := map[*PodInfo]bool{}
	defer func() {
		for _, q := range potential {
			if removed[q] {
				sim.snap.addPod(q, n)
			}
		}
		n.Pods = saved
	}()
	for _, q := range potential {
		sim.snap.removePod(q)
		removed[q] = true
	}
	fits := func() *Status {
		if st := sim.runPreFilters(p); st != nil {
			return st
		}
		return sim.runFilters(p, n)
	}
	if st := fits(); st != nil {
		return candidate{}, st
	}
	sort.SliceStable(potential, func(i, j int) bool { return moreImportant(potential[i], potential[j]) })
	violatingSet := pdbViolating(potential, pdbs)
	var violating, nonViolating []*PodInfo
	for _, q := range potential {
		if violatingSet[q] {
			violating = append(violating, q)
		} else {
			nonViolating = append(nonViolating, q)
		}
	}
	c := candidate{node: n}
	reprieve := func(q *PodInfo) bool {
		sim.snap.addPod(q, n)
		removed[q] = false
		if fits() == nil {
			return true
		}
		sim.snap.removePod(q)
		removed[q] = true
		c.victims = append(c.victims, q)
		return false
	}
	for _, q := range violating {
		if !reprieve(q) {
			c.pdbViolations++
		}
	}
	for _, q := range nonViolating {
		reprieve(q)
	}
	if len(violating) > 0 && len(nonViolating) > 0 {
		sort.SliceStable(c.victims, func(i, j int) bool { return moreImportant(c.victims[i], c.victims[j]) })
	}
	return c, nil
}

// moreImportant is MoreImportantPod: higher priority, then earlier start.
func moreImportant(a, b *PodInfo) bool {
	if a.Priority != b.Priority {
		return a.Priority > b.Priority
	}
	return a.startSeq < b.startSeq
}

// pickCandidate is pickOneNodeForPreemption: fewest PDB violations, lowest
// highest-priority victim, lowest priority sum, fewest victims, latest
// start of the highest-priority victims, then the first candidate.
func pickCandidate(cs []candidate) candidate {
	scores := []func(c candidate) int64{
		func(c candidate) int64 { return -int64(c.pdbViolations) },
		func(c candidate) int64 { return -int64(c.victims[0].Priority) },
		func(c candidate) int64 {
			var sum int64
			for _, v := range c.victims {
				sum += int64(v.Priority) + int64(math.MaxInt32+1)
			}
			return -sum
		},
		func(c candidate) int64 { return -int64(len(c.victims)) },
		func(c candidate) int64 {
			top := c.victims[0].Priority
			earliest := int64(math.MaxInt64)
			for _, v := range c.victims {
				if v.Priority == top {
					earliest = min(earliest, int64(v.startSeq))
				}
			}
			return earliest
		},
	}
	for _, f := range scores {
		var best []candidate
		maxScore := int64(math.MinInt64)
		for _, c := range cs {
			s := f(c)
			if s > maxScore {
				maxScore, best = s, nil
			}
			if s == maxScore {
				best = append(best, c)
			}
		}
		if len(best) == 1 {
			return best[0]
		}
		cs = best
	}
	return cs[0]
}
