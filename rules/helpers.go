package rules

import (
	"strings"

	"github.com/kubeplan/kubeplan/lint/cluster"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// labelSelectorMatches reports whether a metav1.LabelSelector selects the
// labels, with apimachinery's semantics: an empty selector selects
// everything, a nil or invalid one nothing.
func labelSelectorMatches(sel *metav1.LabelSelector, l map[string]string) bool {
	if sel == nil {
		return false
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return false
	}
	return s.Matches(labels.Set(l))
}

// mapSelectorMatches reports whether a Service-style selector (a plain map)
// selects the labels. An empty map selects nothing: a Service without a
// selector has its endpoints managed by hand.
func mapSelectorMatches(sel, l map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if lv, ok := l[k]; !ok || lv != v {
			return false
		}
	}
	return true
}

// runsToCompletion reports whether the workload's pods are meant to exit:
// Jobs, CronJobs and Pods whose restartPolicy is not Always.
func runsToCompletion(w *cluster.Workload) bool {
	switch w.Object.GVK.Kind {
	case "Job", "CronJob":
		return true
	case "Pod":
		return w.Template.Spec.RestartPolicy == corev1.RestartPolicyNever || w.Template.Spec.RestartPolicy == corev1.RestartPolicyOnFailure
	}
	return false
}

// isWindows reports whether the pod declares the Windows OS, for which the
// Linux security context fields do not apply.
func isWindows(w *cluster.Workload) bool {
	return w.Template.Spec.OS != nil && w.Template.Spec.OS.Name == corev1.Windows
}

// isSidecar reports whether an init container keeps running beside the
// app containers (restartPolicy: Always, KEP-753).
func isSidecar(c cluster.ContainerRef) bool {
	return c.Init && c.Container.RestartPolicy != nil && *c.Container.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

// longRunning returns the containers that run for the pod's whole life:
// app containers and sidecars, not plain init containers.
func longRunning(w *cluster.Workload) []cluster.ContainerRef {
	var out []cluster.ContainerRef
	for _, c := range w.Containers() {
		if !c.Init || isSidecar(c) {
			out = append(out, c)
		}
	}
	return out
}

// scPath is the field path of a container's securityContext field.
func scPath(c cluster.ContainerRef, field string) string {
	if field == "" {
		return c.Path + ".securityContext"
	}
	return c.Path + ".securityContext." + field
}

// locateSC picks the most precise existing path for a security context
// field: the field itself, else the securityContext, else the container.
func locateSC(o *cluster.Object, c cluster.ContainerRef, field string) string {
	if o.Has(scPath(c, field)) {
		return scPath(c, field)
	}
	if o.Has(scPath(c, "")) {
		return scPath(c, "")
	}
	return c.Path
}

// podSC returns the pod security context, never nil.
func podSC(w *cluster.Workload) *corev1.PodSecurityContext {
	if w.Template.Spec.SecurityContext == nil {
		return &corev1.PodSecurityContext{}
	}
	return w.Template.Spec.SecurityContext
}

// containerSC returns the container security context, never nil.
func containerSC(c cluster.ContainerRef) *corev1.SecurityContext {
	if c.Container.SecurityContext == nil {
		return &corev1.SecurityContext{}
	}
	return c.Container.SecurityContext
}

// kindIn reports whether the object's kind is one of kinds.
func kindIn(o *cluster.Object, kinds ...string) bool {
	for _, k := range kinds {
		if o.GVK.Kind == k {
			return true
		}
	}
	return false
}

// describe renders "Kind namespace/name" for messages.
func describe(o *cluster.Object) string { return o.Ref().String() }

// quoteList renders names as "a", "b".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	return strings.Join(q, ", ")
}
