package placement

import (
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"

	"github.com/kubeplan/kubeplan/lint/cluster"
)

// PodInfo is a pod with everything the filters and scores need computed
// once: requests, parsed affinity terms, spread constraints and host ports
// (upstream's framework.PodInfo plus the PreFilter work that depends only on
// the pod).
type PodInfo struct {
	// Pod is the pod after defaulting and admission.
	Pod *corev1.Pod
	// Key is "namespace/name".
	Key string
	// Workload is the object the pod was expanded from.
	Workload *cluster.Workload
	// Source names the owning workload ("Deployment default/web"); empty
	// for a bare Pod.
	Source string
	// Priority is spec.priority after the Priority admission plugin.
	Priority int32
	// Requests is what NodeResourcesFit checks; NonZero is what scoring
	// uses.
	Requests, NonZero Resources
	// Ports are the host ports the pod claims.
	Ports []hostPort

	order                      int // queue tie-break: input order
	startSeq                   int // when it started running (preemption tie-break)
	labels                     labels.Set
	nodeAff                    nodeaffinity.RequiredNodeAffinity
	nodeSet                    map[string]bool // NodeAffinity PreFilter result; nil = all
	prefer                     *nodeaffinity.PreferredSchedulingTerms
	affinity, antiAffinity     []affinityTerm
	preferAffinity, preferAnti []affinityTerm
	affinitySig, antiSig       string
	spreadHard, spreadSoft     []spreadConstraint
	defaultSpread              []spreadConstraint
	memo                       *nodeMemo
	nominated                  string
}

// hostPort is one (hostIP, protocol, hostPort) claim.
type hostPort struct {
	IP       string
	Protocol string
	Port     int32
}

// affinityTerm is a parsed PodAffinityTerm (fwk.AffinityTerm).
type affinityTerm struct {
	namespaces  map[string]bool
	nsSelector  labels.Selector // nil: none
	selector    labels.Selector
	topologyKey string
	weight      int32
	sig         string
}

// matches follows fwk.AffinityTerm.Matches: the pod's namespace is listed
// or selected, and its labels match.
func (t *affinityTerm) matches(p *PodInfo, nsLabels labels.Set) bool {
	if t.namespaces[p.Pod.Namespace] || (t.nsSelector != nil && t.nsSelector.Matches(nsLabels)) {
		return t.selector.Matches(p.labels)
	}
	return false
}

// matchesIn is matches with the namespace labels looked up only when the
// term has a namespace selector.
func (t *affinityTerm) matchesIn(p *PodInfo, nsl nsLabeler) bool {
	if t.namespaces[p.Pod.Namespace] {
		return t.selector.Matches(p.labels)
	}
	if t.nsSelector != nil && t.nsSelector.Matches(nsl(p.Pod.Namespace)) {
		return t.selector.Matches(p.labels)
	}
	return false
}

// spreadConstraint is a parsed TopologySpreadConstraint.
type spreadConstraint struct {
	maxSkew       int32
	topologyKey   string
	selector      labels.Selector
	minDomains    int32
	honorAffinity bool
	honorTaints   bool
	sig           string
}

// nsLabeler returns the labels of a namespace.
type nsLabeler func(ns string) labels.Set

