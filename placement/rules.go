package placement

import "github.com/kubeplan/kubeplan/lint/finding"

// Rule IDs of the placement analyzer.
const (
	RulePodUnschedulable          = "pod-unschedulable"
	RuleDaemonSetNotOnAllNodes    = "daemonset-not-on-all-nodes"
	RuleSingleNodeReplicas        = "single-node-replicas"
	RuleSingleZoneReplicas        = "single-zone-replicas"
	RuleNodeFailureOutage         = "node-failure-outage"
	RuleZoneFailureOutage         = "zone-failure-outage"
	RuleRollingUpdateNoHeadroom   = "rolling-update-no-headroom"
	RuleWouldPreempt              = "would-preempt"
	RuleRequestsMissing           = "requests-missing"
	RuleNodeSelectorMatchesNoNode = "node-selector-matches-no-node"
)

// AnalyzerName is the analyzer's name and every rule's Source.
const AnalyzerName = "placement"

func rules() []finding.Rule {
	rel := []string{finding.CategoryReliability}
	return []finding.Rule{
		{ID: RulePodUnschedulable, Title: "Pod would stay Pending on the declared nodes",
			Description: "The scheduler would find no node for a pod of this workload (or the API server would reject it); the finding quotes kube-scheduler's FailedScheduling message.",
			Remediation: "Lower the requests, add tolerations or relax the selectors named in the message, or add nodes that satisfy them.",
			Severity:    finding.SeverityError, Categories: []string{finding.CategoryReliability, finding.CategoryCorrectness}},
		{ID: RuleDaemonSetNotOnAllNodes, Title: "DaemonSet misses nodes it selects",
			Description: "Some nodes that match the DaemonSet's node selection get no running pod, because of an untolerated taint or because the pod does not fit there.",
			Remediation: "Tolerate the node's taints (or narrow the node selector on purpose), and reserve room for the daemon pod on every node.",
			Severity:    finding.SeverityWarning, Categories: rel},
		{ID: RuleSingleNodeReplicas, Title: "All replicas land on one node",
			Description: "Every replica of the workload is placed on the same node although other nodes exist, so one node failure or drain takes the whole workload down.",
			Remediation: "Add a topologySpreadConstraint or pod anti-affinity on kubernetes.io/hostname, or make room on other nodes.",
			Severity:    finding.SeverityWarning, Categories: rel},
		{ID: RuleSingleZoneReplicas, Title: "All replicas land in one zone",
			Description: "The nodes span several zones but every replica is placed in one of them, so a zone outage takes the whole workload down.",
			Remediation: "Add a topologySpreadConstraint on topology.kubernetes.io/zone, or make room in the other zones.",
			Severity:    finding.SeverityWarning, Categories: rel},
		{ID: RuleNodeFailureOutage, Title: "Losing one node stops the workload",
			Description: "When one node fails, the workload's pods on it cannot be rescheduled elsewhere and no replica is left running, or the pods left running drop below the workload's PodDisruptionBudget.",
			Remediation: "Spread replicas over several nodes and keep enough spare capacity to reschedule the pods of any one node.",
			Severity:    finding.SeverityWarning, Categories: rel},
		{ID: RuleZoneFailureOutage, Title: "Losing one zone stops the workload",
			Description: "When every node of one zone fails, the workload's pods cannot be rescheduled in the remaining zones and no replica is left running.",
			Remediation: "Spread replicas across zones and keep enough spare capacity in each zone to absorb another zone's pods.",
			Severity:    finding.SeverityWarning, Categories: rel},
		{ID: RuleRollingUpdateNoHeadroom, Title: "Rollout has no room for surge pods",
			Description: "A rolling update creates maxSurge new pods while the old ones still run; on the declared nodes those extra pods fit nowhere, so the rollout stalls.",
			Remediation: "Leave spare capacity for maxSurge pods, or set maxSurge to 0 with a non-zero maxUnavailable.",
			Severity:    finding.SeverityWarning, Categories: rel},
		{ID: RuleWouldPreempt, Title: "Pod would preempt running pods",
			Description: "A pod with a higher priority fits only after the scheduler evicts lower-priority pods, which are deleted to make room.",
			Remediation: "Add capacity for the pod, or lower its priority if evicting the named pods is not intended.",
			Severity:    finding.SeverityWarning, Categories: rel},
		{ID: RuleRequestsMissing, Title: "Container has no cpu or memory request",
			Description: "The scheduler counts a missing request as zero when it checks whether a pod fits, so placement results assume this container needs nothing.",
			Remediation: "Set resources.requests.cpu and resources.requests.memory on every container, or give the namespace a LimitRange with defaultRequest.",
			Severity:    finding.SeverityNote, Categories: []string{finding.CategoryEfficiency, finding.CategoryReliability}},
		{ID: RuleNodeSelectorMatchesNoNode, Title: "Node selector matches no node",
			Description: "The workload's nodeSelector and required node affinity match none of the declared nodes, so its pods can never be scheduled.",
			Remediation: "Fix the selector's labels or values, or label the nodes the workload is meant for.",
			Severity:    finding.SeverityError, Categories: []string{finding.CategoryCorrectness}},
	}
}
