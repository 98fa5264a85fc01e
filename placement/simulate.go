package placement

import (
	"context"
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	nodev1 "k8s.io/api/node/v1"
	policyv1 "k8s.io/api/policy/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubeplan/kubeplan/lint/cluster"
)

// Options tunes a simulation.
type Options struct {
	// DefaultMaxPods is the pods capacity of nodes that declare none; 0
	// keeps upstream's reading (such a node accepts no pod).
	DefaultMaxPods int
	// TaintComparisonOperators enables the Lt/Gt toleration operators
	// (feature gate TaintTolerationComparisonOperators, off in v1.37).
	TaintComparisonOperators bool
	// NodesDown removes these nodes before simulating (what-if).
	NodesDown []string
	// ZonesDown removes every node in these zones (what-if).
	ZonesDown []string
	// ExtraNodes are added after the model's nodes (tests, generators).
	ExtraNodes []*corev1.Node
	// Surge adds this many extra pods to a Deployment (rollout what-if:
	// maxSurge new pods while the old ones still run).
	Surge map[*cluster.Object]int
}

// slot is one pod of the simulation with its evolving outcome.
type slot struct {
	res          PodResult
	info         *PodInfo
	exp          expandedPod
	placed       bool
	pending      bool
	orderedAfter *slot
	lastVersion  int
}

// simulator is one run: the snapshot, its filters and every pod.
type simulator struct {
	opts            Options
	snap            *Snapshot
	filters         []Filter
	slots           []*slot
	pdbs            []*policyv1.PodDisruptionBudget
	services        []*corev1.Service
	scoringTermPods int
	feasibleBuf     []*NodeInfo
	rejectedBuf     []nodeStatus
	scoreBuf        [7][]int64
	seq             int
	version         int
}

// Simulate expands the model's workloads into pods and schedules them onto
// the model's nodes (Node objects and NodePools) like kube-scheduler v1.37
// with the default profile. It never fails: what it cannot read becomes a
// note. With no nodes, every pod is Unschedulable ("0/0 nodes are
// available").
func Simulate(ctx context.Context, m *cluster.Model, opts Options) (res *Result) {
	res = &Result{Notes: []string{notModelled}}
	defer func() {
		if r := recover(); r != nil {
			res = &Result{Notes: []string{notModelled, fmt.Sprintf("internal error: the simulation stopped: %v", r)}}
		}
	}()
	declared, notes := collectNodes(m)
	res.Notes = append(res.Notes, notes...)
	for _, n := range opts.ExtraNodes {
		declared = append(declared, declaredNode{node: withConditionTaints(n.DeepCopy())})
	}
	declared = applyWhatIf(declared, opts)
	nsl := namespaceLabeler(m)
	infos := make([]*NodeInfo, len(declared))
	for i, d := range declared {
		infos[i] = newNodeInfo(d.node, d.obj, i, opts.DefaultMaxPods)
	}
	sim := &simulator{opts: opts, snap: newSnapshot(infos, nsl)}
	sim.filters = defaultFilters(sim.snap, opts)
	adm := sim.readModel(m)
	sim.expand(m, declared, adm, nsl)
	sim.run(ctx)
	for _, sl := range sim.slots {
		sl.res.placed = sl.placed
		if sl.res.FeasibleNodes == nil {
			sl.res.FeasibleNodes = []string{}
		}
		res.Pods = append(res.Pods, sl.res)
	}
	res.Nodes = nodeUsage(sim.snap)
	if opts.DefaultMaxPods == 0 {
		for _, n := range sim.snap.byInput {
			alloc := n.Node.Status.Allocatable
			if alloc == nil {
				alloc = n.Node.Status.Capacity
			}
			if _, ok := alloc[corev1.ResourcePods]; !ok {
				res.Notes = append(res.Notes, fmt.Sprintf("node %s declares no pods capacity, so it accepts no pod as upstream reads it (kubelets report 110; see --default-max-pods)", n.Name()))
			}
		}
	}
	return res
}

// applyWhatIf drops the nodes the what-if takes down.
func applyWhatIf(nodes []declaredNode, opts Options) []declaredNode {
	if len(opts.NodesDown) == 0 && len(opts.ZonesDown) == 0 {
		return nodes
	}
	down := map[string]bool{}
	for _, n := range opts.NodesDown {
		down[n] = true
	}
	zones := map[string]bool{}
	for _, z := range opts.ZonesDown {
		zones[z] = true
	}
	out := nodes[:0:0]
	for _, d := range nodes {
		if down[d.node.Name] || zones[d.node.Labels[corev1.LabelTopologyZone]] {
			continue
		}
		out = append(out, d)
	}
	return out
}

// namespaceLabeler returns each namespace's labels: those of its Namespace
// object plus kubernetes.io/metadata.name, which the API server sets.
func namespaceLabeler(m *cluster.Model) nsLabeler {
	set := map[string]labels.Set{}
	for _, o := range m.Kind("", "Namespace") {
		l := labels.Set{}
		for k, v := range o.Labels {
			l[k] = v
		}
		l[corev1.LabelMetadataName] = o.Name
		set[o.Name] = l
	}
	return func(ns string) labels.Set {
		if l, ok := set[ns]; ok {
			return l
		}
		return labels.Set{corev1.LabelMetadataName: ns}
	}
}