// newPodInfo parses pod (already admitted). memo may be shared by pods
// with identical scheduling constraints.
func newPodInfo(pod *corev1.Pod, nsLabels nsLabeler, memo *nodeMemo) *PodInfo {
	p := &PodInfo{
		Pod:      pod,
		Key:      pod.Namespace + "/" + pod.Name,
		Priority: corev1helpers.PodPriority(pod),
		Requests: podRequests(pod),
		NonZero:  podNonZeroRequests(pod),
		labels:   labels.Set(pod.Labels),
		nodeAff:  nodeaffinity.GetRequiredNodeAffinity(pod),
		memo:     memo,
	}
	p.Ports = podHostPorts(pod)
	p.nodeSet = nodeNamesFromAffinity(pod)
	if a := pod.Spec.Affinity; a != nil {
		if na := a.NodeAffinity; na != nil && len(na.PreferredDuringSchedulingIgnoredDuringExecution) > 0 {
			p.prefer, _ = nodeaffinity.NewPreferredSchedulingTerms(na.PreferredDuringSchedulingIgnoredDuringExecution)
		}
		if pa := a.PodAffinity; pa != nil {
			for i := range pa.RequiredDuringSchedulingIgnoredDuringExecution {
				p.affinity = append(p.affinity, newAffinityTerm(pod, &pa.RequiredDuringSchedulingIgnoredDuringExecution[i], 1))
			}
			for _, w := range pa.PreferredDuringSchedulingIgnoredDuringExecution {
				p.preferAffinity = append(p.preferAffinity, newAffinityTerm(pod, &w.PodAffinityTerm, w.Weight))
			}
		}
		if pa := a.PodAntiAffinity; pa != nil {
			for i := range pa.RequiredDuringSchedulingIgnoredDuringExecution {
				p.antiAffinity = append(p.antiAffinity, newAffinityTerm(pod, &pa.RequiredDuringSchedulingIgnoredDuringExecution[i], 1))
			}
			for _, w := range pa.PreferredDuringSchedulingIgnoredDuringExecution {
				p.preferAnti = append(p.preferAnti, newAffinityTerm(pod, &w.PodAffinityTerm, w.Weight))
			}
		}
	}
	p.affinitySig = termsSig(p.affinity)
	p.antiSig = termsSig(p.antiAffinity)
	for _, c := range pod.Spec.TopologySpreadConstraints {
		sc := newSpreadConstraint(pod, c)
		if c.WhenUnsatisfiable == corev1.ScheduleAnyway {
			p.spreadSoft = append(p.spreadSoft, sc)
		} else {
			p.spreadHard = append(p.spreadHard, sc)
		}
	}
	return p
}

// hasAffinityTerms reports whether the pod has any pod (anti-)affinity
// term that matters for scoring existing pods (framework PodsWithAffinity).
func (p *PodInfo) hasAffinityTerms() bool {
	return len(p.affinity)+len(p.antiAffinity)+len(p.preferAffinity)+len(p.preferAnti) > 0
}

func termsSig(ts []affinityTerm) string {
	if len(ts) == 0 {
		return ""
	}
	parts := make([]string, len(ts))
	for i := range ts {
		parts[i] = ts[i].sig
	}
	return strings.Join(parts, "&")
}

// newAffinityTerm parses a term the way framework.NewPodInfo does: no
// namespaces and no namespaceSelector mean the pod's own namespace;
// matchLabelKeys and mismatchLabelKeys are merged into the selector.
func newAffinityTerm(pod *corev1.Pod, t *corev1.PodAffinityTerm, weight int32) affinityTerm {
	at := affinityTerm{topologyKey: t.TopologyKey, weight: weight, namespaces: map[string]bool{}}
	for _, ns := range t.Namespaces {
		at.namespaces[ns] = true
	}
	if len(t.Namespaces) == 0 && t.NamespaceSelector == nil {
		at.namespaces[pod.Namespace] = true
	}
	if t.NamespaceSelector != nil {
		at.nsSelector = selectorOrNothing(t.NamespaceSelector)
	}
	at.selector = selectorOrNothing(t.LabelSelector)
	for _, k := range t.MatchLabelKeys {
		if v, ok := pod.Labels[k]; ok {
			at.selector = addRequirement(at.selector, k, selection.In, v)
		}
	}
	for _, k := range t.MismatchLabelKeys {
		if v, ok := pod.Labels[k]; ok {
			at.selector = addRequirement(at.selector, k, selection.NotIn, v)
		}
	}
	nss := make([]string, 0, len(at.namespaces))
	for ns := range at.namespaces {
		nss = append(nss, ns)
	}
	sort.Strings(nss)
	nsSel := "-"
	if at.nsSelector != nil {
		nsSel = at.nsSelector.String()
	}
	at.sig = strings.Join(nss, ",") + "|" + nsSel + "|" + at.selector.String() + "|" + t.TopologyKey
	return at
}

