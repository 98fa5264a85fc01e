package placement

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Code is the outcome class of a filter, as the scheduler framework's
// fwk.Code.
type Code int

// Status codes, as in the scheduler framework.
const (
	// Success means the node fits.
	Success Code = iota
	// Unschedulable means the node does not fit now but preemption might
	// make it fit.
	Unschedulable
	// UnschedulableAndUnresolvable means preemption cannot help on this
	// node.
	UnschedulableAndUnresolvable
	// Error means the filter itself failed.
	Error
)

// String names the code like upstream.
func (c Code) String() string {
	switch c {
	case Success:
		return "Success"
	case Unschedulable:
		return "Unschedulable"
	case UnschedulableAndUnresolvable:
		return "UnschedulableAndUnresolvable"
	}
	return "Error"
}

// Reasons in upstream's exact words (pkg/scheduler/framework/plugins/*).
const (
	// ReasonNodeUnschedulable is NodeUnschedulable's ErrReasonUnschedulable.
	ReasonNodeUnschedulable = "node(s) were unschedulable"
	// ReasonNodeName is NodeName's ErrReason.
	ReasonNodeName = "node(s) didn't match the requested node name"
	// ReasonUntoleratedTaint is TaintToleration's reason in v1.37.
	ReasonUntoleratedTaint = "node(s) had untolerated taint(s)"
	// ReasonNodeAffinity is NodeAffinity's ErrReasonPod.
	ReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector"
	// ReasonNodeAffinityConflict is NodeAffinity's PreFilter errReasonConflict.
	ReasonNodeAffinityConflict = "pod affinity terms conflict"
	// ReasonNodePorts is NodePorts' ErrReason.
	ReasonNodePorts = "node(s) didn't have free ports for the requested pod ports"
	// ReasonTooManyPods is NodeResourcesFit's reason for the pods count.
	ReasonTooManyPods = "Too many pods"
	// ReasonSpread is PodTopologySpread's ErrReasonConstraintsNotMatch.
	ReasonSpread = "node(s) didn't match pod topology spread constraints"
	// ReasonSpreadMissingLabel is PodTopologySpread's ErrReasonNodeLabelNotMatch.
	ReasonSpreadMissingLabel = ReasonSpread + " (missing required label)"
	// ReasonAffinity is InterPodAffinity's ErrReasonAffinityRulesNotMatch.
	ReasonAffinity = "node(s) didn't match pod affinity rules"
	// ReasonAntiAffinity is InterPodAffinity's ErrReasonAntiAffinityRulesNotMatch.
	ReasonAntiAffinity = "node(s) didn't match pod anti-affinity rules"
	// ReasonExistingAntiAffinity is InterPodAffinity's
	// ErrReasonExistingAntiAffinityRulesNotMatch.
	ReasonExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules"
	// ReasonPreemptionNotHelpful is DefaultPreemption's status for nodes
	// where removing pods cannot help.
	ReasonPreemptionNotHelpful = "Preemption is not helpful for scheduling"
	// ReasonNoVictims is SelectVictimsOnNode's status when no pod has a
	// lower priority.
	ReasonNoVictims = "No preemption victims found for incoming pod"
	// ReasonPreemptionNever is PodEligibleToPreemptOthers' message.
	ReasonPreemptionNever = "not eligible due to preemptionPolicy=Never."
)

// InsufficientReason is NodeResourcesFit's reason for a short resource:
// "Insufficient cpu".
func InsufficientReason(name corev1.ResourceName) string {
	return fmt.Sprintf("Insufficient %v", name)
}

// Status is a filter's verdict on one node; nil means the node fits.
type Status struct {
	// Code classifies the outcome.
	Code Code
	// Reasons are upstream's reason strings; a node is counted once per
	// reason in the FitError histogram.
	Reasons []string
	// Plugin names the filter that returned the status.
	Plugin string
}

// NewStatus returns a status with the code and reasons.
func NewStatus(code Code, reasons ...string) *Status {
	return &Status{Code: code, Reasons: reasons}
}

// IsSuccess reports whether the status means "fits" (nil or Success).
func (s *Status) IsSuccess() bool { return s == nil || s.Code == Success }

// Message joins the reasons with ", ", as fwk.Status.Message does.
func (s *Status) Message() string {
	if s == nil {
		return ""
	}
	return strings.Join(s.Reasons, ", ")
}
