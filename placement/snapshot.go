package placement

import (
	"sort"

	"k8s.io/apimachinery/pkg/labels"
)

// Snapshot is the cluster state the filters read: nodes in the scheduler
// cache's order and incrementally maintained counts of pods matching the
// selectors in use, so per-node filtering is a few lookups (the role of
// upstream's PreFilter state).
type Snapshot struct {
	// Nodes are in the scheduler's snapshot order: input order
	// interleaved round-robin across zones (the cache's node tree).
	Nodes []*NodeInfo
	// byInput are the same nodes in input order.
	byInput []*NodeInfo
	byName  map[string]*NodeInfo
	nsLabel nsLabeler

	indexes       map[string]*selIndex
	indexList     []*selIndex
	topo          map[string]*topoKey
	antiGroups    map[string]*antiGroup
	antiGroupList []*antiGroup
}

// selIndex counts, per node, the pods matching one predicate.
type selIndex struct {
	match   func(*PodInfo) bool
	perNode []int32 // by NodeInfo.index
	total   int
	domains map[string][]int32 // topology key -> count per domain
}

// topoKey maps nodes to the domains of one topology key.
type topoKey struct {
	nodeDomain []int32 // by NodeInfo.index; -1 when the label is absent
	values     []string
}

// antiGroup is the set of placed pods sharing one list of required
// anti-affinity terms.
type antiGroup struct {
	terms []affinityTerm
	ix    *selIndex
}

func newSnapshot(nodes []*NodeInfo, ns nsLabeler) *Snapshot {
	s := &Snapshot{byInput: nodes, byName: map[string]*NodeInfo{}, nsLabel: ns,
		indexes: map[string]*selIndex{}, topo: map[string]*topoKey{}, antiGroups: map[string]*antiGroup{}}
	for _, n := range nodes {
		s.byName[n.Name()] = n
	}
	s.Nodes = nodeTreeOrder(nodes)
	byName := append([]*NodeInfo(nil), nodes...)
	sort.Slice(byName, func(i, j int) bool { return byName[i].Name() < byName[j].Name() })
	for i, n := range byName {
		n.nameRank = i
	}
	return s
}

// nodeTreeOrder interleaves nodes round-robin across zones (zones in order
// of first appearance, nodes in input order), like the cache's nodeTree.
func nodeTreeOrder(nodes []*NodeInfo) []*NodeInfo {
	var zones []string
	tree := map[string][]*NodeInfo{}
	for _, n := range nodes {
		z := zoneKey(n.Node.Labels)
		if _, ok := tree[z]; !ok {
			zones = append(zones, z)
		}
		tree[z] = append(tree[z], n)
	}
	out := make([]*NodeInfo, 0, len(nodes))
	for i := 0; len(out) < len(nodes); i++ {
		for _, z := range zones {
			if i < len(tree[z]) {
				out = append(out, tree[z][i])
			}
		}
	}
	return out
}

// zoneKey is utilnode.GetZoneKey: region and zone from the topology labels
// or their deprecated failure-domain forms; "" without either.
func zoneKey(l map[string]string) string {
	zone, ok := l["topology.kubernetes.io/zone"]
	if !ok {
		zone = l["failure-domain.beta.kubernetes.io/zone"]
	}
	region, ok := l["topology.kubernetes.io/region"]
	if !ok {
		region = l["failure-domain.beta.kubernetes.io/region"]
	}
	if region == "" && zone == "" {
		return ""
	}
	return region + ":\x00:" + zone
}

// Node returns the node with the name, or nil.
func (s *Snapshot) Node(name string) *NodeInfo { return s.byName[name] }

// addPod places p on n and updates every index.
func (s *Snapshot) addPod(p *PodInfo, n *NodeInfo) {
	n.addPod(p)
	p.Pod.Spec.NodeName = n.Name()
	if len(p.antiAffinity) > 0 {
		s.antiGroup(p)
	}
	for _, ix := range s.indexList {
		if ix.match(p) {
			ix.bump(s, n, 1)
		}
	}
}

