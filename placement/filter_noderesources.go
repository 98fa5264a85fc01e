package placement

import (
	corev1 "k8s.io/api/core/v1"
)

// nodeResourcesFit is the NodeResourcesFit plugin's Filter.
type nodeResourcesFit struct{}

func (nodeResourcesFit) Name() string { return NameNodeResourcesFit }

func (nodeResourcesFit) Filter(pod *PodInfo, node *NodeInfo) *Status {
	short := Fits(pod, node)
	if len(short) == 0 {
		return nil
	}
	st := &Status{Code: Unschedulable, Plugin: NameNodeResourcesFit}
	for _, s := range short {
		st.Reasons = append(st.Reasons, s.Reason)
		if s.Unresolvable {
			st.Code = UnschedulableAndUnresolvable
		}
	}
	return st
}

// InsufficientResource is one resource a node lacks for a pod, as
// upstream's noderesources.InsufficientResource.
type InsufficientResource struct {
	ResourceName corev1.ResourceName
	// Reason is "Insufficient cpu" or "Too many pods".
	Reason    string
	Requested int64
	Used      int64
	Capacity  int64
	// Unresolvable is true when the pod asks for more than the node's
	// whole allocatable, so preemption cannot help.
	Unresolvable bool
}

// Fits lists what node lacks to run pod next to the pods already there
// (upstream fitsRequest): the pod count, then cpu, memory,
// ephemeral-storage, then extended resources.
func Fits(pod *PodInfo, node *NodeInfo) []InsufficientResource {
	var out []InsufficientResource
	if len(node.Pods)+1 > node.AllowedPods {
		out = append(out, InsufficientResource{ResourceName: corev1.ResourcePods, Reason: ReasonTooManyPods,
			Requested: 1, Used: int64(len(node.Pods)), Capacity: int64(node.AllowedPods)})
	}
	r, a, u := &pod.Requests, &node.Allocatable, &node.Requested
	if r.MilliCPU == 0 && r.Memory == 0 && r.EphemeralStorage == 0 && len(r.Scalar) == 0 {
		return out
	}
	out = short(out, corev1.ResourceCPU, "Insufficient cpu", r.MilliCPU, a.MilliCPU, u.MilliCPU)
	out = short(out, corev1.ResourceMemory, "Insufficient memory", r.Memory, a.Memory, u.Memory)
	out = short(out, corev1.ResourceEphemeralStorage, "Insufficient ephemeral-storage", r.EphemeralStorage, a.EphemeralStorage, u.EphemeralStorage)
	if len(r.Scalar) > 0 {
		for _, name := range r.scalarNames() {
			out = short(out, name, InsufficientReason(name), r.Scalar[name], a.Scalar[name], u.Scalar[name])
		}
	}
	return out
}

// short appends a shortfall when req does not fit into alloc-used.
func short(out []InsufficientResource, name corev1.ResourceName, reason string, req, alloc, used int64) []InsufficientResource {
	if req > 0 && req > alloc-used {
		out = append(out, InsufficientResource{ResourceName: name, Reason: reason,
			Requested: req, Used: used, Capacity: alloc, Unresolvable: req > alloc})
	}
	return out
}
