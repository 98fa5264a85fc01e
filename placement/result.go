package placement

import "github.com/kubeplan/kubeplan/lint/cluster"

// Pod outcomes, as the conformance oracle names them.
const (
	StatusScheduled      = "Scheduled"
	StatusUnschedulable  = "Unschedulable"
	StatusBound          = "Bound"
	StatusPreempted      = "Preempted"
	StatusGated          = "Gated"
	StatusRejected       = "Rejected"
	StatusNotCreated     = "NotCreated"
	StatusOtherScheduler = "OtherScheduler"
	StatusTerminal       = "Terminal"
)

// PodResult is what happened to one pod.
type PodResult struct {
	// Pod is "namespace/name".
	Pod string `json:"pod"`
	// Node is where the pod runs; "" when nowhere.
	Node string `json:"node"`
	// FeasibleNodes passed every filter in the pod's last attempt, sorted.
	FeasibleNodes []string `json:"feasibleNodes"`
	// Status is one of the Status* constants.
	Status string `json:"status"`
	// Message is the FailedScheduling text (or the admission rejection,
	// gate, ...); "" when scheduled.
	Message string `json:"message"`
	// Source is the owning workload ("Deployment default/web"); "" for a
	// bare Pod.
	Source string `json:"source,omitempty"`
	// Priority is the resolved spec.priority.
	Priority int32 `json:"priority"`
	// Attempts counts scheduling cycles.
	Attempts int `json:"attempts,omitempty"`
	// NominatedNode is set when the pod preempted others.
	NominatedNode string `json:"nominatedNode,omitempty"`
	// Victims are the pods the pod preempted.
	Victims []string `json:"victims,omitempty"`
	// FirstFailure is the first failure message of a pod scheduled later.
	FirstFailure string `json:"firstFailure,omitempty"`
	// PreemptedBy names the preemptor of a Preempted pod.
	PreemptedBy string `json:"preemptedBy,omitempty"`

	info     *PodInfo
	workload *cluster.Workload
	placed   bool
}

// Placed reports whether the pod runs on an existing node at the end.
func (r *PodResult) Placed() bool { return r.placed }

// Workload returns the workload the pod was expanded from.
func (r *PodResult) Workload() *cluster.Workload { return r.workload }

// Info returns the scheduled form of the pod (after admission); nil for
// pods that were never created.
func (r *PodResult) Info() *PodInfo { return r.info }

// Result is a whole simulation.
type Result struct {
	// Pods are in input order (workloads in load order, their pods in
	// ordinal order).
	Pods []PodResult `json:"pods"`
	// Nodes are the simulated nodes in input order with what ends up on
	// them.
	Nodes []NodeUsage `json:"nodes"`
	// Notes say what was not modelled or could not be read.
	Notes []string `json:"notes,omitempty"`
}

// NotModelled lists what the simulation does not model; every Result
// carries it in Notes.
var notModelled = "not modelled: volume binding and CSI topology (PVCs, StorageClasses, volume limits), dynamic resource allocation (ResourceClaims), ImageLocality scoring, kubelet admission, autoscalers and rollout surge"

// ByPod returns the result of pod "namespace/name", or nil.
func (r *Result) ByPod(key string) *PodResult {
	for i := range r.Pods {
		if r.Pods[i].Pod == key {
			return &r.Pods[i]
		}
	}
	return nil
}

// ByWorkload returns the results of the pods of a workload, named by its
// Source string ("Deployment default/web"; for a bare pod "Pod ns/name").
func (r *Result) ByWorkload(source string) []*PodResult {
	var out []*PodResult
	for i := range r.Pods {
		p := &r.Pods[i]
		if p.Source == source || (p.Source == "" && "Pod "+p.Pod == source) {
			out = append(out, p)
		}
	}
	return out
}