func addRequirement(s labels.Selector, key string, op selection.Operator, v string) labels.Selector {
	r, err := labels.NewRequirement(key, op, []string{v})
	if err != nil {
		return s
	}
	return s.Add(*r)
}

// selectorOrNothing converts a label selector; nil or invalid selects
// nothing, as upstream treats them.
func selectorOrNothing(ls *metav1.LabelSelector) labels.Selector {
	if ls == nil {
		return labels.Nothing()
	}
	s, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil {
		return labels.Nothing()
	}
	return s
}

// newSpreadConstraint follows filterTopologySpreadConstraints: minDomains
// defaults to 1, nodeAffinityPolicy to Honor, nodeTaintsPolicy to Ignore,
// and matchLabelKeys are merged into the selector.
func newSpreadConstraint(pod *corev1.Pod, c corev1.TopologySpreadConstraint) spreadConstraint {
	sc := spreadConstraint{maxSkew: c.MaxSkew, topologyKey: c.TopologyKey, minDomains: 1, honorAffinity: true}
	if c.MinDomains != nil {
		sc.minDomains = *c.MinDomains
	}
	if c.NodeAffinityPolicy != nil {
		sc.honorAffinity = *c.NodeAffinityPolicy == corev1.NodeInclusionPolicyHonor
	}
	if c.NodeTaintsPolicy != nil {
		sc.honorTaints = *c.NodeTaintsPolicy == corev1.NodeInclusionPolicyHonor
	}
	sc.selector = selectorOrNothing(c.LabelSelector)
	for _, k := range c.MatchLabelKeys {
		if v, ok := pod.Labels[k]; ok {
			sc.selector = addRequirement(sc.selector, k, selection.In, v)
		}
	}
	sc.sig = "spread|" + pod.Namespace + "|" + sc.selector.String()
	return sc
}

// podHostPorts lists the host ports of the containers and restartable init
// containers; an empty hostIP means 0.0.0.0 and an empty protocol TCP.
func podHostPorts(pod *corev1.Pod) []hostPort {
	var out []hostPort
	add := func(cs []corev1.Container, sidecarsOnly bool) {
		for _, c := range cs {
			if sidecarsOnly && (c.RestartPolicy == nil || *c.RestartPolicy != corev1.ContainerRestartPolicyAlways) {
				continue
			}
			for _, p := range c.Ports {
				if p.HostPort <= 0 {
					continue
				}
				hp := hostPort{IP: p.HostIP, Protocol: string(p.Protocol), Port: p.HostPort}
				if hp.IP == "" {
					hp.IP = "0.0.0.0"
				}
				if hp.Protocol == "" {
					hp.Protocol = string(corev1.ProtocolTCP)
				}
				out = append(out, hp)
			}
		}
	}
	add(pod.Spec.Containers, false)
	add(pod.Spec.InitContainers, true)
	return out
}

// nodeNamesFromAffinity is NodeAffinity's PreFilter: when every required
// term names nodes with matchFields metadata.name In, only those nodes are
// considered. It returns nil when all nodes are candidates and an empty
// map when the terms conflict.
func nodeNamesFromAffinity(pod *corev1.Pod) map[string]bool {
	a := pod.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return nil
	}
	terms := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
	if len(terms) == 0 {
		return nil
	}
	var union map[string]bool
	for _, t := range terms {
		var termNames map[string]bool
		for _, r := range t.MatchFields {
			if r.Key != metav1.ObjectNameField || r.Operator != corev1.NodeSelectorOpIn {
				continue
			}
			s := map[string]bool{}
			for _, v := range r.Values {
				if termNames == nil || termNames[v] {
					s[v] = true
				}
			}
			termNames = s
		}
		if termNames == nil {
			return nil
		}
		if union == nil {
			union = map[string]bool{}
		}
		for n := range termNames {
			union[n] = true
		}
	}
	return union
}
