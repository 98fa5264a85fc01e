package placement

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// runFilter runs one default filter (with its PreFilter) for pod on the
// last node of the snapshot, with placed pods already on their nodes.
func runFilter(t *testing.T, name string, p *PodInfo, s *Snapshot, n *NodeInfo) *Status {
	t.Helper()
	for _, f := range defaultFilters(s, Options{}) {
		if f.Name() != name {
			continue
		}
		if pf, ok := f.(preFilter); ok {
			if st := pf.preFilter(p, s); st != nil {
				return st
			}
		}
		return f.Filter(p, n)
	}
	t.Fatalf("no filter %s", name)
	return nil
}

func reasons(st *Status) []string {
	if st == nil {
		return nil
	}
	return st.Reasons
}

func TestTaintTolerationFilter(t *testing.T) {
	gpu := corev1.Taint{Key: "nvidia.com/gpu", Value: "present", Effect: corev1.TaintEffectNoSchedule}
	tests := []struct {
		name  string
		taint corev1.Taint
		tols  []corev1.Toleration
		want  *Status
	}{
		{name: "untolerated NoSchedule taint rejects as unresolvable with v1.37's reason", taint: gpu,
			want: NewStatus(UnschedulableAndUnresolvable, ReasonUntoleratedTaint)},
		{name: "Equal toleration with the same value tolerates", taint: gpu,
			tols: []corev1.Toleration{{Key: "nvidia.com/gpu", Operator: corev1.TolerationOpEqual, Value: "present", Effect: corev1.TaintEffectNoSchedule}}},
		{name: "Equal toleration with another value does not tolerate", taint: gpu,
			tols: []corev1.Toleration{{Key: "nvidia.com/gpu", Operator: corev1.TolerationOpEqual, Value: "absent", Effect: corev1.TaintEffectNoSchedule}},
			want: NewStatus(UnschedulableAndUnresolvable, ReasonUntoleratedTaint)},
		{name: "empty key with Exists tolerates every taint", taint: gpu,
			tols: []corev1.Toleration{{Operator: corev1.TolerationOpExists}}},
		{name: "empty effect matches every effect", taint: gpu,
			tols: []corev1.Toleration{{Key: "nvidia.com/gpu", Operator: corev1.TolerationOpExists}}},
		{name: "NoExecute toleration does not tolerate a NoSchedule taint", taint: gpu,
			tols: []corev1.Toleration{{Key: "nvidia.com/gpu", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute}},
			want: NewStatus(UnschedulableAndUnresolvable, ReasonUntoleratedTaint)},
		{name: "PreferNoSchedule never filters", taint: corev1.Taint{Key: "spot", Effect: corev1.TaintEffectPreferNoSchedule}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSnapshot(nodeWithTaints(node("n1", "4", "8Gi", nil), tc.taint))
			got := runFilter(t, NameTaintToleration, testPod(podWithTolerations(pod("p", ""), tc.tols...)), s, s.Nodes[0])
			if tc.want == nil != (got == nil) || (got != nil && (got.Code != tc.want.Code || got.Message() != tc.want.Message())) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestNodeUnschedulableFilter(t *testing.T) {
	cordoned := node("n1", "4", "8Gi", nil)
	cordoned.Spec.Unschedulable = true
	tests := []struct {
		name string
		tols []corev1.Toleration
		want []string
	}{
		{name: "cordoned node rejects pods (NodeUnschedulable)", want: []string{ReasonNodeUnschedulable}},
		{name: "toleration of node.kubernetes.io/unschedulable admits the pod",
			tols: []corev1.Toleration{{Key: corev1.TaintNodeUnschedulable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSnapshot(cordoned.DeepCopy())
			got := runFilter(t, NameNodeUnschedulable, testPod(podWithTolerations(pod("p", ""), tc.tols...)), s, s.Nodes[0])
			if !equalStrings(reasons(got), tc.want) {
				t.Fatalf("got %v, want %v", reasons(got), tc.want)
			}
		})
	}
}

func TestNodeAffinityFilter(t *testing.T) {
	req := func(key string, op corev1.NodeSelectorOperator, values ...string) *corev1.Affinity {
		return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: key, Operator: op, Values: values}}}}}}}
	}
	tests := []struct {
		name     string
		selector map[string]string
		affinity *corev1.Affinity
		fits     bool
	}{
		{name: "nodeSelector matches exact labels", selector: map[string]string{"tier": "gold"}, fits: true},
		{name: "nodeSelector with a missing label does not match", selector: map[string]string{"disk": "ssd"}},
		{name: "Gt compares integers strictly", affinity: req("cores", corev1.NodeSelectorOpGt, "15"), fits: true},
		{name: "Gt with an equal value does not match", affinity: req("cores", corev1.NodeSelectorOpGt, "16")},
		{name: "NotIn matches nodes without the label", affinity: req("spot", corev1.NodeSelectorOpNotIn, "true"), fits: true},
		{name: "DoesNotExist rejects nodes with the label", affinity: req("tier", corev1.NodeSelectorOpDoesNotExist)},
		{name: "Gt with a non-integer value matches nothing", affinity: req("cores", corev1.NodeSelectorOpGt, "many")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSnapshot(node("n1", "4", "8Gi", map[string]string{"tier": "gold", "cores": "16"}))
			p := pod("p", "")
			p.Spec.NodeSelector, p.Spec.Affinity = tc.selector, tc.affinity
			got := runFilter(t, NameNodeAffinity, testPod(p), s, s.Nodes[0])
			if (got == nil) != tc.fits {
				t.Fatalf("fits=%v, want %v (%v)", got == nil, tc.fits, reasons(got))
			}
		})
	}
}

