// Package cluster is kubeplan's cluster model: every loaded object decoded
// into its k8s.io/api type (or kept unstructured for custom kinds), indexed by
// group/kind, namespace and name, with one accessor for the pod template of
// every workload kind. Analyzers read the model; none may modify it.
package cluster

import (
	"context"
	"runtime"
	"sort"
	"sync"

	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/lint/manifest"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Object is one object of the model.
type Object struct {
	// Source is the object as loaded, with its file and position.
	Source *manifest.Object
	// GVK is the object's group, version and kind.
	GVK schema.GroupVersionKind
	// Namespace is the effective namespace: the object's own, else the
	// model's default namespace; "" for cluster-scoped kinds.
	Namespace string
	// Name is metadata.name.
	Name string
	// Labels and Annotations are metadata.labels and metadata.annotations
	// (string values only); nil when absent.
	Labels, Annotations map[string]string
	// Typed is the decoded built-in object (for example *appsv1.Deployment),
	// nil for custom kinds and for objects that could not be decoded.
	Typed kruntime.Object
	// DecodeErrors are the fields strict decoding refused.
	DecodeErrors []DecodeError
	// Index is the object's position in Model.Objects.
	Index int
	// clusterScoped caches the scope decision.
	clusterScoped bool
}

// Ref returns the object reference used in findings, with the effective
// namespace.
func (o *Object) Ref() finding.ObjectRef {
	return finding.ObjectRef{APIVersion: o.Source.APIVersion, Kind: o.GVK.Kind, Namespace: o.Namespace, Name: o.Name}
}

// Locate returns the location of a field (see manifest.Object.Locate): the
// key when present, else the nearest existing parent.
func (o *Object) Locate(fieldPath string) finding.Location {
	loc, _ := o.Source.Locate(fieldPath)
	return loc
}

// Has reports whether the field exists in the manifest.
func (o *Object) Has(fieldPath string) bool {
	_, ok := o.Source.Locate(fieldPath)
	return ok
}

// Map returns the object as plain data (read-only).
func (o *Object) Map() map[string]any { return o.Source.Map() }

// Path returns the file the object came from.
func (o *Object) Path() string { return o.Source.File.Path }

// ClusterScoped reports whether the object lives outside namespaces.
func (o *Object) ClusterScoped() bool { return o.clusterScoped }

// Finding starts a finding about this object at fieldPath (the location is
// resolved with Locate); the caller sets RuleID, Severity and Message.
func (o *Object) Finding(ruleID string, sev finding.Severity, fieldPath, message string) finding.Finding {
	return finding.Finding{RuleID: ruleID, Severity: sev, Message: message, Object: o.Ref(), FieldPath: fieldPath, Location: o.Locate(fieldPath)}
}

// Key identifies an object: group, kind, namespace (effective) and name.
type Key struct {
	Group, Kind, Namespace, Name string
}

// Options tunes Build.
type Options struct {
	// DefaultNamespace is the namespace of namespaced objects that do not
	// set one; "" means "default".
	DefaultNamespace string
	// Workers bounds parallel decoding; 0 means GOMAXPROCS.
	Workers int
}

// Model is the indexed set of objects. It is immutable once built and safe
// for concurrent readers.
type Model struct {
	objects          []*Object
	byGK             map[schema.GroupKind][]*Object
	byKey            map[Key]*Object
	workloads        []*Workload
	files            []*manifest.File
	defaultNamespace string
}

// Build decodes and indexes the loaded objects. Objects keep the loader's
// order. Decoding problems are recorded on each Object (DecodeErrors), never
// fatal.
func Build(ctx context.Context, res *manifest.Result, opts Options) *Model {
	ns := opts.DefaultNamespace
	if ns == "" {
		ns = "default"
	}
	m := &Model{
		byGK:             map[schema.GroupKind][]*Object{},
		byKey:            map[Key]*Object{},
		files:            res.Files,
		defaultNamespace: ns,
	}
	crdScope := crdScopes(res.Objects)
	scheme := newScheme()
	tc := newTypeChecker()
	m.objects = make([]*Object, len(res.Objects))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				m.objects[i] = newObject(res.Objects[i], i, ns, scheme, tc, crdScope)
			}
		}()
	}
	for i := range res.Objects {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, o := range m.objects {
		gk := o.GVK.GroupKind()
		m.byGK[gk] = append(m.byGK[gk], o)
		// Later definitions replace earlier ones, as kubectl apply does.
		m.byKey[Key{Group: gk.Group, Kind: gk.Kind, Namespace: o.Namespace, Name: o.Name}] = o
		if w := workloadOf(o); w != nil {
			m.workloads = append(m.workloads, w)
		}
	}
	return m
}

