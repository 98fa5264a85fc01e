package placement

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Builders for the PodTopologySpread tests. Every constraint selects
// app=web unless a modifier changes it.

// labelPairs turns "k1", "v1", "k2", "v2" into a map.
func labelPairs(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// zoneNode builds a node in zone (no zone label when zone is "") with
// extra label pairs.
func zoneNode(name, zone string, kv ...string) *corev1.Node {
	l := labelPairs(kv...)
	if zone != "" {
		l[corev1.LabelTopologyZone] = zone
	}
	return node(name, "4", "8Gi", l)
}

// labeledPod builds a pod in "default" with the label pairs.
func labeledPod(name string, kv ...string) *corev1.Pod {
	p := pod(name, "")
	p.Labels = labelPairs(kv...)
	return p
}

// inNamespace moves a pod to namespace ns.
func inNamespace(ns string, p *corev1.Pod) *corev1.Pod {
	p.Namespace = ns
	return p
}

// withSpread adds topology spread constraints to a pod.
func withSpread(p *corev1.Pod, cs ...corev1.TopologySpreadConstraint) *corev1.Pod {
	p.Spec.TopologySpreadConstraints = append(p.Spec.TopologySpreadConstraints, cs...)
	return p
}

type spreadMod func(*corev1.TopologySpreadConstraint)

// doNotSchedule builds a DoNotSchedule constraint on key selecting app=web.
func doNotSchedule(key string, maxSkew int32, mods ...spreadMod) corev1.TopologySpreadConstraint {
	c := corev1.TopologySpreadConstraint{MaxSkew: maxSkew, TopologyKey: key, WhenUnsatisfiable: corev1.DoNotSchedule,
		LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}
	for _, m := range mods {
		m(&c)
	}
	return c
}

func withMinDomains(n int32) spreadMod {
	return func(c *corev1.TopologySpreadConstraint) { c.MinDomains = &n }
}

func withAffinityPolicy(p corev1.NodeInclusionPolicy) spreadMod {
	return func(c *corev1.TopologySpreadConstraint) { c.NodeAffinityPolicy = &p }
}

func withTaintsPolicy(p corev1.NodeInclusionPolicy) spreadMod {
	return func(c *corev1.TopologySpreadConstraint) { c.NodeTaintsPolicy = &p }
}

func withMatchLabelKeys(keys ...string) spreadMod {
	return func(c *corev1.TopologySpreadConstraint) { c.MatchLabelKeys = keys }
}

func scheduleAnyway(c *corev1.TopologySpreadConstraint) { c.WhenUnsatisfiable = corev1.ScheduleAnyway }

// placedPod is an existing pod bound to a node before the filter runs.
type placedPod struct {
	node string
	pod  *corev1.Pod
}

// webPods places one app=web pod (plus label pairs) on each named node.
func webPods(nodes []string, kv ...string) []placedPod {
	out := make([]placedPod, len(nodes))
	for i, n := range nodes {
		out[i] = placedPod{node: n, pod: labeledPod("web-"+n+"-"+string(rune('a'+i)), append([]string{"app", "web"}, kv...)...)}
	}
	return out
}

// spreadStatus is the status the PodTopologySpread filter returns.
func spreadStatus(code Code, reason string) *Status {
	return &Status{Code: code, Reasons: []string{reason}, Plugin: NamePodTopologySpread}
}

func TestPodTopologySpreadFilter(t *testing.T) {
	zone := corev1.LabelTopologyZone
	host := corev1.LabelHostname
	skewed := spreadStatus(Unschedulable, ReasonSpread)
	missing := spreadStatus(UnschedulableAndUnresolvable, ReasonSpreadMissingLabel)
	threeZones := func() []*corev1.Node {
		return []*corev1.Node{zoneNode("a1", "a"), zoneNode("b1", "b"), zoneNode("c1", "c")}
	}
	web := func(kv ...string) *corev1.Pod { return labeledPod("p", append([]string{"app", "web"}, kv...)...) }
	spotTaint := corev1.Taint{Key: "spot", Value: "true", Effect: corev1.TaintEffectNoSchedule}
	gold := func(name, z string) *corev1.Node { return zoneNode(name, z, "pool", "gold") }
	tests := []struct {
		name     string
		nodes    []*corev1.Node
		existing []placedPod
		incoming *corev1.Pod
		on       string // node filtered
		want     *Status
	}{
		// maxSkew: matching pods in the node's domain + 1 (self) - global minimum > maxSkew rejects.
		{name: "a node whose domain would exceed the global minimum by more than maxSkew is Unschedulable",
			nodes: threeZones(), existing: webPods([]string{"a1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1)), on: "a1", want: skewed},
		{name: "a node in the domain holding the global minimum fits",
			nodes: threeZones(), existing: webPods([]string{"a1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1)), on: "b1"},
		{name: "skew equal to maxSkew is allowed (only skew > maxSkew rejects)",
			nodes: threeZones(), existing: webPods([]string{"a1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 2)), on: "a1"},
		{name: "matching pods are summed over every node of the domain",
			nodes:    []*corev1.Node{zoneNode("a1", "a"), zoneNode("a2", "a"), zoneNode("b1", "b")},
			existing: webPods([]string{"a2", "a2", "b1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1)), on: "a1", want: skewed},
		{name: "an incoming pod its own selector does not match adds no self count to the skew",
			nodes: threeZones(), existing: webPods([]string{"a1"}),
			incoming: withSpread(labeledPod("p", "app", "batch"), doNotSchedule(zone, 1)), on: "a1"},
		{name: "every DoNotSchedule constraint must hold (hostname skew rejects although the zone skew is fine)",
			nodes:    []*corev1.Node{zoneNode("a1", "a"), zoneNode("a2", "a"), zoneNode("b1", "b"), zoneNode("b2", "b")},
			existing: webPods([]string{"a1", "b1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1), doNotSchedule(host, 1)), on: "a1", want: skewed},

		// Topology key.
		{name: "a node without the topology key is UnschedulableAndUnresolvable (missing required label)",
			nodes:    []*corev1.Node{zoneNode("a1", "a"), zoneNode("x1", "")},
			incoming: withSpread(web(), doNotSchedule(zone, 1)), on: "x1", want: missing},
		{name: "a node missing the key of a later constraint is rejected for the missing label",
			nodes:    []*corev1.Node{zoneNode("a1", "a", "rack", "r1"), zoneNode("b1", "b")},
			incoming: withSpread(web(), doNotSchedule(zone, 1), doNotSchedule("rack", 1)), on: "b1", want: missing},
		{name: "a node missing any constraint's key is no domain of any constraint, so its pods do not count",
			nodes:    []*corev1.Node{zoneNode("a1", "a"), zoneNode("a2", "a"), zoneNode("x1", "")},
			existing: webPods([]string{"a1", "a2"}),
			incoming: withSpread(web(), doNotSchedule(host, 1), doNotSchedule(zone, 5)), on: "a1"},

		// minDomains.
		{name: "fewer eligible domains than minDomains make the global minimum 0",
			nodes: []*corev1.Node{zoneNode("a1", "a"), zoneNode("b1", "b")}, existing: webPods([]string{"a1", "b1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1, withMinDomains(3))), on: "a1", want: skewed},
		{name: "as many eligible domains as minDomains keep the real global minimum",
			nodes: []*corev1.Node{zoneNode("a1", "a"), zoneNode("b1", "b")}, existing: webPods([]string{"a1", "b1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1, withMinDomains(2))), on: "a1"},
		{name: "domains excluded by nodeAffinityPolicy Honor do not count towards minDomains",
			nodes:    []*corev1.Node{gold("a1", "a"), gold("b1", "b"), zoneNode("c1", "c")},
			existing: webPods([]string{"a1", "b1", "c1"}),
			incoming: func() *corev1.Pod {
				p := withSpread(web(), doNotSchedule(zone, 1, withMinDomains(3)))
				p.Spec.NodeSelector = map[string]string{"pool": "gold"}
				return p
			}(), on: "a1", want: skewed},

		// nodeAffinityPolicy.
		{name: "nodeAffinityPolicy defaults to Honor: a domain only of nodes outside the pod's nodeSelector is not counted",
			nodes:    []*corev1.Node{gold("a1", "a"), gold("b1", "b"), zoneNode("c1", "c")},
			existing: webPods([]string{"a1", "b1"}),
			incoming: func() *corev1.Pod {
				p := withSpread(web(), doNotSchedule(zone, 1))
				p.Spec.NodeSelector = map[string]string{"pool": "gold"}
				return p
			}(), on: "a1"},
		{name: "nodeAffinityPolicy Honor also applies required node affinity",
			nodes:    []*corev1.Node{gold("a1", "a"), gold("b1", "b"), zoneNode("c1", "c")},
			existing: webPods([]string{"a1", "b1"}),
			incoming: func() *corev1.Pod {
				p := withSpread(web(), doNotSchedule(zone, 1, withAffinityPolicy(corev1.NodeInclusionPolicyHonor)))
				p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
					NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{
						{Key: "pool", Operator: corev1.NodeSelectorOpIn, Values: []string{"gold"}}}}}}}}
				return p
			}(), on: "a1"},
		{name: "nodeAffinityPolicy Ignore counts domains of nodes outside the pod's nodeSelector",
			nodes:    []*corev1.Node{gold("a1", "a"), gold("b1", "b"), zoneNode("c1", "c")},
			existing: webPods([]string{"a1", "b1"}),
			incoming: func() *corev1.Pod {
				p := withSpread(web(), doNotSchedule(zone, 1, withAffinityPolicy(corev1.NodeInclusionPolicyIgnore)))
				p.Spec.NodeSelector = map[string]string{"pool": "gold"}
				return p
			}(), on: "a1", want: skewed},
		{name: "under nodeAffinityPolicy Honor pods on nodes outside the nodeSelector are not counted in their domain",
			nodes:    []*corev1.Node{gold("a1", "a"), zoneNode("a2", "a"), gold("b1", "b")},
			existing: webPods([]string{"a2", "a2"}),
			incoming: func() *corev1.Pod {
				p := withSpread(web(), doNotSchedule(zone, 1))
				p.Spec.NodeSelector = map[string]string{"pool": "gold"}
				return p
			}(), on: "a1"},

		// nodeTaintsPolicy.
		{name: "nodeTaintsPolicy defaults to Ignore: a domain of untolerated tainted nodes still holds the global minimum",
			nodes:    []*corev1.Node{zoneNode("a1", "a"), zoneNode("b1", "b"), nodeWithTaints(zoneNode("c1", "c"), spotTaint)},
			existing: webPods([]string{"a1", "b1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1)), on: "a1", want: skewed},
		{name: "nodeTaintsPolicy Honor leaves out domains of nodes with untolerated taints",
			nodes:    []*corev1.Node{zoneNode("a1", "a"), zoneNode("b1", "b"), nodeWithTaints(zoneNode("c1", "c"), spotTaint)},
			existing: webPods([]string{"a1", "b1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1, withTaintsPolicy(corev1.NodeInclusionPolicyHonor))), on: "a1"},
		{name: "nodeTaintsPolicy Honor counts tainted nodes whose taints the pod tolerates",
			nodes:    []*corev1.Node{zoneNode("a1", "a"), zoneNode("b1", "b"), nodeWithTaints(zoneNode("c1", "c"), spotTaint)},
			existing: webPods([]string{"a1", "b1"}),
			incoming: podWithTolerations(withSpread(web(), doNotSchedule(zone, 1, withTaintsPolicy(corev1.NodeInclusionPolicyHonor))),
				corev1.Toleration{Key: "spot", Operator: corev1.TolerationOpExists}), on: "a1", want: skewed},
		{name: "nodeTaintsPolicy Honor ignores PreferNoSchedule taints",
			nodes: []*corev1.Node{zoneNode("a1", "a"), zoneNode("b1", "b"),
				nodeWithTaints(zoneNode("c1", "c"), corev1.Taint{Key: "spot", Effect: corev1.TaintEffectPreferNoSchedule})},
			existing: webPods([]string{"a1", "b1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1, withTaintsPolicy(corev1.NodeInclusionPolicyHonor))), on: "a1", want: skewed},

		// matchLabelKeys.
		{name: "without matchLabelKeys pods of every revision count",
			nodes: threeZones(), existing: webPods([]string{"a1"}, "pod-template-hash", "v1"),
			incoming: withSpread(web("pod-template-hash", "v2"), doNotSchedule(zone, 1)), on: "a1", want: skewed},
		{name: "matchLabelKeys merges the incoming pod's label values into the selector, so other revisions do not count",
			nodes: threeZones(), existing: webPods([]string{"a1"}, "pod-template-hash", "v1"),
			incoming: withSpread(web("pod-template-hash", "v2"), doNotSchedule(zone, 1, withMatchLabelKeys("pod-template-hash"))), on: "a1"},
		{name: "matchLabelKeys still counts pods with the incoming pod's label value",
			nodes: threeZones(), existing: webPods([]string{"a1"}, "pod-template-hash", "v2"),
			incoming: withSpread(web("pod-template-hash", "v2"), doNotSchedule(zone, 1, withMatchLabelKeys("pod-template-hash"))), on: "a1", want: skewed},
		{name: "a matchLabelKeys key the incoming pod does not carry is ignored",
			nodes: threeZones(), existing: webPods([]string{"a1"}, "pod-template-hash", "v1"),
			incoming: withSpread(web(), doNotSchedule(zone, 1, withMatchLabelKeys("pod-template-hash"))), on: "a1", want: skewed},

		// Which pods count.
		{name: "pods in another namespace do not count even when their labels match",
			nodes: threeZones(), existing: []placedPod{{node: "a1", pod: inNamespace("team-b", labeledPod("w", "app", "web"))}},
			incoming: withSpread(web(), doNotSchedule(zone, 1)), on: "a1"},
		{name: "spreading counts the incoming pod's namespace, not default",
			nodes: threeZones(), existing: []placedPod{{node: "a1", pod: inNamespace("team-b", labeledPod("w", "app", "web"))}},
			incoming: inNamespace("team-b", withSpread(web(), doNotSchedule(zone, 1))), on: "a1", want: skewed},
		{name: "pods the label selector does not match do not count",
			nodes: threeZones(), existing: []placedPod{{node: "a1", pod: labeledPod("w", "app", "batch")}},
			incoming: withSpread(web(), doNotSchedule(zone, 1)), on: "a1"},
		{name: "terminating pods do not count",
			nodes: threeZones(), existing: []placedPod{{node: "a1", pod: func() *corev1.Pod {
				p := labeledPod("w", "app", "web")
				p.DeletionTimestamp = &metav1.Time{}
				return p
			}()}},
			incoming: withSpread(web(), doNotSchedule(zone, 1)), on: "a1"},

		// ScheduleAnyway.
		{name: "a ScheduleAnyway constraint never filters, however skewed",
			nodes: threeZones(), existing: webPods([]string{"a1", "a1", "a1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1, scheduleAnyway)), on: "a1"},
		{name: "a ScheduleAnyway constraint never filters a node without its topology key",
			nodes:    []*corev1.Node{zoneNode("a1", "a"), zoneNode("x1", "")},
			incoming: withSpread(web(), doNotSchedule(zone, 1, scheduleAnyway)), on: "x1"},
		{name: "a ScheduleAnyway constraint's key does not exclude nodes from a DoNotSchedule constraint's domains",
			nodes:    []*corev1.Node{zoneNode("a1", "a"), zoneNode("b1", "b", "rack", "r1"), zoneNode("c1", "c", "rack", "r2")},
			existing: webPods([]string{"b1", "c1"}),
			incoming: withSpread(web(), doNotSchedule(zone, 1), doNotSchedule("rack", 1, scheduleAnyway)), on: "b1", want: skewed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSnapshot(tc.nodes...)
			for _, e := range tc.existing {
				n := s.Node(e.node)
				if n == nil {
					t.Fatalf("no node %s", e.node)
				}
				s.addPod(testPod(e.pod), n)
			}
			got := runFilter(t, NamePodTopologySpread, testPod(tc.incoming), s, s.Node(tc.on))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
