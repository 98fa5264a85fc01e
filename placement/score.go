package placement

import (
	"container/heap"
	"math"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
)

// maxNodeScore is fwk.MaxNodeScore.
const maxNodeScore = 100

// Score plugin weights of the default profile (apis/config/v1 defaults).
const (
	weightTaintToleration    = 3
	weightNodeAffinity       = 2
	weightNodeResourcesFit   = 1
	weightPodTopologySpread  = 2
	weightInterPodAffinity   = 2
	weightBalancedAllocation = 1
)

// scoreNodes returns the weighted total score of each feasible node, like
// prioritizeNodes with the default profile (ImageLocality is not modelled
// and scores 0 everywhere).
func (sim *simulator) scoreNodes(p *PodInfo, feasible []*NodeInfo) []int64 {
	buf := func(i int) []int64 {
		if cap(sim.scoreBuf[i]) < len(feasible) {
			sim.scoreBuf[i] = make([]int64, len(feasible))
		}
		b := sim.scoreBuf[i][:len(feasible)]
		clear(b)
		return b
	}
	total := buf(0)
	add := func(scores []int64, weight int64) {
		for i, s := range scores {
			total[i] += s * weight
		}
	}
	add(taintScores(p, feasible, sim.opts, buf(1)), weightTaintToleration)
	add(nodeAffinityScores(p, feasible, buf(2)), weightNodeAffinity)
	add(leastAllocatedScores(p, feasible, buf(3)), weightNodeResourcesFit)
	add(sim.spreadScores(p, feasible, buf(4)), weightPodTopologySpread)
	add(sim.interPodAffinityScores(p, feasible, buf(5)), weightInterPodAffinity)
	add(balancedScores(p, feasible, buf(6)), weightBalancedAllocation)
	return total
}

// defaultNormalize is helper.DefaultNormalizeScore.
func defaultNormalize(scores []int64, reverse bool) {
	var maxCount int64
	for _, s := range scores {
		maxCount = max(maxCount, s)
	}
	if maxCount == 0 {
		if reverse {
			for i := range scores {
				scores[i] = maxNodeScore
			}
		}
		return
	}
	for i, s := range scores {
		s = maxNodeScore * s / maxCount
		if reverse {
			s = maxNodeScore - s
		}
		scores[i] = s
	}
}

// taintScores counts untolerated PreferNoSchedule taints per node
// (TaintToleration Score), normalized in reverse.
func taintScores(p *PodInfo, nodes []*NodeInfo, opts Options, out []int64) []int64 {
	var tols []corev1.Toleration
	for _, t := range p.Pod.Spec.Tolerations {
		if t.Effect == "" || t.Effect == corev1.TaintEffectPreferNoSchedule {
			tols = append(tols, t)
		}
	}
	for i, n := range nodes {
		for j := range n.Node.Spec.Taints {
			t := &n.Node.Spec.Taints[j]
			if t.Effect != corev1.TaintEffectPreferNoSchedule {
				continue
			}
			if !corev1helpers.TolerationsTolerateTaint(logr.Discard(), tols, t, opts.TaintComparisonOperators) {
				out[i]++
			}
		}
	}
	defaultNormalize(out, true)
	return out
}

// nodeAffinityScores sums the weights of matching preferred node affinity
// terms (NodeAffinity Score), normalized.
func nodeAffinityScores(p *PodInfo, nodes []*NodeInfo, out []int64) []int64 {
	if p.prefer == nil {
		return out
	}
	for i, n := range nodes {
		out[i] = p.prefer.Score(n.Node)
	}
	defaultNormalize(out, false)
	return out
}

// leastAllocatedScores is NodeResourcesFit's LeastAllocated strategy over
// cpu and memory (weight 1 each), with the non-zero scoring requests.
func leastAllocatedScores(p *PodInfo, nodes []*NodeInfo, out []int64) []int64 {
	for i, n := range nodes {
		var sum, weights int64
		for _, r := range [2][2]int64{
			{n.NonZeroRequested.MilliCPU + p.NonZero.MilliCPU, n.Allocatable.MilliCPU},
			{n.NonZeroRequested.Memory + p.NonZero.Memory, n.Allocatable.Memory},
		} {
			req, capacity := r[0], r[1]
			if capacity == 0 {
				continue
			}
			s := int64(0)
			if req <= capacity {
				s = (capacity - req) * maxNodeScore / capacity
			}
			sum += s
			weights++
		}
		if weights > 0 {
			out[i] = sum / weights
		}
	}
	return out
}

// balancedScores is NodeResourcesBalancedAllocation: how much placing the
// pod evens out cpu and memory use; skipped for pods requesting neither.
func balancedScores(p *PodInfo, nodes []*NodeInfo, out []int64) []int64 {
	if p.Requests.MilliCPU == 0 && p.Requests.Memory == 0 {
		return out
	}
	for i, n := range nodes {
		alloc := [2]int64{n.Allocatable.MilliCPU, n.Allocatable.Memory}
		used := [2]int64{n.Requested.MilliCPU, n.Requested.Memory}
		with := [2]int64{used[0] + p.Requests.MilliCPU, used[1] + p.Requests.Memory}
		withScore := balancedResourceScore(with[:], alloc[:])
		withoutScore := balancedResourceScore(used[:], alloc[:])
		out[i] = maxNodeScore/2 + (maxNodeScore/2+withScore-withoutScore)/2
	}
	return out
}

func balancedResourceScore(requested, allocatable []int64) int64 {
	var buf [4]float64
	fractions := buf[:0]
	var totalFraction float64
	for i := range requested {
		if allocatable[i] == 0 {
			continue
		}
		f := float64(requested[i]) / float64(allocatable[i])
		if f > 1 {
			f = 1
		}
		totalFraction += f
		fractions = append(fractions, f)
	}
	std := 0.0
	if len(fractions) == 2 {
		std = math.Abs((fractions[0] - fractions[1]) / 2)
	} else if len(fractions) > 2 {
		mean := totalFraction / float64(len(fractions))
		var sum float64
		for _, f := range fractions {
			sum += (f - mean) * (f - mean)
		}
		std = math.Sqrt(sum / float64(len(fractions)))
	}
	return int64((1 - std) * float64(maxNodeScore))
}

// nodeScore is one node's total, as fwk.NodePluginScores.
type nodeScore struct {
	node  *NodeInfo
	total int64
}

// scoreHeap is framework.NewSortedScoredNodes' max-heap; with no
// extenders the randomizer is 0, so ties resolve by heap position.
type scoreHeap []nodeScore

func (h scoreHeap) Len() int           { return len(h) }
func (h scoreHeap) Less(i, j int) bool { return h[i].total > h[j].total }
func (h scoreHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *scoreHeap) Push(x any)        { *h = append(*h, x.(nodeScore)) }
func (h *scoreHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// selectHost picks the node the scheduler would: heap.Init over the
// feasible list in snapshot order, then Pop.
func selectHost(nodes []*NodeInfo, totals []int64) *NodeInfo {
	h := make(scoreHeap, len(nodes))
	for i, n := range nodes {
		h[i] = nodeScore{node: n, total: totals[i]}
	}
	heap.Init(&h)
	return heap.Pop(&h).(nodeScore).node
}
