package rbac

import (
	"sort"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
)

// Decision is the answer to a Request, as kube-apiserver's authorizer chain
// (privileged group, then RBAC) gives it.
type Decision struct {
	// Allowed is true when the request is allowed.
	Allowed bool
	// Superuser is true when the system:masters privileged-group authorizer
	// allowed it (before RBAC is asked).
	Superuser bool
	// Reason is the authorizer's reason: "RBAC: allowed by ..." when
	// allowed by RBAC, or the role resolution errors met on a denial.
	Reason string
	// Grant is the binding, role and rule that allowed the request (the
	// first in the authorizer's visiting order); nil unless RBAC allowed it.
	Grant *Grant
	// Errors are the role references that could not be resolved while
	// deciding (missing roles of bindings that apply to the user).
	Errors []string
}

// Grant is one proof of access: a binding, through one of its subjects,
// refers to a role whose rule matches.
type Grant struct {
	Binding *Binding
	// Subject is the index in Binding.Subjects of the matching subject.
	Subject int
	Role    *Role
	// Rule is the index in Role.Rules of the matching rule.
	Rule int
}

// PolicyRule returns the rule of the grant.
func (g *Grant) PolicyRule() rbacv1.PolicyRule { return g.Role.Rules[g.Rule] }

// Origin returns the role and rule index the rule was written in (another
// ClusterRole when it was aggregated).
func (g *Grant) Origin() RuleOrigin { return g.Role.Origins[g.Rule] }

// String renders "ClusterRoleBinding x -> ClusterRole y, rule 2" with the
// rule numbered from 1.
func (g *Grant) String() string {
	s := g.Binding.Ref() + " -> " + g.Role.Ref() + ", rule " + itoa(g.Rule+1)
	if o := g.Origin(); o.Role != g.Role {
		s += " (aggregated from " + o.Role.Ref() + ", rule " + itoa(o.Index+1) + ")"
	}
	return s
}

// Authorize answers req as kube-apiserver would with only the
// privileged-group and RBAC authorizers: members of system:masters are
// allowed everything; otherwise ClusterRoleBindings (by name) then, when the
// request has a namespace, that namespace's RoleBindings (by name) are
// visited and the first rule that matches allows. RBAC never denies: a
// request nothing allows gets no opinion.
func (ix *Index) Authorize(req Request) Decision {
	if has(req.Groups, GroupMasters) {
		return Decision{Allowed: true, Superuser: true}
	}
	var d Decision
	for _, ref := range ix.applicable(req.User, req.Groups, req.Namespace) {
		b := ref.binding
		if b.Role == nil {
			d.Errors = append(d.Errors, b.RoleError)
			continue
		}
		if i, ok := rulesAllow(&req, b.Role.Rules); ok {
			d.Allowed = true
			d.Grant = &Grant{Binding: b, Subject: ref.subject, Role: b.Role, Rule: i}
			d.Reason = "RBAC: allowed by " + b.describe(ref.subject)
			return d
		}
	}
	switch len(d.Errors) {
	case 0:
	case 1:
		d.Reason = "RBAC: " + d.Errors[0]
	default:
		d.Reason = "RBAC: [" + strings.Join(d.Errors, ", ") + "]"
	}
	return d
}

// applicable returns the bindings that apply to the user (one entry per
// binding, with its first matching subject) in the authorizer's visiting
// order: ClusterRoleBindings, then RoleBindings of namespace (none when
// namespace is empty).
func (ix *Index) applicable(user string, groups []string, namespace string) []subjectRef {
	out := make([]subjectRef, 0, 16)
	add := func(key subjectKey) {
		out = append(out, ix.bySubject[subjectIndexKey{"", key}]...)
		if namespace != "" {
			out = append(out, ix.bySubject[subjectIndexKey{namespace, key}]...)
		}
	}
	add(subjectKey{name: user})
	for _, g := range groups {
		add(subjectKey{group: true, name: g})
	}
	if len(out) < 2 {
		return out
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].binding.order != out[j].binding.order {
			return out[i].binding.order < out[j].binding.order
		}
		return out[i].subject < out[j].subject
	})
	uniq := out[:1]
	for _, r := range out[1:] {
		if r.binding != uniq[len(uniq)-1].binding {
			uniq = append(uniq, r)
		}
	}
	return uniq
}

// RulesFor returns every RBAC rule that applies to the user in namespace
// (ClusterRoleBindings only when namespace is empty), as upstream's
// DefaultRuleResolver.RulesFor does, with the errors of missing roles.
// system:masters is not a rule: it adds nothing here.
func (ix *Index) RulesFor(user string, groups []string, namespace string) ([]rbacv1.PolicyRule, []string) {
	var rules []rbacv1.PolicyRule
	var errs []string
	for _, ref := range ix.applicable(user, groups, namespace) {
		if ref.binding.Role == nil {
			errs = append(errs, ref.binding.RoleError)
			continue
		}
		rules = append(rules, ref.binding.Role.Rules...)
	}
	return rules, errs
}

// GrantsFor returns every grant that applies to the user in namespace, in
// visiting order: the binding, role and rule behind each of RulesFor's
// rules.
func (ix *Index) GrantsFor(user string, groups []string, namespace string) []Grant {
	var out []Grant
	for _, ref := range ix.applicable(user, groups, namespace) {
		if ref.binding.Role == nil {
			continue
		}
		for i := range ref.binding.Role.Rules {
			out = append(out, Grant{Binding: ref.binding, Subject: ref.subject, Role: ref.binding.Role, Rule: i})
		}
	}
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	neg := i < 0
	if neg {
		i = -i
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		n--
		b[n] = '-'
	}
	return string(b[n:])
}