func newObject(src *manifest.Object, i int, defaultNS string, scheme *kruntime.Scheme, tc *typeChecker, crdScope map[schema.GroupKind]bool) (o *Object) {
	gv, _ := schema.ParseGroupVersion(src.APIVersion)
	o = &Object{Source: src, GVK: gv.WithKind(src.Kind), Name: src.Name, Index: i}
	defer func() {
		if r := recover(); r != nil {
			o.Typed = nil
			o.DecodeErrors = append(o.DecodeErrors, DecodeError{Message: "internal error while decoding"})
		}
	}()
	gk := o.GVK.GroupKind()
	if scoped, ok := crdScope[gk]; ok {
		o.clusterScoped = scoped
	} else {
		o.clusterScoped = clusterScoped[gk] || clusterScopedGroups[gk.Group]
	}
	if !o.clusterScoped {
		o.Namespace = src.Namespace
		if o.Namespace == "" {
			o.Namespace = defaultNS
		}
	}
	if t, ok := scheme.AllKnownTypes()[o.GVK]; ok {
		o.Typed, o.DecodeErrors = tc.decodeObject(src, t)
	}
	// A cleanly decoded object's metadata holds the same labels and
	// annotations: share its maps rather than build two more.
	if m, ok := o.Typed.(metav1.Object); ok && len(o.DecodeErrors) == 0 {
		o.Labels, o.Annotations = m.GetLabels(), m.GetAnnotations()
	} else {
		o.Labels = src.StringMap("metadata.labels")
		o.Annotations = src.StringMap("metadata.annotations")
	}
	return o
}

// crdScopes reads the scope of custom kinds from CustomResourceDefinitions
// in the input.
func crdScopes(objs []*manifest.Object) map[schema.GroupKind]bool {
	out := map[schema.GroupKind]bool{}
	for _, o := range objs {
		if o.Kind != "CustomResourceDefinition" {
			continue
		}
		group := o.String("spec.group")
		kind := o.String("spec.names.kind")
		scope := o.String("spec.scope")
		if kind != "" {
			out[schema.GroupKind{Group: group, Kind: kind}] = scope == "Cluster"
		}
	}
	return out
}

// Objects returns every object in load order (by file, document, item),
// duplicates included.
func (m *Model) Objects() []*Object { return m.objects }

// Kind returns the objects of one group and kind in load order; group "" is
// the core group.
func (m *Model) Kind(group, kind string) []*Object {
	return m.byGK[schema.GroupKind{Group: group, Kind: kind}]
}

// Has reports whether the input holds at least one object of the kind.
func (m *Model) Has(group, kind string) bool { return len(m.Kind(group, kind)) > 0 }

// Get returns the object with the given identity, or nil. When an object is
// defined twice, the later definition wins, as with kubectl apply. Pass ""
// as namespace for cluster-scoped kinds.
func (m *Model) Get(group, kind, namespace, name string) *Object {
	return m.byKey[Key{Group: group, Kind: kind, Namespace: namespace, Name: name}]
}

// Unique returns the objects that Get would return: every object except
// those replaced by a later definition of the same identity, in load order.
func (m *Model) Unique() []*Object {
	out := make([]*Object, 0, len(m.objects))
	for _, o := range m.objects {
		if m.byKey[Key{Group: o.GVK.Group, Kind: o.GVK.Kind, Namespace: o.Namespace, Name: o.Name}] == o {
			out = append(out, o)
		}
	}
	return out
}

// Workloads returns every object that runs pods (Pod, Deployment,
// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob)
// in load order.
func (m *Model) Workloads() []*Workload { return m.workloads }

// Files returns the loaded files, sorted by path.
func (m *Model) Files() []*manifest.File { return m.files }

// File returns the loaded file with the given path, or nil.
func (m *Model) File(path string) *manifest.File {
	i := sort.Search(len(m.files), func(i int) bool { return m.files[i].Path >= path })
	if i < len(m.files) && m.files[i].Path == path {
		return m.files[i]
	}
	return nil
}

// DefaultNamespace is the namespace given to namespaced objects without one.
func (m *Model) DefaultNamespace() string { return m.defaultNamespace }

// Namespaces returns every namespace an object lives in or a Namespace
// object defines, sorted.
func (m *Model) Namespaces() []string {
	set := map[string]bool{}
	for _, o := range m.objects {
		if o.Namespace != "" {
			set[o.Namespace] = true
		}
		if o.GVK.Group == "" && o.GVK.Kind == "Namespace" && o.Name != "" {
			set[o.Name] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