// readModel collects PriorityClasses, LimitRanges, RuntimeClasses, PDBs
// and Services.
func (sim *simulator) readModel(m *cluster.Model) *admission {
	adm := &admission{priorityClasses: map[string]*schedulingv1.PriorityClass{},
		limitRanges: map[string][]*corev1.LimitRange{}, runtimeClasses: map[string]*nodev1.RuntimeClass{}}
	for _, o := range m.Unique() {
		switch t := o.Typed.(type) {
		case *schedulingv1.PriorityClass:
			adm.priorityClasses[t.Name] = t
			if t.GlobalDefault && (adm.globalDefault == nil || t.Value > adm.globalDefault.Value) {
				adm.globalDefault = t
			}
		case *corev1.LimitRange:
			adm.limitRanges[o.Namespace] = append(adm.limitRanges[o.Namespace], t)
		case *nodev1.RuntimeClass:
			adm.runtimeClasses[t.Name] = t
		case *policyv1.PodDisruptionBudget:
			c := t.DeepCopy()
			c.Namespace = o.Namespace
			sim.pdbs = append(sim.pdbs, c)
		case *corev1.Service:
			c := t.DeepCopy()
			c.Namespace = o.Namespace
			sim.services = append(sim.services, c)
		}
	}
	return adm
}

// expand creates one slot per pod, admitted and classified.
func (sim *simulator) expand(m *cluster.Model, nodes []declaredNode, adm *admission, nsl nsLabeler) {
	unique := map[*cluster.Object]bool{}
	for _, o := range m.Unique() {
		unique[o] = true
	}
	var exps []expandedPod
	for _, w := range m.Workloads() {
		if unique[w.Object] {
			exps = append(exps, expandWorkload(w, nodes, len(exps))...)
			if n := sim.opts.Surge[w.Object]; n > 0 {
				exps = append(exps, surgePods(w, n)...)
			}
		}
	}
	names := map[string]int{}
	memos := map[string]*nodeMemo{}
	for i, e := range exps {
		p := e.pod
		key := p.Namespace + "/" + p.Name
		if n := names[key]; n > 0 {
			p.Name = fmt.Sprintf("%s-dup%d", p.Name, n)
		}
		names[key]++
		sl := &slot{exp: e}
		sl.res = PodResult{Pod: p.Namespace + "/" + p.Name, Source: e.source, workload: e.workload}
		if e.orderedAfter >= 0 {
			sl.orderedAfter = sim.slots[e.orderedAfter]
		}
		sim.slots = append(sim.slots, sl)
		applyDefaults(p)
		if msg := adm.admit(p); msg != "" {
			sl.res.Status, sl.res.Message = StatusRejected, msg
			if p.Spec.Priority != nil {
				sl.res.Priority = *p.Spec.Priority
			}
			continue
		}
		memo := memos[e.memoKey]
		if memo == nil {
			memo = newNodeMemo(len(sim.snap.byInput))
			memos[e.memoKey] = memo
		}
		info := newPodInfo(p, nsl, memo)
		info.Workload, info.Source, info.order = e.workload, e.source, i
		info.defaultSpread = sim.defaultSpread(info, e.ownerSelector)
		sl.info, sl.res.info, sl.res.Priority = info, info, info.Priority
		if info.hasScoringTerms() {
			sim.scoringTermPods++
		}
		sim.classify(sl)
	}
}

// hasScoringTerms reports whether placed pod p changes InterPodAffinity
// scores of later pods (required affinity or preferred terms).
func (p *PodInfo) hasScoringTerms() bool {
	return len(p.affinity)+len(p.preferAffinity)+len(p.preferAnti) > 0
}

// classify sets the outcome of pods the scheduler never tries and places
// pods that name their node.
func (sim *simulator) classify(sl *slot) {
	p := sl.info.Pod
	switch {
	case p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed:
		sl.res.Status = StatusTerminal
		sl.res.Message = fmt.Sprintf("pod phase is %s: it no longer runs", p.Status.Phase)
	case p.Spec.NodeName != "":
		sl.res.Status, sl.res.Node = StatusBound, p.Spec.NodeName
		sl.res.Message = "spec.nodeName is set: the pod bypasses the scheduler"
		if n := sim.snap.Node(p.Spec.NodeName); n != nil {
			sim.place(sl, n)
		} else {
			sl.res.Message += fmt.Sprintf("; node %s does not exist, so no kubelet runs it (Pending)", p.Spec.NodeName)
		}
	case len(p.Spec.SchedulingGates) > 0:
		gates := make([]string, len(p.Spec.SchedulingGates))
		for i, g := range p.Spec.SchedulingGates {
			gates[i] = g.Name
		}
		sl.res.Status = StatusGated
		sl.res.Message = fmt.Sprintf("PreEnqueue plugin SchedulingGates: waiting for scheduling gates: [%s]", strings.Join(gates, " "))
	case p.Spec.SchedulerName != corev1.DefaultSchedulerName:
		sl.res.Status = StatusOtherScheduler
		sl.res.Message = fmt.Sprintf("spec.schedulerName %q is not handled by %s", p.Spec.SchedulerName, corev1.DefaultSchedulerName)
	default:
		sl.pending = true
		sl.lastVersion = -1
	}
}

