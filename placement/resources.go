package placement

import (
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	resourcehelper "k8s.io/component-helpers/resource"
)

// Default requests the scheduler assumes for scoring when a container sets
// none (pkg/scheduler/util DefaultMilliCPURequest, DefaultMemoryRequest).
const (
	defaultMilliCPURequest = 100
	defaultMemoryRequest   = 200 * 1024 * 1024
)

// Resources is an amount of each resource, in the scheduler's units:
// millicores, bytes, and plain integers for extended resources.
type Resources struct {
	MilliCPU         int64
	Memory           int64
	EphemeralStorage int64
	// Scalar holds extended resources and hugepages, e.g. nvidia.com/gpu.
	Scalar map[corev1.ResourceName]int64
}

// resourcesFrom converts a ResourceList; "pods" is returned separately.
func resourcesFrom(list corev1.ResourceList) (r Resources, pods int64) {
	for name, q := range list {
		switch name {
		case corev1.ResourceCPU:
			r.MilliCPU = q.MilliValue()
		case corev1.ResourceMemory:
			r.Memory = q.Value()
		case corev1.ResourceEphemeralStorage:
			r.EphemeralStorage = q.Value()
		case corev1.ResourcePods:
			pods = q.Value()
		default:
			if isScalarResource(name) {
				if r.Scalar == nil {
					r.Scalar = map[corev1.ResourceName]int64{}
				}
				r.Scalar[name] = q.Value()
			}
		}
	}
	return r, pods
}

// isScalarResource follows schedutil.IsScalarResourceName: extended
// resources (a domain-qualified name outside kubernetes.io), hugepages,
// prefixed native resources and attachable volumes.
func isScalarResource(name corev1.ResourceName) bool {
	s := string(name)
	if strings.HasPrefix(s, corev1.ResourceHugePagesPrefix) || strings.HasPrefix(s, "attachable-volumes-") {
		return true
	}
	if !strings.Contains(s, "/") {
		return false
	}
	return !strings.HasPrefix(s, "requests.")
}

// add adds o to r.
func (r *Resources) add(o *Resources, sign int64) {
	r.MilliCPU += sign * o.MilliCPU
	r.Memory += sign * o.Memory
	r.EphemeralStorage += sign * o.EphemeralStorage
	for k, v := range o.Scalar {
		if r.Scalar == nil {
			r.Scalar = map[corev1.ResourceName]int64{}
		}
		r.Scalar[k] += sign * v
	}
}

// scalarNames returns the extended resource names in r, sorted.
func (r *Resources) scalarNames() []corev1.ResourceName {
	out := make([]corev1.ResourceName, 0, len(r.Scalar))
	for k := range r.Scalar {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// podRequests computes what NodeResourcesFit compares with free capacity:
// component-helpers PodRequests (max of init containers, restartable
// sidecars added, pod overhead, pod-level resources).
func podRequests(pod *corev1.Pod) Resources {
	r, _ := resourcesFrom(resourcehelper.PodRequests(pod, resourcehelper.PodResourcesOptions{}))
	return r
}

// podNonZeroRequests is the request scoring uses: containers without a cpu
// or memory request count as 100m and 200Mi.
func podNonZeroRequests(pod *corev1.Pod) Resources {
	r, _ := resourcesFrom(resourcehelper.PodRequests(pod, resourcehelper.PodResourcesOptions{
		NonMissingContainerRequests: corev1.ResourceList{
			corev1.ResourceCPU:    *resource.NewMilliQuantity(defaultMilliCPURequest, resource.DecimalSI),
			corev1.ResourceMemory: *resource.NewQuantity(defaultMemoryRequest, resource.DecimalSI),
		},
	}))
	return r
}
