package rbac

import (
	"fmt"

	"github.com/kubeplan/kubeplan/lint/cluster"
	rbacv1 "k8s.io/api/rbac/v1"
)

// Kinds of RBAC objects.
const (
	KindRole               = "Role"
	KindClusterRole        = "ClusterRole"
	KindRoleBinding        = "RoleBinding"
	KindClusterRoleBinding = "ClusterRoleBinding"
	groupRBAC              = rbacv1.GroupName
)

// Role is a Role or ClusterRole as the authorizer sees it: after loading
// (later duplicates replace earlier ones) and, for ClusterRoles, after
// aggregation.
type Role struct {
	// Kind is KindRole or KindClusterRole.
	Kind string
	// Namespace is empty for a ClusterRole.
	Namespace, Name string
	Labels          map[string]string
	// Rules are the effective rules: for an aggregated ClusterRole, the
	// union the aggregation controller wrote.
	Rules []rbacv1.PolicyRule
	// Origins says, for each of Rules, which role and rule index wrote it
	// (itself, or the ClusterRole aggregation took it from).
	Origins []RuleOrigin
	// AggregationRule is the ClusterRole's aggregation rule, if any.
	AggregationRule *rbacv1.AggregationRule
	// Object is the manifest object; nil for the default policy.
	Object *cluster.Object
	// Default is true for roles of the embedded default policy.
	Default bool
	// written are the rules as written in the manifest.
	written []rbacv1.PolicyRule
}

// RuleOrigin names the role and rule index a rule was written in.
type RuleOrigin struct {
	Role  *Role
	Index int
}

// Ref renders "ClusterRole NAME" or "Role NS/NAME".
func (r *Role) Ref() string {
	if r.Kind == KindClusterRole {
		return r.Kind + " " + r.Name
	}
	return r.Kind + " " + r.Namespace + "/" + r.Name
}

// WrittenRules are the rules as written in the manifest (before
// aggregation).
func (r *Role) WrittenRules() []rbacv1.PolicyRule { return r.written }

// Binding is a RoleBinding or ClusterRoleBinding, with its role resolved.
type Binding struct {
	// Kind is KindRoleBinding or KindClusterRoleBinding.
	Kind string
	// Namespace is empty for a ClusterRoleBinding.
	Namespace, Name string
	RoleRef         rbacv1.RoleRef
	Subjects        []rbacv1.Subject
	// Object is the manifest object; nil for the default policy.
	Object *cluster.Object
	// Default is true for bindings of the embedded default policy.
	Default bool
	// Role is the referenced role; nil when it does not exist.
	Role *Role
	// RoleError is upstream's error for a missing role
	// (`clusterrole.rbac.authorization.k8s.io "x" not found`).
	RoleError string
	// order is the binding's place in the authorizer's visiting order:
	// ClusterRoleBindings by name, then RoleBindings by namespace and name.
	order int
	// names are the subjects that can match, rendered once (first
	// occurrence of each).
	names []subjectName
}

type subjectName struct {
	index int
	key   subjectKey
}

// Ref renders "ClusterRoleBinding NAME" or "RoleBinding NS/NAME".
func (b *Binding) Ref() string {
	if b.Kind == KindClusterRoleBinding {
		return b.Kind + " " + b.Name
	}
	return b.Kind + " " + b.Namespace + "/" + b.Name
}

// describe renders the binding as upstream's reason strings do.
func (b *Binding) describe(subject int) string {
	name := b.Name
	if b.Kind == KindRoleBinding {
		name = b.Name + "/" + b.Namespace
	}
	return fmt.Sprintf("%s %q of %s %q to %s", b.Kind, name, b.RoleRef.Kind, b.RoleRef.Name, describeSubject(b.Subjects[subject], b.Namespace))
}

func describeSubject(s rbacv1.Subject, bindingNamespace string) string {
	if s.Kind == rbacv1.ServiceAccountKind {
		ns := s.Namespace
		if ns == "" {
			ns = bindingNamespace
		}
		return fmt.Sprintf("%s %q", s.Kind, s.Name+"/"+ns)
	}
	return fmt.Sprintf("%s %q", s.Kind, s.Name)
}

// SubjectName renders a binding subject as kubectl's --as takes it: a user
// or group by name, a service account as system:serviceaccount:NS:NAME
// (NS defaults to the binding's namespace). ok is false for a subject that
// can never match (a service account without any namespace, an unknown kind).
func SubjectName(s rbacv1.Subject, bindingNamespace string) (name string, group bool, ok bool) {
	switch s.Kind {
	case rbacv1.UserKind:
		return s.Name, false, true
	case rbacv1.GroupKind:
		return s.Name, true, true
	case rbacv1.ServiceAccountKind:
		ns := s.Namespace
		if ns == "" {
			ns = bindingNamespace
		}
		if ns == "" {
			return "", false, false
		}
		return ServiceAccountUser(ns, s.Name), false, true
	}
	return "", false, false
}

// Rejected is an RBAC object the API server would refuse at creation; it is
// left out of every answer.
type Rejected struct {
	Kind, Namespace, Name string
	Object                *cluster.Object
	Errors                []FieldError
}

// FieldError is one validation error, in upstream's words.
type FieldError struct {
	// FieldPath locates the field ("rules[0].verbs").
	FieldPath string
	// Message is upstream's full message ("rules[0].verbs: Required value:
	// verbs must contain at least one value").
	Message string
}

func notFound(kind, name string) string {
	switch kind {
	case KindRole:
		return fmt.Sprintf("role.rbac.authorization.k8s.io %q not found", name)
	case KindClusterRole:
		return fmt.Sprintf("clusterrole.rbac.authorization.k8s.io %q not found", name)
	}
	return fmt.Sprintf("unsupported role reference kind: %q", kind)
}
