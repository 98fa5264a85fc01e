package placement

import (
	"context"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// replicated reports whether a workload's controller recreates lost pods
// elsewhere (the workloads failure what-ifs judge).
func replicated(w *cluster.Workload) bool {
	switch w.Object.GVK.Kind {
	case "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController":
		return true
	}
	return false
}

// outage is one what-if's victims: workload -> reason.
type outage struct {
	target string
	reason map[*cluster.Object]string
}

// failures simulates losing each node that runs replicated pods, then each
// zone, and reports workloads left with no replica placed (or, for a node,
// with fewer running pods than their PodDisruptionBudget requires).
func (an *analysis) failures(ctx context.Context) []finding.Finding {
	var nodeOutages, zoneOutages []outage
	used := map[string]bool{}
	for _, w := range an.wls {
		if !replicated(w) {
			continue
		}
		for _, p := range an.byWl[w.Object] {
			if p.Placed() {
				used[p.Node] = true
			}
		}
	}
	for _, n := range an.nodes {
		if !used[n.node.Name] || an.budget <= 0 {
			continue
		}
		an.budget--
		opts := an.opts.Simulation
		opts.NodesDown = []string{n.node.Name}
		o := an.compare(ctx, "node "+n.node.Name, opts)
		an.pdbLoss(n.node.Name, o)
		nodeOutages = append(nodeOutages, o)
	}
	if zones := an.allZones(); len(zones) > 1 {
		for _, z := range zones {
			if an.budget <= 0 {
				break
			}
			an.budget--
			opts := an.opts.Simulation
			opts.ZonesDown = []string{z}
			zoneOutages = append(zoneOutages, an.compare(ctx, "zone "+z, opts))
		}
	}
	return append(an.outageFindings(RuleNodeFailureOutage, nodeOutages), an.outageFindings(RuleZoneFailureOutage, zoneOutages)...)
}

// compare runs one what-if and records replicated workloads that had a
// placed pod before and none after.
func (an *analysis) compare(ctx context.Context, target string, opts Options) outage {
	res := Simulate(ctx, an.m, opts)
	o := outage{target: target, reason: map[*cluster.Object]string{}}
	after := map[*cluster.Object][]*PodResult{}
	for i := range res.Pods {
		if w := res.Pods[i].Workload(); w != nil {
			after[w.Object] = append(after[w.Object], &res.Pods[i])
		}
	}
	for _, w := range an.wls {
		if !replicated(w) || placedCount(an.byWl[w.Object]) == 0 || placedCount(after[w.Object]) > 0 {
			continue
		}
		why := "no pod of it fits on the remaining nodes"
		for _, p := range after[w.Object] {
			if p.Message != "" {
				why = p.Pod + ": " + p.Message
				break
			}
		}
		o.reason[w.Object] = fmt.Sprintf("losing %s leaves %s with no running replica (%s)", target, workloadName(w), why)
	}
	return o
}

// pdbLoss adds workloads whose pods left running when node goes down are
// fewer than a PodDisruptionBudget selecting them requires.
func (an *analysis) pdbLoss(node string, o outage) {
	for _, w := range an.wls {
		if !replicated(w) {
			continue
		}
		if _, done := o.reason[w.Object]; done {
			continue
		}
		ps := an.byWl[w.Object]
		for _, pdb := range an.pdbsFor(ps) {
			expected, left := 0, 0
			for _, p := range ps {
				expected++
				if p.Placed() && p.Node != node {
					left++
				}
			}
			if want := desiredHealthy(pdb, expected); left < want {
				o.reason[w.Object] = fmt.Sprintf("losing node %s leaves %d running pods of %s, below the %d its PodDisruptionBudget %s requires",
					node, left, workloadName(w), want, pdb.Name)
				break
			}
		}
	}
}

// outageFindings turns outages into one finding per workload, naming every
// node or zone whose loss stops it.
func (an *analysis) outageFindings(rule string, outs []outage) []finding.Finding {
	var out []finding.Finding
	for _, w := range an.wls {
		var first string
		var targets []string
		for _, o := range outs {
			if r, ok := o.reason[w.Object]; ok {
				if first == "" {
					first = r
				}
				targets = append(targets, o.target)
			}
		}
		if first == "" {
			continue
		}
		msg := first
		if len(targets) > 1 {
			msg += fmt.Sprintf("; the same holds for %s", strings.Join(targets[1:], ", "))
		}
		msg = strings.ToUpper(msg[:1]) + msg[1:] + "."
		path := w.SpecPath()
		if w.ReplicasSet {
			path = "spec.replicas"
		}
		out = append(out, w.Object.Finding(rule, finding.SeverityWarning, path, msg))
	}
	return out
}

// rollouts checks, for each Deployment whose pods all fit, that maxSurge
// extra pods fit too while the old ones run.
func (an *analysis) rollouts(ctx context.Context) []finding.Finding {
	var out []finding.Finding
	for _, w := range an.wls {
		d, ok := w.Object.Typed.(*appsv1.Deployment)
		if !ok || an.budget <= 0 {
			continue
		}
		ps := an.byWl[w.Object]
		if len(ps) == 0 || placedCount(ps) != len(ps) {
			continue
		}
		surge := maxSurge(d, len(ps))
		if surge == 0 {
			continue
		}
		an.budget--
		opts := an.opts.Simulation
		opts.Surge = map[*cluster.Object]int{w.Object: surge}
		res := Simulate(ctx, an.m, opts)
		var stuck []*PodResult
		for i := range res.Pods {
			p := &res.Pods[i]
			if p.Workload() == w && strings.Contains(p.Pod, "-surge-") && !p.Placed() {
				stuck = append(stuck, p)
			}
		}
		if len(stuck) == 0 {
			continue
		}
		msg := fmt.Sprintf("A rollout of %s creates %d new pod(s) (maxSurge) while the old ones run, and %d of them fit nowhere, so the rollout stalls; %s",
			workloadName(w), surge, len(stuck), stuck[0].Message)
		out = append(out, w.Object.Finding(RuleRollingUpdateNoHeadroom, finding.SeverityWarning, "spec.strategy.rollingUpdate.maxSurge", msg))
	}
	return out
}

// maxSurge resolves a Deployment's maxSurge (default 25%, rounded up) for
// its replica count; 0 for the Recreate strategy.
func maxSurge(d *appsv1.Deployment, replicas int) int {
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		return 0
	}
	v := intstr.FromString("25%")
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil && ru.MaxSurge != nil {
		v = *ru.MaxSurge
	}
	n, err := intstr.GetScaledValueFromIntOrPercent(&v, replicas, true)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// pdbsFor returns the PodDisruptionBudgets selecting the first of ps.
func (an *analysis) pdbsFor(ps []*PodResult) []*policyv1.PodDisruptionBudget {
	if len(ps) == 0 || ps[0].info == nil {
		return nil
	}
	var out []*policyv1.PodDisruptionBudget
	for _, o := range an.m.Unique() {
		pdb, ok := o.Typed.(*policyv1.PodDisruptionBudget)
		if !ok || o.Namespace != ps[0].info.Pod.Namespace {
			continue
		}
		sel := selectorOrNothing(pdb.Spec.Selector)
		if !sel.Empty() && sel.Matches(ps[0].info.labels) {
			c := pdb.DeepCopy()
			c.Namespace = o.Namespace
			out = append(out, c)
		}
	}
	return out
}