// removePod takes p off its node and updates every index.
func (s *Snapshot) removePod(p *PodInfo) {
	n := s.byName[p.Pod.Spec.NodeName]
	if n == nil || !n.removePod(p) {
		return
	}
	for _, ix := range s.indexList {
		if ix.match(p) {
			ix.bump(s, n, -1)
		}
	}
}

func (ix *selIndex) bump(s *Snapshot, n *NodeInfo, d int32) {
	ix.perNode[n.index] += d
	ix.total += int(d)
	for key, counts := range ix.domains {
		if dom := s.topoKey(key).nodeDomain[n.index]; dom >= 0 {
			counts[dom] += d
		}
	}
}

// index returns the live count of placed pods matching match, registered
// under sig (callers must use one predicate per sig).
func (s *Snapshot) index(sig string, match func(*PodInfo) bool) *selIndex {
	if ix, ok := s.indexes[sig]; ok {
		return ix
	}
	ix := &selIndex{match: match, perNode: make([]int32, len(s.byInput)), domains: map[string][]int32{}}
	for _, n := range s.byInput {
		for _, p := range n.Pods {
			if match(p) {
				ix.perNode[n.index]++
				ix.total++
			}
		}
	}
	s.indexes[sig] = ix
	s.indexList = append(s.indexList, ix)
	return ix
}

// domainCounts returns the live per-domain counts of ix for a topology key.
func (s *Snapshot) domainCounts(ix *selIndex, key string) []int32 {
	if c, ok := ix.domains[key]; ok {
		return c
	}
	tk := s.topoKey(key)
	c := make([]int32, len(tk.values))
	for i, dom := range tk.nodeDomain {
		if dom >= 0 {
			c[dom] += ix.perNode[i]
		}
	}
	ix.domains[key] = c
	return c
}

// topoKey returns the node-to-domain map of a label key.
func (s *Snapshot) topoKey(key string) *topoKey {
	if tk, ok := s.topo[key]; ok {
		return tk
	}
	tk := &topoKey{nodeDomain: make([]int32, len(s.byInput))}
	byValue := map[string]int32{}
	for _, n := range s.byInput {
		v, ok := n.Node.Labels[key]
		if !ok {
			tk.nodeDomain[n.index] = -1
			continue
		}
		d, seen := byValue[v]
		if !seen {
			d = int32(len(tk.values))
			byValue[v] = d
			tk.values = append(tk.values, v)
		}
		tk.nodeDomain[n.index] = d
	}
	s.topo[key] = tk
	return tk
}

// antiGroup returns (registering on first use) the group of pods sharing
// p's required anti-affinity terms.
func (s *Snapshot) antiGroup(p *PodInfo) *antiGroup {
	if g, ok := s.antiGroups[p.antiSig]; ok {
		return g
	}
	sig := p.antiSig
	g := &antiGroup{terms: p.antiAffinity}
	s.antiGroups[sig] = g
	s.antiGroupList = append(s.antiGroupList, g)
	g.ix = s.index("anti|"+sig, func(q *PodInfo) bool { return q.antiSig == sig })
	return g
}

// matchesAll reports whether q matches every term (podMatchesAllAffinityTerms:
// false for no terms).
func matchesAll(terms []affinityTerm, q *PodInfo, nsl nsLabeler) bool {
	if len(terms) == 0 {
		return false
	}
	for i := range terms {
		if !terms[i].matchesIn(q, nsl) {
			return false
		}
	}
	return true
}

// spreadMatch is countPodsMatchSelector's predicate: same namespace, not
// terminating, labels match; an empty selector matches nothing.
func spreadMatch(sel labels.Selector, ns string) func(*PodInfo) bool {
	if sel.Empty() {
		return func(*PodInfo) bool { return false }
	}
	return func(q *PodInfo) bool {
		return q.Pod.Namespace == ns && q.Pod.DeletionTimestamp == nil && sel.Matches(q.labels)
	}
}
