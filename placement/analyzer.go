package placement

import (
	"context"
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// AnalyzerOptions tunes the placement analyzer.
type AnalyzerOptions struct {
	// Simulation is passed to every simulation.
	Simulation Options
	// MaxFailureSimulations bounds how many node-down, zone-down and
	// rollout what-ifs run (each is a whole simulation); 0 means 50.
	MaxFailureSimulations int
}

// Analyzer turns a placement simulation into lint findings. It satisfies
// lint.Analyzer.
type Analyzer struct {
	opts AnalyzerOptions
}

// NewAnalyzer returns the placement analyzer.
func NewAnalyzer(opts AnalyzerOptions) *Analyzer {
	if opts.MaxFailureSimulations <= 0 {
		opts.MaxFailureSimulations = 50
	}
	return &Analyzer{opts: opts}
}

// Name is "placement".
func (a *Analyzer) Name() string { return AnalyzerName }

// Rules lists the placement rules.
func (a *Analyzer) Rules() []finding.Rule {
	rs := rules()
	for i := range rs {
		rs[i].Source = AnalyzerName
	}
	return rs
}

// NoNodesNote is the note Notes returns when the model declares no node.
const NoNodesNote = "placement skipped: no nodes among the inputs (add Node objects, a NodePool, or --nodes)"

// Notes returns what the analyzer wants said beside its findings: the
// no-nodes notice, and nodes without pods capacity.
func (a *Analyzer) Notes(m *cluster.Model) []string {
	if !HasNodes(m) {
		return []string{NoNodesNote}
	}
	return nil
}

// analysis is one Run's shared data.
type analysis struct {
	m      *cluster.Model
	base   *Result
	nodes  []declaredNode
	byWl   map[*cluster.Object][]*PodResult
	wls    []*cluster.Workload
	budget int
	opts   AnalyzerOptions
}

// Run simulates the model and reports the placement rules. Without nodes
// it reports nothing (see Notes).
func (a *Analyzer) Run(ctx context.Context, m *cluster.Model) []finding.Finding {
	if !HasNodes(m) {
		return nil
	}
	an := &analysis{m: m, base: Simulate(ctx, m, a.opts.Simulation), byWl: map[*cluster.Object][]*PodResult{},
		budget: a.opts.MaxFailureSimulations, opts: a.opts}
	an.nodes, _ = collectNodes(m)
	for i := range an.base.Pods {
		p := &an.base.Pods[i]
		if w := p.Workload(); w != nil {
			if _, ok := an.byWl[w.Object]; !ok {
				an.wls = append(an.wls, w)
			}
			an.byWl[w.Object] = append(an.byWl[w.Object], p)
		}
	}
	var out []finding.Finding
	for _, w := range an.wls {
		out = append(out, an.unschedulable(w)...)
		out = append(out, an.requestsMissing(w)...)
		out = append(out, an.selectorMatchesNoNode(w)...)
		out = append(out, an.daemonSetCoverage(w)...)
		out = append(out, an.concentration(w)...)
		out = append(out, an.wouldPreempt(w)...)
	}
	out = append(out, an.failures(ctx)...)
	out = append(out, an.rollouts(ctx)...)
	for i := range out {
		out[i].Severity = severityOf(out[i].RuleID)
	}
	return out
}

func severityOf(id string) finding.Severity {
	for _, r := range rules() {
		if r.ID == id {
			return r.Severity
		}
	}
	return finding.SeverityWarning
}

// workloadName renders "Deployment shop/web".
func workloadName(w *cluster.Workload) string {
	return w.Object.GVK.Kind + " " + w.Object.Namespace + "/" + w.Object.Name
}

func placedCount(ps []*PodResult) int {
	n := 0
	for _, p := range ps {
		if p.Placed() {
			n++
		}
	}
	return n
}

func (an *analysis) unschedulable(w *cluster.Workload) []finding.Finding {
	ps := an.byWl[w.Object]
	var pending []*PodResult
	for _, p := range ps {
		if p.Status == StatusUnschedulable || p.Status == StatusRejected {
			pending = append(pending, p)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	first := pending[0]
	verb := "would stay Pending"
	if first.Status == StatusRejected {
		verb = "would be rejected by the API server"
	}
	msg := fmt.Sprintf("%d of %d pods of %s %s; %s: %s", len(pending), len(ps), workloadName(w), verb, first.Pod, first.Message)
	return []finding.Finding{w.Object.Finding(RulePodUnschedulable, finding.SeverityError, w.SpecPath(), msg)}
}

func (an *analysis) requestsMissing(w *cluster.Workload) []finding.Finding {
	var info *PodInfo
	for _, p := range an.byWl[w.Object] {
		if p.info != nil {
			info = p.info
			break
		}
	}
	if info == nil {
		return nil
	}
	var out []finding.Finding
	for _, ref := range w.Containers() {
		c := findContainer(info.Pod, ref)
		if c == nil {
			continue
		}
		var missing []string
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			if _, ok := c.Resources.Requests[r]; !ok {
				missing = append(missing, string(r))
			}
		}
		if len(missing) == 0 {
			continue
		}
		msg := fmt.Sprintf("Container %q of %s requests no %s, so the scheduler counts it as zero when placing it and this plan assumes it needs nothing.",
			c.Name, workloadName(w), strings.Join(missing, " or "))
		out = append(out, w.Object.Finding(RuleRequestsMissing, finding.SeverityNote, ref.Path+".resources.requests", msg))
	}
	return out
}

// findContainer returns the admitted pod's container matching ref.
func findContainer(p *corev1.Pod, ref cluster.ContainerRef) *corev1.Container {
	cs := p.Spec.Containers
	if ref.Init {
		cs = p.Spec.InitContainers
	}
	for i := range cs {
		if cs[i].Name == ref.Container.Name {
			return &cs[i]
		}
	}
	return nil
}

func (an *analysis) selectorMatchesNoNode(w *cluster.Workload) []finding.Finding {
	spec := w.Spec()
	hasAffinity := spec.Affinity != nil && spec.Affinity.NodeAffinity != nil && spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil
	if len(spec.NodeSelector) == 0 && !hasAffinity {
		return nil
	}
	req := nodeaffinity.NewRequiredNodeAffinity(spec.NodeSelector, spec.Affinity)
	for _, n := range an.nodes {
		if ok, _ := req.Match(n.node); ok {
			return nil
		}
	}
	path := w.SpecPath() + ".nodeSelector"
	what := "nodeSelector"
	if len(spec.NodeSelector) == 0 {
		path, what = w.SpecPath()+".affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution", "required node affinity"
	}
	msg := fmt.Sprintf("The %s of %s matches none of the %d declared nodes, so its pods can never be scheduled.", what, workloadName(w), len(an.nodes))
	return []finding.Finding{w.Object.Finding(RuleNodeSelectorMatchesNoNode, finding.SeverityError, path, msg)}
}

func (an *analysis) daemonSetCoverage(w *cluster.Workload) []finding.Finding {
	if !w.PerNode {
		return nil
	}
	spec := w.Spec()
	req := nodeaffinity.NewRequiredNodeAffinity(spec.NodeSelector, spec.Affinity)
	running := map[string]bool{}
	for _, p := range an.byWl[w.Object] {
		if p.Placed() {
			running[p.Node] = true
		}
	}
	var missing []string
	var related []finding.Location
	selected := 0
	for _, n := range an.nodes {
		if ok, _ := req.Match(n.node); !ok {
			continue
		}
		selected++
		if !running[n.node.Name] {
			missing = append(missing, n.node.Name)
			if n.obj != nil {
				loc := n.obj.Locate("metadata.name")
				loc.Message = "node " + n.node.Name + " runs no pod of the DaemonSet"
				related = append(related, loc)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	msg := fmt.Sprintf("%s runs on %d of the %d nodes it selects: no pod on %s, because of an untolerated taint or a pod that does not fit.",
		workloadName(w), selected-len(missing), selected, strings.Join(missing, ", "))
	f := w.Object.Finding(RuleDaemonSetNotOnAllNodes, finding.SeverityWarning, w.SpecPath()+".tolerations", msg)
	f.Related = related
	return []finding.Finding{f}
}

// concentration reports single-node and single-zone replicas.
func (an *analysis) concentration(w *cluster.Workload) []finding.Finding {
	if w.PerNode {
		return nil
	}
	if _, isPod := w.Object.Typed.(*corev1.Pod); isPod {
		return nil
	}
	nodes, zones := map[string]bool{}, map[string]bool{}
	for _, p := range an.byWl[w.Object] {
		if p.Placed() {
			nodes[p.Node] = true
			zones[an.zoneOf(p.Node)] = true
		}
	}
	if placedCount(an.byWl[w.Object]) < 2 {
		return nil
	}
	path := w.SpecPath()
	if w.ReplicasSet {
		path = "spec.replicas"
	}
	if len(nodes) == 1 && len(an.nodes) > 1 {
		msg := fmt.Sprintf("All %d placed replicas of %s land on node %s, so losing that one node stops the workload.", placedCount(an.byWl[w.Object]), workloadName(w), firstKey(nodes))
		return []finding.Finding{w.Object.Finding(RuleSingleNodeReplicas, finding.SeverityWarning, path, msg)}
	}
	if len(zones) == 1 && len(an.allZones()) > 1 && firstKey(zones) != "" {
		msg := fmt.Sprintf("All %d placed replicas of %s land in zone %s although the nodes span %d zones, so one zone outage stops the workload.",
			placedCount(an.byWl[w.Object]), workloadName(w), firstKey(zones), len(an.allZones()))
		return []finding.Finding{w.Object.Finding(RuleSingleZoneReplicas, finding.SeverityWarning, path, msg)}
	}
	return nil
}

func firstKey(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0]
}

func (an *analysis) zoneOf(node string) string {
	for _, n := range an.nodes {
		if n.node.Name == node {
			return n.node.Labels[corev1.LabelTopologyZone]
		}
	}
	return ""
}

// allZones returns the zones of the nodes, sorted, without "".
func (an *analysis) allZones() []string {
	set := map[string]bool{}
	for _, n := range an.nodes {
		if z := n.node.Labels[corev1.LabelTopologyZone]; z != "" {
			set[z] = true
		}
	}
	out := make([]string, 0, len(set))
	for z := range set {
		out = append(out, z)
	}
	sort.Strings(out)
	return out
}

func (an *analysis) wouldPreempt(w *cluster.Workload) []finding.Finding {
	var out []finding.Finding
	for _, p := range an.byWl[w.Object] {
		if len(p.Victims) == 0 {
			continue
		}
		msg := fmt.Sprintf("Pod %s (priority %d) fits only by preempting %s on node %s, which are deleted to make room.",
			p.Pod, p.Priority, strings.Join(p.Victims, ", "), p.NominatedNode)
		f := w.Object.Finding(RuleWouldPreempt, finding.SeverityWarning, w.SpecPath()+".priorityClassName", msg)
		for _, v := range p.Victims {
			if vr := an.base.ByPod(v); vr != nil && vr.Workload() != nil {
				loc := vr.Workload().Object.Locate("metadata.name")
				loc.Message = "victim " + v
				f.Related = append(f.Related, loc)
			}
		}
		out = append(out, f)
	}
	return out
}
