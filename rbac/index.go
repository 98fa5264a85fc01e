package rbac

import (
	"fmt"
	"sort"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/rbac/defaultpolicy"
	rbacv1 "k8s.io/api/rbac/v1"
)

// Options configure how an Index is built.
type Options struct {
	// DefaultPolicy adds the default (bootstrap) roles and bindings a real
	// cluster has (rbac/defaultpolicy) under the objects from the input;
	// objects from the input replace them, as kubectl apply would.
	DefaultPolicy bool
}

// Index is the RBAC state of a model, built once and then queried: roles
// after aggregation, bindings with their roles resolved, and subject and
// resource indexes for fast Authorize and WhoCan. It is read-only after New
// and safe for concurrent use.
type Index struct {
	roles           map[roleKey]*Role
	clusterRoles    []*Role // by name
	nsRoles         []*Role // by namespace, name
	clusterBindings []*Binding
	nsBindings      map[string][]*Binding // namespace -> bindings by name
	rejected        []Rejected
	problems        []string

	// Subject index: (namespace of the binding, "" for
	// ClusterRoleBindings; subject) -> binding subjects, where a subject is
	// a user name (Users, and service accounts as
	// system:serviceaccount:NS:NAME) or a group name.
	bySubject map[subjectIndexKey][]subjectRef

	// Who-can index: the roles bound by any binding, with their rules
	// indexed by resource.
	whoCan *whoCanIndex
	// danglingCluster are the errors of ClusterRoleBindings with a missing
	// role, sorted; danglingNS the same per namespace for RoleBindings.
	danglingCluster []string
	danglingNS      map[string][]string
}

type roleKey struct{ kind, namespace, name string }

type subjectKey struct {
	group bool
	name  string
}

type subjectIndexKey struct {
	namespace string
	subject   subjectKey
}

type subjectRef struct {
	binding *Binding
	subject int
}

// New builds the index of the RBAC objects in m.
func New(m *cluster.Model, opts Options) *Index {
	n := 256 // the default policy
	if m != nil {
		n += len(m.Objects())
	}
	ix := &Index{roles: make(map[roleKey]*Role, n), nsBindings: map[string][]*Binding{}}
	bindings := make(map[roleKey]*Binding, n)
	if opts.DefaultPolicy {
		if err := ix.addDefaultPolicy(bindings); err != nil {
			ix.problems = append(ix.problems, err.Error())
		}
	}
	if m != nil {
		for _, o := range m.Objects() {
			ix.addObject(o, bindings)
		}
	}
	ix.finish(bindings)
	return ix
}

func (ix *Index) addDefaultPolicy(bindings map[roleKey]*Binding) error {
	p, err := defaultpolicy.Load()
	if err != nil {
		return err
	}
	for _, cr := range p.ClusterRoles {
		ix.putRole(&Role{Kind: KindClusterRole, Name: cr.Metadata.Name, Labels: cr.Metadata.Labels, written: cr.Rules, AggregationRule: cr.AggregationRule, Default: true})
	}
	for _, r := range p.Roles {
		ix.putRole(&Role{Kind: KindRole, Namespace: r.Metadata.Namespace, Name: r.Metadata.Name, Labels: r.Metadata.Labels, written: r.Rules, Default: true})
	}
	for _, b := range p.ClusterRoleBindings {
		bindings[roleKey{KindClusterRoleBinding, "", b.Metadata.Name}] = &Binding{Kind: KindClusterRoleBinding, Name: b.Metadata.Name, RoleRef: b.RoleRef, Subjects: b.Subjects, Default: true}
	}
	for _, b := range p.RoleBindings {
		bindings[roleKey{KindRoleBinding, b.Metadata.Namespace, b.Metadata.Name}] = &Binding{Kind: KindRoleBinding, Namespace: b.Metadata.Namespace, Name: b.Metadata.Name, RoleRef: b.RoleRef, Subjects: b.Subjects, Default: true}
	}
	return nil
}

func (ix *Index) putRole(r *Role) {
	ix.roles[roleKey{r.Kind, r.Namespace, r.Name}] = r
}

