package placement

import (
	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
)

// nodeUnschedulable is the NodeUnschedulable plugin: a cordoned node
// (spec.unschedulable) accepts only pods tolerating
// node.kubernetes.io/unschedulable:NoSchedule.
type nodeUnschedulable struct {
	opts     Options
	rejected *Status
}

func (nodeUnschedulable) Name() string { return NameNodeUnschedulable }

func (f nodeUnschedulable) Filter(pod *PodInfo, node *NodeInfo) *Status {
	if !node.Node.Spec.Unschedulable {
		return nil
	}
	taint := &corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}
	if corev1helpers.TolerationsTolerateTaint(logr.Discard(), pod.Pod.Spec.Tolerations, taint, f.opts.TaintComparisonOperators) {
		return nil
	}
	return f.rejected
}
