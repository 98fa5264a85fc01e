package placement

// interPodAffinity is the InterPodAffinity plugin's Filter: the pod's
// required affinity must find matching pods in the node's domain, its
// required anti-affinity must find none, and no placed pod's required
// anti-affinity may match the pod in the node's domain.
type interPodAffinity struct {
	snap *Snapshot
	// per current pod
	affinity    [][]int32 // per required affinity term: counts per domain
	affTK       []*topoKey
	affinityAny bool // some placed pod matches all affinity terms
	selfMatch   bool
	anti        [][]int32
	antiTK      []*topoKey
	existing    [][]int32 // placed pods' anti terms matching the pod
	existingTK  []*topoKey

	affinityFail, antiFail, existingFail *Status
}

func (*interPodAffinity) Name() string { return NameInterPodAffinity }

func (f *interPodAffinity) preFilter(pod *PodInfo, s *Snapshot) *Status {
	f.affinity, f.affTK, f.anti, f.antiTK = f.affinity[:0], f.affTK[:0], f.anti[:0], f.antiTK[:0]
	f.existing, f.existingTK = f.existing[:0], f.existingTK[:0]
	f.affinityAny, f.selfMatch = false, false
	if len(pod.affinity) > 0 {
		terms := pod.affinity
		ix := s.index("aff|"+pod.affinitySig, func(q *PodInfo) bool { return matchesAll(terms, q, s.nsLabel) })
		for _, t := range terms {
			c := s.domainCounts(ix, t.topologyKey)
			f.affinity = append(f.affinity, c)
			f.affTK = append(f.affTK, s.topoKey(t.topologyKey))
			for _, v := range c {
				if v > 0 {
					f.affinityAny = true
				}
			}
		}
		f.selfMatch = matchesAll(terms, pod, s.nsLabel)
	}
	for i := range pod.antiAffinity {
		t := &pod.antiAffinity[i]
		ix := s.index("anti-term|"+t.sig, func(q *PodInfo) bool { return t.matchesIn(q, s.nsLabel) })
		f.anti = append(f.anti, s.domainCounts(ix, t.topologyKey))
		f.antiTK = append(f.antiTK, s.topoKey(t.topologyKey))
	}
	ns := s.nsLabel(pod.Pod.Namespace)
	for _, g := range s.antiGroupList {
		if g.ix.total == 0 {
			continue
		}
		for i := range g.terms {
			t := &g.terms[i]
			if t.matches(pod, ns) {
				f.existing = append(f.existing, s.domainCounts(g.ix, t.topologyKey))
				f.existingTK = append(f.existingTK, s.topoKey(t.topologyKey))
			}
		}
	}
	return nil
}

func (f *interPodAffinity) Filter(pod *PodInfo, node *NodeInfo) *Status {
	if len(f.affinity) > 0 {
		exist := true
		for i, c := range f.affinity {
			d := f.affTK[i].nodeDomain[node.index]
			if d < 0 {
				return f.affinityFail
			}
			if c[d] <= 0 {
				exist = false
			}
		}
		if !exist && (f.affinityAny || !f.selfMatch) {
			return f.affinityFail
		}
	}
	for i, c := range f.anti {
		if d := f.antiTK[i].nodeDomain[node.index]; d >= 0 && c[d] > 0 {
			return f.antiFail
		}
	}
	for i, c := range f.existing {
		if d := f.existingTK[i].nodeDomain[node.index]; d >= 0 && c[d] > 0 {
			return f.existingFail
		}
	}
	return nil
}
