package placement

import (
	"math"

	corev1 "k8s.io/api/core/v1"
)

// spreadScores is PodTopologySpread's Score for ScheduleAnyway constraints,
// or the system default constraints (hostname maxSkew 3, zone maxSkew 5)
// when the pod declares none and a Service or owning controller selects it.
// Domains are the snapshot's topology-key indexes instead of label maps.
func (sim *simulator) spreadScores(p *PodInfo, feasible []*NodeInfo, out []int64) []int64 {
	constraints := p.spreadSoft
	requireAll := len(p.Pod.Spec.TopologySpreadConstraints) > 0
	if !requireAll {
		constraints = p.defaultSpread
	}
	if len(constraints) == 0 || len(sim.snap.byInput) == 0 {
		return out
	}
	s := sim.snap
	tks := make([]*topoKey, len(constraints))
	ixs := make([]*selIndex, len(constraints))
	for i, c := range constraints {
		tks[i] = s.topoKey(c.topologyKey)
		ixs[i] = s.index(c.sig, spreadMatch(c.selector, p.Pod.Namespace))
	}
	hasAll := func(n *NodeInfo) bool {
		for _, tk := range tks {
			if tk.nodeDomain[n.index] < 0 {
				return false
			}
		}
		return true
	}
	// counts[i][d] is nil-able: present[i][d] marks domains of feasible,
	// non-ignored nodes (upstream's TopologyValueToPodCounts keys); a
	// feasible node without the key adds the "" domain (only its size
	// counts).
	counts := make([][]int64, len(constraints))
	present := make([][]bool, len(constraints))
	emptyDomain := make([]bool, len(constraints))
	for i, tk := range tks {
		counts[i] = make([]int64, len(tk.values))
		present[i] = make([]bool, len(tk.values))
	}
	ignored := make([]bool, len(feasible))
	nIgnored := 0
	for j, n := range feasible {
		if requireAll && !hasAll(n) {
			ignored[j] = true
			nIgnored++
			continue
		}
		for i, c := range constraints {
			if c.topologyKey == corev1.LabelHostname {
				continue
			}
			if d := tks[i].nodeDomain[n.index]; d >= 0 {
				present[i][d] = true
			} else {
				emptyDomain[i] = true
			}
		}
	}
	weights := make([]float64, len(constraints))
	for i, c := range constraints {
		size := 0
		for _, ok := range present[i] {
			if ok {
				size++
			}
		}
		if emptyDomain[i] {
			size++
		}
		if c.topologyKey == corev1.LabelHostname {
			size = len(feasible) - nIgnored
		}
		weights[i] = math.Log(float64(size + 2))
	}
	for _, n := range s.byInput {
		if requireAll && !hasAll(n) {
			continue
		}
		for i, c := range constraints {
			d := tks[i].nodeDomain[n.index]
			if d < 0 || !present[i][d] || c.topologyKey == corev1.LabelHostname {
				continue
			}
			if !c.includes(p, n, sim.opts) {
				continue
			}
			counts[i][d] += int64(ixs[i].perNode[n.index])
		}
	}
	minScore, maxScore := int64(math.MaxInt64), int64(0)
	for j, n := range feasible {
		if ignored[j] {
			continue
		}
		var score float64
		for i, c := range constraints {
			d := tks[i].nodeDomain[n.index]
			if d < 0 {
				continue
			}
			var cnt int64
			if c.topologyKey == corev1.LabelHostname {
				cnt = int64(ixs[i].perNode[n.index])
			} else {
				cnt = counts[i][d]
			}
			score += float64(cnt)*weights[i] + float64(c.maxSkew-1)
		}
		out[j] = int64(math.Round(score))
		minScore = min(minScore, out[j])
		maxScore = max(maxScore, out[j])
	}
	for j := range out {
		switch {
		case ignored[j]:
			out[j] = 0
		case maxScore == 0:
			out[j] = maxNodeScore
		default:
			out[j] = maxNodeScore * (maxScore + minScore - out[j]) / maxScore
		}
	}
	return out
}