// place binds a slot's pod to a node.
func (sim *simulator) place(sl *slot, n *NodeInfo) {
	sim.seq++
	sl.info.startSeq = sim.seq
	sim.snap.addPod(sl.info, n)
	sl.placed = true
	sl.res.Node = n.Name()
}

// run schedules pending pods in queue order (priority, then input order),
// pass after pass while the cluster changes.
func (sim *simulator) run(ctx context.Context) {
	queue := make([]*slot, 0, len(sim.slots))
	for _, sl := range sim.slots {
		if sl.pending {
			queue = append(queue, sl)
		}
	}
	sort.SliceStable(queue, func(i, j int) bool { return queue[i].info.Priority > queue[j].info.Priority })
	for pass := 0; pass < 1000; pass++ {
		changed := false
		for _, sl := range queue {
			if ctx.Err() != nil {
				return
			}
			if !sl.pending || sl.lastVersion == sim.version {
				continue
			}
			if prev := sl.orderedAfter; prev != nil && !prev.placed {
				sl.res.Status = StatusNotCreated
				sl.res.Message = fmt.Sprintf("StatefulSet OrderedReady: not created until %s is Running and Ready", prev.res.Pod)
				continue
			}
			if sim.attempt(sl) {
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// attempt runs scheduling cycles for one pod (two when it preempts) and
// reports whether the cluster changed.
func (sim *simulator) attempt(sl *slot) bool {
	changed := false
	for try := 0; try < 2; try++ {
		sl.lastVersion = sim.version
		sl.res.Attempts++
		a := sim.scheduleOne(sl.info)
		if a.node != nil {
			sl.res.Status, sl.res.Message = StatusScheduled, ""
			sl.res.FeasibleNodes = nodeNames(a.feasible)
			sl.pending = false
			sim.place(sl, a.node)
			sim.version++
			return true
		}
		sl.res.Status, sl.res.Message, sl.res.FeasibleNodes = StatusUnschedulable, a.fitErr.Error(), []string{}
		if a.nominated == nil {
			return changed
		}
		sl.res.FirstFailure = sl.res.Message
		sl.res.NominatedNode = a.nominated.Name()
		sl.info.nominated = a.nominated.Name()
		for _, v := range a.victims {
			sim.evict(v, sl, a.nominated)
			sl.res.Victims = append(sl.res.Victims, v.Key)
		}
		sim.version++
		changed = true
	}
	return changed
}

// evict deletes a preemption victim.
func (sim *simulator) evict(v *PodInfo, by *slot, n *NodeInfo) {
	sim.snap.removePod(v)
	for _, sl := range sim.slots {
		if sl.info == v {
			sl.placed, sl.pending = false, false
			sl.res.Status, sl.res.Node, sl.res.FeasibleNodes = StatusPreempted, "", []string{}
			sl.res.PreemptedBy = by.res.Pod
			sl.res.Message = fmt.Sprintf("preempted by %s (priority %d) on node %s", by.res.Pod, by.info.Priority, n.Name())
		}
	}
}

// defaultSpread builds the system default spread constraints (hostname
// maxSkew 3, zone maxSkew 5, ScheduleAnyway) with helper.DefaultSelector:
// the selectors of Services selecting the pod plus its owning
// ReplicaSet, ReplicationController or StatefulSet.
func (sim *simulator) defaultSpread(p *PodInfo, owner labels.Selector) []spreadConstraint {
	if len(p.Pod.Spec.TopologySpreadConstraints) > 0 {
		return nil
	}
	set := labels.Set{}
	for _, svc := range sim.services {
		if svc.Namespace != p.Pod.Namespace || len(svc.Spec.Selector) == 0 {
			continue
		}
		if labels.SelectorFromSet(svc.Spec.Selector).Matches(p.labels) {
			set = labels.Merge(set, svc.Spec.Selector)
		}
	}
	sel := set.AsSelector()
	if owner != nil {
		if reqs, ok := owner.Requirements(); ok {
			sel = sel.Add(reqs...)
		}
	}
	if sel.Empty() {
		return nil
	}
	sig := "spread|" + p.Pod.Namespace + "|" + sel.String()
	return []spreadConstraint{
		{maxSkew: 3, topologyKey: corev1.LabelHostname, selector: sel, minDomains: 1, honorAffinity: true, sig: sig},
		{maxSkew: 5, topologyKey: corev1.LabelTopologyZone, selector: sel, minDomains: 1, honorAffinity: true, sig: sig},
	}
}

// HasNodes reports whether the model declares any node (a Node object or
// a NodePool); without nodes placement has nothing to say.
func HasNodes(m *cluster.Model) bool {
	if m.Has("", "Node") {
		return true
	}
	for _, o := range m.Objects() {
		if o.GVK.Kind == "NodePool" {
			return true
		}
	}
	return false
}
