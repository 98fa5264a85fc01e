package placement

import (
	"sort"

	corev1 "k8s.io/api/core/v1"
)

// NodeUsage is one node's requested and allocatable resources once the
// simulation settles (the data behind `kubeplan schedule --view nodes`).
type NodeUsage struct {
	Node string `json:"node"`
	Zone string `json:"zone"`
	// Requested and Allocatable: cpu in millicores, memory in bytes, gpu
	// is nvidia.com/gpu, pods a count.
	Requested   Usage `json:"requested"`
	Allocatable Usage `json:"allocatable"`
	// Workloads are the sources of the pods on the node, sorted, each with
	// its pod count.
	Workloads []WorkloadCount `json:"workloads"`
}

// Usage is an amount of the resources the node view shows.
type Usage struct {
	MilliCPU int64 `json:"cpuMillis"`
	Memory   int64 `json:"memoryBytes"`
	GPU      int64 `json:"gpu"`
	Pods     int64 `json:"pods"`
}

// WorkloadCount is how many pods of a workload sit on a node.
type WorkloadCount struct {
	Workload string `json:"workload"`
	Pods     int    `json:"pods"`
}

// gpuResource is the extended resource the node view reports as GPU.
const gpuResource corev1.ResourceName = "nvidia.com/gpu"

func nodeUsage(s *Snapshot) []NodeUsage {
	out := make([]NodeUsage, 0, len(s.byInput))
	for _, n := range s.byInput {
		u := NodeUsage{Node: n.Name(), Zone: n.Node.Labels[corev1.LabelTopologyZone],
			Requested:   Usage{MilliCPU: n.Requested.MilliCPU, Memory: n.Requested.Memory, GPU: n.Requested.Scalar[gpuResource], Pods: int64(len(n.Pods))},
			Allocatable: Usage{MilliCPU: n.Allocatable.MilliCPU, Memory: n.Allocatable.Memory, GPU: n.Allocatable.Scalar[gpuResource], Pods: int64(n.AllowedPods)},
			Workloads:   []WorkloadCount{},
		}
		counts := map[string]int{}
		for _, p := range n.Pods {
			src := p.Source
			if src == "" {
				src = "Pod " + p.Key
			}
			counts[src]++
		}
		for w, c := range counts {
			u.Workloads = append(u.Workloads, WorkloadCount{Workload: w, Pods: c})
		}
		sort.Slice(u.Workloads, func(i, j int) bool { return u.Workloads[i].Workload < u.Workloads[j].Workload })
		out = append(out, u)
	}
	return out
}