func TestNodePortsFilter(t *testing.T) {
	withPort := func(name, ip string, proto corev1.Protocol, port int32) *corev1.Pod {
		p := pod(name, "")
		p.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 80, HostPort: port, HostIP: ip, Protocol: proto}}
		return p
	}
	tests := []struct {
		name     string
		existing *corev1.Pod
		incoming *corev1.Pod
		fits     bool
	}{
		{name: "same TCP hostPort on 0.0.0.0 conflicts", existing: withPort("a", "", "", 8080), incoming: withPort("b", "", "", 8080)},
		{name: "UDP and TCP on the same port do not conflict", existing: withPort("a", "", "", 8080), incoming: withPort("b", "", corev1.ProtocolUDP, 8080), fits: true},
		{name: "a specific hostIP conflicts with 0.0.0.0", existing: withPort("a", "", "", 8080), incoming: withPort("b", "10.0.0.1", "", 8080)},
		{name: "two different specific hostIPs do not conflict", existing: withPort("a", "10.0.0.2", "", 8080), incoming: withPort("b", "10.0.0.1", "", 8080), fits: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSnapshot(node("n1", "4", "8Gi", nil))
			s.addPod(testPod(tc.existing), s.Nodes[0])
			got := runFilter(t, NameNodePorts, testPod(tc.incoming), s, s.Nodes[0])
			if (got == nil) != tc.fits {
				t.Fatalf("fits=%v, want %v", got == nil, tc.fits)
			}
		})
	}
}

func TestNodeResourcesFitFilter(t *testing.T) {
	tests := []struct {
		name     string
		existing string
		cpu      string
		want     *Status
	}{
		{name: "request above free but within allocatable is resolvable", existing: "1500m", cpu: "1",
			want: NewStatus(Unschedulable, "Insufficient cpu")},
		{name: "request above the whole allocatable is unresolvable (preemption cannot help)", cpu: "3",
			want: NewStatus(UnschedulableAndUnresolvable, "Insufficient cpu")},
		{name: "request that fits passes", existing: "500m", cpu: "1500m"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSnapshot(node("n1", "2", "8Gi", nil))
			if tc.existing != "" {
				s.addPod(testPod(pod("old", tc.existing)), s.Nodes[0])
			}
			got := runFilter(t, NameNodeResourcesFit, testPod(pod("p", tc.cpu)), s, s.Nodes[0])
			if tc.want == nil != (got == nil) || (got != nil && (got.Code != tc.want.Code || got.Message() != tc.want.Message())) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestInterPodAffinityFilter(t *testing.T) {
	anti := func(p *corev1.Pod, app, key string) *corev1.Pod {
		p.Spec.Affinity = &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{{
			LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": app}}, TopologyKey: key}}}}
		return p
	}
	labeled := func(p *corev1.Pod, app string) *corev1.Pod { p.Labels["app"] = app; return p }
	tests := []struct {
		name     string
		existing *corev1.Pod
		incoming *corev1.Pod
		want     []string
	}{
		{name: "required anti-affinity rejects a node with a matching pod",
			existing: labeled(pod("a", ""), "cache"), incoming: anti(labeled(pod("b", ""), "cache"), "cache", corev1.LabelHostname),
			want: []string{ReasonAntiAffinity}},
		{name: "an existing pod's anti-affinity rejects a matching incoming pod",
			existing: anti(labeled(pod("a", ""), "cache"), "cache", corev1.LabelHostname), incoming: labeled(pod("b", ""), "cache"),
			want: []string{ReasonExistingAntiAffinity}},
		{name: "anti-affinity selects pods of the pod's own namespace only",
			existing: labeled(pod("a", ""), "cache"), incoming: func() *corev1.Pod {
				p := anti(labeled(pod("b", ""), "cache"), "cache", corev1.LabelHostname)
				p.Namespace = "team-b"
				return p
			}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSnapshot(node("n1", "4", "8Gi", nil))
			s.addPod(testPod(tc.existing), s.Nodes[0])
			got := runFilter(t, NameInterPodAffinity, testPod(tc.incoming), s, s.Nodes[0])
			if !equalStrings(reasons(got), tc.want) {
				t.Fatalf("got %v, want %v", reasons(got), tc.want)
			}
		})
	}
}

func TestFitErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		fe   FitError
		want string
	}{
		{name: "reasons are counted per node and sorted as strings (FitError.Error)",
			fe: FitError{NumAllNodes: 3, NodeStatus: map[string]*Status{
				"a": NewStatus(Unschedulable, "Insufficient cpu", "Insufficient memory"),
				"b": NewStatus(Unschedulable, "Insufficient cpu"),
				"c": NewStatus(UnschedulableAndUnresolvable, ReasonUntoleratedTaint)},
				PostFilterMsg: "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."},
			want: "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."},
		{name: "nodes a PreFilter excluded get the absent status",
			fe: FitError{NumAllNodes: 3, NodeStatus: map[string]*Status{"w2": NewStatus(Unschedulable, "Insufficient cpu")},
				Absent: NewStatus(UnschedulableAndUnresolvable, "node(s) didn't satisfy plugin(s) [NodeAffinity]")},
			want: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fe.Error(); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
