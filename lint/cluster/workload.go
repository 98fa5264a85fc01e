package cluster

import (
	appsv1 "k8s.io/api/apps/v1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	batchv1 "k8s.io/api/batch/v1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	corev1 "k8s.io/api/core/v1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Workload is an object that runs pods, seen through one accessor whatever
// its kind, so analyzers never switch on kind.
type Workload struct {
	// Object is the workload object itself.
	Object *Object
	// Template is the pod template (for a Pod: its own metadata and spec).
	// Never nil.
	Template *corev1.PodTemplateSpec
	// TemplatePath is the field path of the template within the object:
	// "" for a Pod (metadata and spec at the top), "spec.template", or
	// "spec.jobTemplate.spec.template" for a CronJob.
	TemplatePath string
	// Replicas is the number of pods the workload asks for: replicas
	// (default 1), a Job's parallelism capped by completions (default 1),
	// 1 for a Pod. 0 for a DaemonSet, which runs one pod per node (PerNode).
	Replicas int32
	// ReplicasSet reports whether the manifest writes the replica count.
	ReplicasSet bool
	// PerNode is true for DaemonSets.
	PerNode bool
	// Selector is the workload's label selector; nil when it has none.
	Selector *metav1.LabelSelector
}

// SpecPath is the field path of the pod spec ("spec" for a Pod).
func (w *Workload) SpecPath() string { return join(w.TemplatePath, "spec") }

// MetaPath is the field path of the pod metadata ("metadata" for a Pod).
func (w *Workload) MetaPath() string { return join(w.TemplatePath, "metadata") }

// Spec returns the pod spec.
func (w *Workload) Spec() *corev1.PodSpec { return &w.Template.Spec }

// Namespace is the namespace the pods run in.
func (w *Workload) Namespace() string { return w.Object.Namespace }

// ServiceAccountName is the account the pods run as: spec.serviceAccountName,
// else the deprecated spec.serviceAccount, else "default", as the
// ServiceAccount admission plugin decides.
func (w *Workload) ServiceAccountName() string {
	if n := w.Template.Spec.ServiceAccountName; n != "" {
		return n
	}
	if n := w.Template.Spec.DeprecatedServiceAccount; n != "" {
		return n
	}
	return "default"
}

// Containers returns the init containers, then the containers, each with
// its field path, in that order. Ephemeral containers are not included.
func (w *Workload) Containers() []ContainerRef {
	spec := &w.Template.Spec
	out := make([]ContainerRef, 0, len(spec.InitContainers)+len(spec.Containers))
	for i := range spec.InitContainers {
		out = append(out, ContainerRef{Container: &spec.InitContainers[i], Path: indexPath(join(w.SpecPath(), "initContainers"), i), Init: true})
	}
	for i := range spec.Containers {
		out = append(out, ContainerRef{Container: &spec.Containers[i], Path: indexPath(join(w.SpecPath(), "containers"), i)})
	}
	return out
}

// ContainerRef is a container of a workload with its field path.
type ContainerRef struct {
	Container *corev1.Container
	// Path is the container's field path, e.g.
	// "spec.template.spec.containers[0]".
	Path string
	// Init is true for init containers (including sidecars).
	Init bool
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func indexPath(p string, i int) string {
	return p + "[" + itoa(i) + "]"
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

func replicas(p *int32) (int32, bool) {
	if p == nil {
		return 1, false
	}
	return *p, true
}

// jobPods is the number of pods a Job runs at once: parallelism (default 1)
// capped by completions when set.
func jobPods(parallelism, completions *int32) int32 {
	n := int32(1)
	if parallelism != nil {
		n = *parallelism
	}
	if completions != nil && *completions < n {
		n = *completions
	}
	return n
}

// workloadOf returns the workload view of o, or nil when o runs no pods or
// could not be decoded.
func workloadOf(o *Object) *Workload {
	w := &Workload{Object: o, TemplatePath: "spec.template"}
	switch t := o.Typed.(type) {
	case *corev1.Pod:
		w.Template = &corev1.PodTemplateSpec{ObjectMeta: t.ObjectMeta, Spec: t.Spec}
		w.TemplatePath, w.Replicas = "", 1
	case *corev1.ReplicationController:
		if t.Spec.Template == nil {
			return nil
		}
		w.Template = t.Spec.Template
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
		if t.Spec.Selector != nil {
			w.Selector = &metav1.LabelSelector{MatchLabels: t.Spec.Selector}
		}
	case *appsv1.Deployment:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	case *appsv1.StatefulSet:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	case *appsv1.ReplicaSet:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	case *appsv1.DaemonSet:
		w.Template, w.Selector, w.PerNode = &t.Spec.Template, t.Spec.Selector, true
	case *batchv1.Job:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas = jobPods(t.Spec.Parallelism, t.Spec.Completions)
		w.ReplicasSet = t.Spec.Parallelism != nil
	case *batchv1.CronJob:
		w.Template, w.TemplatePath = &t.Spec.JobTemplate.Spec.Template, "spec.jobTemplate.spec.template"
		w.Replicas = jobPods(t.Spec.JobTemplate.Spec.Parallelism, t.Spec.JobTemplate.Spec.Completions)
	case *batchv1beta1.CronJob:
		w.Template, w.TemplatePath = &t.Spec.JobTemplate.Spec.Template, "spec.jobTemplate.spec.template"
		w.Replicas = jobPods(t.Spec.JobTemplate.Spec.Parallelism, t.Spec.JobTemplate.Spec.Completions)
	case *extensionsv1beta1.Deployment:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	case *extensionsv1beta1.DaemonSet:
		w.Template, w.Selector, w.PerNode = &t.Spec.Template, t.Spec.Selector, true
	case *extensionsv1beta1.ReplicaSet:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	case *appsv1beta1.Deployment:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	case *appsv1beta1.StatefulSet:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	case *appsv1beta2.Deployment:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	case *appsv1beta2.StatefulSet:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	case *appsv1beta2.DaemonSet:
		w.Template, w.Selector, w.PerNode = &t.Spec.Template, t.Spec.Selector, true
	case *appsv1beta2.ReplicaSet:
		w.Template, w.Selector = &t.Spec.Template, t.Spec.Selector
		w.Replicas, w.ReplicasSet = replicas(t.Spec.Replicas)
	default:
		return nil
	}
	return w
}