// addObject loads one RBAC object from the input as `kubectl apply` would:
// rejected objects are recorded and left out, accepted ones replace any
// earlier object of the same kind, namespace and name.
func (ix *Index) addObject(o *cluster.Object, bindings map[roleKey]*Binding) {
	if o.GVK.Group != groupRBAC {
		return
	}
	kind := o.GVK.Kind
	switch kind {
	case KindRole, KindClusterRole, KindRoleBinding, KindClusterRoleBinding:
	default:
		return
	}
	reject := func(errs ...FieldError) {
		ix.rejected = append(ix.rejected, Rejected{Kind: kind, Namespace: o.Namespace, Name: o.Name, Object: o, Errors: errs})
	}
	if o.GVK.Version != "v1" {
		reject(FieldError{Message: fmt.Sprintf("apiVersion %q is not served; use rbac.authorization.k8s.io/v1", o.Source.APIVersion)})
		return
	}
	if o.Typed == nil {
		var errs []FieldError
		for _, e := range o.DecodeErrors {
			errs = append(errs, FieldError{FieldPath: e.FieldPath, Message: e.Message})
		}
		if len(errs) == 0 {
			errs = append(errs, FieldError{Message: "cannot decode object"})
		}
		reject(errs...)
		return
	}
	metaPath := "metadata.name"
	switch t := o.Typed.(type) {
	case *rbacv1.Role:
		errs := append(validateName(metaPath, o.Name), validateRules(t.Rules, true)...)
		if len(errs) > 0 {
			reject(errs...)
			return
		}
		ix.putRole(&Role{Kind: kind, Namespace: o.Namespace, Name: o.Name, Labels: o.Labels, written: t.Rules, Object: o})
	case *rbacv1.ClusterRole:
		errs := append(validateName(metaPath, o.Name), validateRules(t.Rules, false)...)
		errs = append(errs, validateAggregationRule(t.AggregationRule)...)
		if len(errs) > 0 {
			reject(errs...)
			return
		}
		ix.putRole(&Role{Kind: kind, Name: o.Name, Labels: o.Labels, written: t.Rules, AggregationRule: t.AggregationRule, Object: o})
	case *rbacv1.RoleBinding:
		subjects := append([]rbacv1.Subject(nil), t.Subjects...)
		ref := t.RoleRef
		defaultBinding(&ref, subjects)
		errs := append(validateName(metaPath, o.Name), validateBinding(kind, ref, subjects)...)
		if len(errs) > 0 {
			reject(errs...)
			return
		}
		bindings[roleKey{kind, o.Namespace, o.Name}] = &Binding{Kind: kind, Namespace: o.Namespace, Name: o.Name, RoleRef: ref, Subjects: subjects, Object: o}
	case *rbacv1.ClusterRoleBinding:
		subjects := append([]rbacv1.Subject(nil), t.Subjects...)
		ref := t.RoleRef
		defaultBinding(&ref, subjects)
		errs := append(validateName(metaPath, o.Name), validateBinding(kind, ref, subjects)...)
		if len(errs) > 0 {
			reject(errs...)
			return
		}
		bindings[roleKey{kind, "", o.Name}] = &Binding{Kind: kind, Name: o.Name, RoleRef: ref, Subjects: subjects, Object: o}
	}
}

