package placement

import (
	"math"
	"sort"

	"k8s.io/apimachinery/pkg/labels"
)

// interPodAffinityScores is InterPodAffinity's Score: the pod's preferred
// (anti-)affinity against placed pods, and placed pods' required affinity
// (hard weight 1) and preferred terms against the pod, summed per
// topology domain and min-max normalized.
func (sim *simulator) interPodAffinityScores(p *PodInfo, feasible []*NodeInfo, out []int64) []int64 {
	s := sim.snap
	topo := map[string]map[string]int64{}
	addPair := func(key, value string, w int64) {
		if topo[key] == nil {
			topo[key] = map[string]int64{}
		}
		topo[key][value] += w
	}
	incoming := func(terms []affinityTerm, sign int64) {
		for i := range terms {
			t := &terms[i]
			ix := s.index("anti-term|"+t.sig, func(q *PodInfo) bool { return t.matchesIn(q, s.nsLabel) })
			tk := s.topoKey(t.topologyKey)
			for d, c := range s.domainCounts(ix, t.topologyKey) {
				if c != 0 {
					addPair(t.topologyKey, tk.values[d], sign*int64(t.weight)*int64(c))
				}
			}
		}
	}
	incoming(p.preferAffinity, 1)
	incoming(p.preferAnti, -1)
	if sim.scoringTermPods > 0 {
		ns := s.nsLabel(p.Pod.Namespace)
		for _, n := range s.byInput {
			if len(n.Node.Labels) == 0 {
				continue
			}
			for _, q := range n.Pods {
				existingTerms(q, p, ns, n, addPair)
			}
		}
	}
	if len(topo) == 0 {
		return out
	}
	keys := make([]string, 0, len(topo))
	for k := range topo {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	minC, maxC := int64(math.MaxInt64), int64(math.MinInt64)
	for j, n := range feasible {
		var score int64
		for _, k := range keys {
			if v, ok := n.Node.Labels[k]; ok {
				score += topo[k][v]
			}
		}
		out[j] = score
		minC, maxC = min(minC, score), max(maxC, score)
	}
	diff := maxC - minC
	for j := range out {
		f := 0.0
		if diff > 0 {
			f = float64(maxNodeScore) * (float64(out[j]-minC) / float64(diff))
		}
		out[j] = int64(f)
	}
	return out
}

// existingTerms is processExistingPod's part for a placed pod q's own
// terms against the incoming pod p.
func existingTerms(q, p *PodInfo, ns labels.Set, n *NodeInfo, addPair func(key, value string, w int64)) {
	apply := func(terms []affinityTerm, weight func(t *affinityTerm) int64) {
		for i := range terms {
			t := &terms[i]
			if !t.matches(p, ns) {
				continue
			}
			if v, ok := n.Node.Labels[t.topologyKey]; ok {
				addPair(t.topologyKey, v, weight(t))
			}
		}
	}
	apply(q.affinity, func(*affinityTerm) int64 { return 1 })
	apply(q.preferAffinity, func(t *affinityTerm) int64 { return int64(t.weight) })
	apply(q.preferAnti, func(t *affinityTerm) int64 { return -int64(t.weight) })
}
