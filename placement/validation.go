package placement

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// validatePodCreate is the part of ValidatePodCreate
// (pkg/apis/core/validation) that kubeplan checks: images present,
// requests not above limits, node selector operators with the right
// values, and tolerations consistent with their operator. Messages are
// field.Error strings.
func validatePodCreate(pod *corev1.Pod) []string {
	var errs []string
	containers := func(path string, cs []corev1.Container) {
		for i, c := range cs {
			p := fmt.Sprintf("spec.%s[%d]", path, i)
			if c.Image == "" {
				errs = append(errs, p+".image: Required value")
			}
			for _, name := range sortedResourceNames(c.Resources.Requests) {
				req := c.Resources.Requests[name]
				lim, ok := c.Resources.Limits[name]
				if ok && req.Cmp(lim) > 0 {
					errs = append(errs, fmt.Sprintf("%s.resources.requests: Invalid value: %q: must be less than or equal to %s limit of %s",
						p, quantityString(req), name, quantityString(lim)))
				}
			}
		}
	}
	containers("initContainers", pod.Spec.InitContainers)
	containers("containers", pod.Spec.Containers)
	if a := pod.Spec.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		base := "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"
		for i, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
			for j, r := range t.MatchExpressions {
				errs = append(errs, validateRequirement(fmt.Sprintf("%s[%d].matchExpressions[%d]", base, i, j), r)...)
			}
		}
	}
	for i, t := range pod.Spec.Tolerations {
		p := fmt.Sprintf("spec.tolerations[%d]", i)
		if t.Operator == corev1.TolerationOpExists && t.Value != "" {
			errs = append(errs, fmt.Sprintf("%s.operator: Invalid value: %q: value must be empty when `operator` is 'Exists'", p, t.Value))
		}
		if t.TolerationSeconds != nil && t.Effect != corev1.TaintEffectNoExecute {
			errs = append(errs, fmt.Sprintf("%s.effect: Invalid value: %q: effect must be 'NoExecute' when `tolerationSeconds` is set", p, t.Effect))
		}
	}
	return errs
}

func validateRequirement(p string, r corev1.NodeSelectorRequirement) []string {
	switch r.Operator {
	case corev1.NodeSelectorOpIn, corev1.NodeSelectorOpNotIn:
		if len(r.Values) == 0 {
			return []string{p + ".values: Required value: must be specified when `operator` is 'In' or 'NotIn'"}
		}
	case corev1.NodeSelectorOpExists, corev1.NodeSelectorOpDoesNotExist:
		if len(r.Values) > 0 {
			return []string{p + ".values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"}
		}
	case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt:
		if len(r.Values) != 1 {
			return []string{p + ".values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"}
		}
	}
	return nil
}