// finish aggregates, resolves role references and builds the indexes.
func (ix *Index) finish(bindings map[roleKey]*Binding) {
	for _, r := range ix.roles {
		r.Rules = r.written
		r.Origins = make([]RuleOrigin, len(r.written))
		for i := range r.written {
			r.Origins[i] = RuleOrigin{Role: r, Index: i}
		}
		if r.Kind == KindClusterRole {
			ix.clusterRoles = append(ix.clusterRoles, r)
		} else {
			ix.nsRoles = append(ix.nsRoles, r)
		}
	}
	sort.Slice(ix.clusterRoles, func(i, j int) bool { return ix.clusterRoles[i].Name < ix.clusterRoles[j].Name })
	sort.Slice(ix.nsRoles, func(i, j int) bool {
		a, b := ix.nsRoles[i], ix.nsRoles[j]
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		return a.Name < b.Name
	})
	ix.problems = append(ix.problems, aggregate(ix.clusterRoles)...)
	sort.Slice(ix.rejected, func(i, j int) bool {
		a, b := ix.rejected[i], ix.rejected[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		return a.Name < b.Name
	})

	all := make([]*Binding, 0, len(bindings))
	for _, b := range bindings {
		all = append(all, b)
	}
	// ClusterRoleBindings have an empty namespace, so they sort first.
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		return a.Name < b.Name
	})
	ix.bySubject = make(map[subjectIndexKey][]subjectRef, len(all))
	ix.danglingNS = map[string][]string{}
	for i, b := range all {
		b.order = i
		ns, refNS := "", ""
		if b.Kind == KindRoleBinding {
			ns = b.Namespace
		}
		if b.RoleRef.Kind == KindRole {
			refNS = ns // a Role always resolves in the binding's namespace
		}
		b.Role = ix.roles[roleKey{b.RoleRef.Kind, refNS, b.RoleRef.Name}]
		if b.Role == nil {
			b.RoleError = notFound(b.RoleRef.Kind, b.RoleRef.Name)
			if ns == "" {
				ix.danglingCluster = append(ix.danglingCluster, b.RoleError)
			} else {
				ix.danglingNS[ns] = append(ix.danglingNS[ns], b.RoleError)
			}
		}
		if b.Kind == KindClusterRoleBinding {
			ix.clusterBindings = append(ix.clusterBindings, b)
		} else {
			ix.nsBindings[b.Namespace] = append(ix.nsBindings[b.Namespace], b)
		}
		var seen []subjectKey
		for si, s := range b.Subjects {
			name, group, ok := SubjectName(s, b.Namespace)
			key := subjectKey{group, name}
			if !ok || containsKey(seen, key) {
				continue // appliesTo returns the first matching subject
			}
			seen = append(seen, key)
			b.names = append(b.names, subjectName{index: si, key: key})
			ik := subjectIndexKey{ns, key}
			ix.bySubject[ik] = append(ix.bySubject[ik], subjectRef{b, si})
		}
	}
	ix.danglingCluster = sortedUnique(ix.danglingCluster)
	for ns, errs := range ix.danglingNS {
		ix.danglingNS[ns] = sortedUnique(errs)
	}
	ix.whoCan = newWhoCanIndex(ix)
}

// Rejected lists the RBAC objects of the input the API server would refuse,
// sorted by kind, namespace and name.
func (ix *Index) Rejected() []Rejected { return ix.rejected }

// Problems lists problems of the index itself (a default policy that did
// not load, an aggregation cycle that never settles).
func (ix *Index) Problems() []string { return ix.problems }

// Role returns the Role (namespace set) or ClusterRole (namespace empty)
// after aggregation, or nil.
func (ix *Index) Role(kind, namespace, name string) *Role {
	return ix.roles[roleKey{kind, namespace, name}]
}

// ClusterRoles returns every ClusterRole, sorted by name.
func (ix *Index) ClusterRoles() []*Role { return ix.clusterRoles }

// Roles returns every namespaced Role, sorted by namespace and name.
func (ix *Index) Roles() []*Role { return ix.nsRoles }

// Bindings returns every ClusterRoleBinding (by name) then every RoleBinding
// (by namespace and name): the authorizer's visiting order.
func (ix *Index) Bindings() []*Binding {
	out := append([]*Binding(nil), ix.clusterBindings...)
	nss := make([]string, 0, len(ix.nsBindings))
	for ns := range ix.nsBindings {
		nss = append(nss, ns)
	}
	sort.Strings(nss)
	for _, ns := range nss {
		out = append(out, ix.nsBindings[ns]...)
	}
	return out
}

// Binding returns a RoleBinding (namespace set) or ClusterRoleBinding, or
// nil.
func (ix *Index) Binding(kind, namespace, name string) *Binding {
	var list []*Binding
	if kind == KindClusterRoleBinding {
		list = ix.clusterBindings
	} else {
		list = ix.nsBindings[namespace]
	}
	i := sort.Search(len(list), func(i int) bool { return list[i].Name >= name })
	if i < len(list) && list[i].Name == name && list[i].Kind == kind {
		return list[i]
	}
	return nil
}

func containsKey(keys []subjectKey, k subjectKey) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

func sortedUnique(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
