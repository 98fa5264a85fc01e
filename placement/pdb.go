package placement

import (
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// pdbBudget is a PodDisruptionBudget with the disruptionsAllowed the
// disruption controller would compute now.
type pdbBudget struct {
	namespace string
	selector  labels.Selector
	allowed   int
}

// pdbAllowed computes each PDB's status like the disruption controller:
// expected = matching pods that exist, healthy = matching pods running
// (bound), allowed = healthy - desired, never negative.
func (sim *simulator) pdbAllowed() []pdbBudget {
	out := make([]pdbBudget, 0, len(sim.pdbs))
	for _, pdb := range sim.pdbs {
		sel := selectorOrNothing(pdb.Spec.Selector)
		expected, healthy := 0, 0
		for _, sl := range sim.slots {
			if sl.info == nil || sl.info.Pod.Namespace != pdb.Namespace || !sel.Matches(sl.info.labels) {
				continue
			}
			switch sl.res.Status {
			case StatusScheduled, StatusBound, StatusUnschedulable:
				expected++
				if sl.placed {
					healthy++
				}
			}
		}
		out = append(out, pdbBudget{namespace: pdb.Namespace, selector: sel, allowed: max(0, healthy-desiredHealthy(pdb, expected))})
	}
	return out
}

func desiredHealthy(pdb *policyv1.PodDisruptionBudget, expected int) int {
	if pdb.Spec.MinAvailable != nil {
		v, err := intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MinAvailable, expected, true)
		if err == nil {
			return v
		}
	}
	if pdb.Spec.MaxUnavailable != nil {
		v, err := intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MaxUnavailable, expected, true)
		if err == nil {
			return max(0, expected-v)
		}
	}
	return 0
}

// pdbViolating is FilterVictimsWithPDBViolation: walking the victims in
// order, each matching budget is decremented; a victim that takes one
// below zero violates it.
func pdbViolating(victims []*PodInfo, pdbs []pdbBudget) map[*PodInfo]bool {
	allowed := make([]int, len(pdbs))
	for i := range pdbs {
		allowed[i] = pdbs[i].allowed
	}
	out := map[*PodInfo]bool{}
	for _, v := range victims {
		for i, b := range pdbs {
			if b.namespace != v.Pod.Namespace || b.selector.Empty() || !b.selector.Matches(v.labels) {
				continue
			}
			allowed[i]--
			if allowed[i] < 0 {
				out[v] = true
			}
		}
	}
	return out
}
