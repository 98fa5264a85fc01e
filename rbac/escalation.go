package rbac

import (
	"fmt"
	"sort"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
)

// This file emulates the RBAC registry's escalation prevention
// (pkg/registry/rbac: policybased storage, ConfirmNoEscalation, Covers): a
// user may only create a role or binding granting what they already hold,
// unless they are in system:masters, hold `escalate` on the role (for
// roles) or `bind` on the referenced role (for bindings).

// EscalationRequest asks whether a user may create (or update) a role or a
// binding.
type EscalationRequest struct {
	User   string
	Groups []string
	// Namespace is the new object's namespace; empty for a ClusterRole or
	// ClusterRoleBinding.
	Namespace string
	// Kind is Role, ClusterRole, RoleBinding or ClusterRoleBinding; empty
	// means a binding when RoleRef is set, a role otherwise, namespaced when
	// Namespace is set.
	Kind string
	// Name is the new object's name. On create the API server's request
	// carries no name, so an `escalate` grant limited by resourceNames does
	// not help; on Update it does.
	Name   string
	Update bool
	// Rules and AggregationRule are the new role's content.
	Rules           []rbacv1.PolicyRule
	AggregationRule *rbacv1.AggregationRule
	// RoleRef is the new binding's role reference.
	RoleRef *rbacv1.RoleRef
}

// EscalationResult is the registry's answer.
type EscalationResult struct {
	// Kind is the kind of object the request creates.
	Kind string
	// Refused is true when the API server would refuse the request.
	Refused bool
	// Message is the refusal (Forbidden or NotFound) in upstream's words.
	Message string
	// CoveredByOwnRules is true when the user's own rules cover everything
	// granted (the bare ConfirmNoEscalation); it can be false while Refused
	// is false, when escalate, bind or system:masters let the request
	// through.
	CoveredByOwnRules bool
	// Missing are the granted rules the user does not hold, compacted.
	Missing []rbacv1.PolicyRule
	// MissingMessage is ConfirmNoEscalation's error; empty when covered.
	MissingMessage string
	// RoleRefError is set when the binding's role does not exist.
	RoleRefError string
}

// fullAuthority is what setting an aggregationRule requires: * on *.* and
// on every non-resource URL.
var fullAuthority = []rbacv1.PolicyRule{
	{Verbs: []string{"*"}, APIGroups: []string{"*"}, Resources: []string{"*"}},
	{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}},
}

// CheckEscalation answers an EscalationRequest.
func (ix *Index) CheckEscalation(req EscalationRequest) EscalationResult {
	kind := req.Kind
	if kind == "" {
		switch {
		case req.RoleRef != nil && req.Namespace != "":
			kind = KindRoleBinding
		case req.RoleRef != nil:
			kind = KindClusterRoleBinding
		case req.Namespace != "":
			kind = KindRole
		default:
			kind = KindClusterRole
		}
	}
	res := EscalationResult{Kind: kind}
	ns := req.Namespace
	if kind == KindClusterRole || kind == KindClusterRoleBinding {
		ns = ""
	}
	masters := has(req.Groups, GroupMasters)
	requestName := ""
	if req.Update {
		requestName = req.Name
	}
	forbidden := func(msg string) {
		res.Refused = true
		res.Message = fmt.Sprintf("%s.rbac.authorization.k8s.io %q is forbidden: %s", strings.ToLower(kind)+"s", req.Name, msg)
	}
	switch kind {
	case KindRole, KindClusterRole:
		res.CoveredByOwnRules, res.Missing, res.MissingMessage = ix.confirmNoEscalation(req.User, req.Groups, ns, req.Rules)
		if masters {
			return res
		}
		resource := "roles"
		if kind == KindClusterRole {
			resource = "clusterroles"
		}
		if ix.Authorize(Request{User: req.User, Groups: req.Groups, Verb: "escalate", APIGroup: groupRBAC, Resource: resource, Name: requestName, Namespace: ns}).Allowed {
			return res
		}
		if !res.CoveredByOwnRules {
			forbidden(res.MissingMessage)
			return res
		}
		if kind == KindClusterRole && req.AggregationRule != nil {
			if ok, _, _ := ix.confirmNoEscalation(req.User, req.Groups, ns, fullAuthority); !ok {
				forbidden("must have cluster-admin privileges to use the aggregationRule")
			}
		}
		return res
	case KindRoleBinding, KindClusterRoleBinding:
		if req.RoleRef == nil {
			res.Refused, res.Message = true, "roleRef is required"
			return res
		}
		if masters {
			return res
		}
		resource := "roles"
		if req.RoleRef.Kind == KindClusterRole {
			resource = "clusterroles"
		}
		bindAllowed := ix.Authorize(Request{User: req.User, Groups: req.Groups, Verb: "bind", APIGroup: groupRBAC, Resource: resource, Name: req.RoleRef.Name, Namespace: ns}).Allowed
		refNS := ns
		if req.RoleRef.Kind == KindClusterRole {
			refNS = ""
		}
		role := ix.roles[roleKey{req.RoleRef.Kind, refNS, req.RoleRef.Name}]
		if role == nil {
			res.RoleRefError = notFound(req.RoleRef.Kind, req.RoleRef.Name)
			if !bindAllowed {
				res.Refused, res.Message = true, res.RoleRefError
			}
			return res
		}
		res.CoveredByOwnRules, res.Missing, res.MissingMessage = ix.confirmNoEscalation(req.User, req.Groups, ns, role.Rules)
		if !bindAllowed && !res.CoveredByOwnRules {
			forbidden(res.MissingMessage)
		}
		return res
	}
	res.Refused, res.Message = true, fmt.Sprintf("unsupported kind %q", kind)
	return res
}

// confirmNoEscalation is upstream's ConfirmNoEscalation: do the user's own
// rules in namespace cover rules?
func (ix *Index) confirmNoEscalation(user string, groups []string, namespace string, rules []rbacv1.PolicyRule) (bool, []rbacv1.PolicyRule, string) {
	owner, errs := ix.RulesFor(user, groups, namespace)
	ok, missing := Covers(owner, rules)
	if ok {
		return true, nil, ""
	}
	missing = CompactRules(missing)
	descs := make([]string, 0, len(missing))
	for _, m := range missing {
		descs = append(descs, CompactString(m))
	}
	descs = sortedUnique(descs)
	if groups == nil {
		groups = []string{}
	}
	msg := fmt.Sprintf("user %q (groups=%q) is attempting to grant RBAC permissions not currently held:\n%s", user, groups, strings.Join(descs, "\n"))
	if len(errs) > 0 {
		msg += fmt.Sprintf("; resolution errors: %v", errs)
	}
	return false, missing, msg
}

// Covers reports whether owner rules cover every permission of servant
// rules, and which broken-down servant rules they miss (upstream Covers).
func Covers(owner, servant []rbacv1.PolicyRule) (bool, []rbacv1.PolicyRule) {
	var missing []rbacv1.PolicyRule
	for _, s := range servant {
		for _, sub := range BreakdownRule(s) {
			covered := false
			for i := range owner {
				if ruleCovers(&owner[i], &sub) {
					covered = true
					break
				}
			}
			if !covered {
				missing = append(missing, sub)
			}
		}
	}
	return len(missing) == 0, missing
}

// BreakdownRule splits a rule into rules of one group, one resource, one
// verb and at most one resource name (or one URL and one verb).
func BreakdownRule(rule rbacv1.PolicyRule) []rbacv1.PolicyRule {
	var out []rbacv1.PolicyRule
	for _, g := range rule.APIGroups {
		for _, r := range rule.Resources {
			for _, v := range rule.Verbs {
				if len(rule.ResourceNames) > 0 {
					for _, n := range rule.ResourceNames {
						out = append(out, rbacv1.PolicyRule{APIGroups: []string{g}, Resources: []string{r}, Verbs: []string{v}, ResourceNames: []string{n}})
					}
					continue
				}
				out = append(out, rbacv1.PolicyRule{APIGroups: []string{g}, Resources: []string{r}, Verbs: []string{v}})
			}
		}
	}
	for _, u := range rule.NonResourceURLs {
		for _, v := range rule.Verbs {
			out = append(out, rbacv1.PolicyRule{NonResourceURLs: []string{u}, Verbs: []string{v}})
		}
	}
	return out
}

func hasAll(set, contains []string) bool {
	for _, c := range contains {
		if !has(set, c) {
			return false
		}
	}
	return true
}

func resourceCoversAll(set, covers []string) bool {
	if has(set, rbacv1.ResourceAll) || hasAll(set, covers) {
		return true
	}
	for _, p := range covers {
		if has(set, p) {
			continue
		}
		_, sub, ok := strings.Cut(p, "/")
		if !ok || !has(set, "*/"+sub) {
			return false
		}
	}
	return true
}

func nonResourceURLsCoverAll(set, covers []string) bool {
	for _, p := range covers {
		covered := false
		for _, o := range set {
			if o == p || (strings.HasSuffix(o, "*") && strings.HasPrefix(p, strings.TrimRight(o, "*"))) {
				covered = true
				break
			}
		}
		if !covered {
			return false
		}
	}
	return true
}

func ruleCovers(owner, sub *rbacv1.PolicyRule) bool {
	verbs := has(owner.Verbs, rbacv1.VerbAll) || hasAll(owner.Verbs, sub.Verbs)
	groups := has(owner.APIGroups, rbacv1.APIGroupAll) || hasAll(owner.APIGroups, sub.APIGroups)
	resources := resourceCoversAll(owner.Resources, sub.Resources)
	urls := nonResourceURLsCoverAll(owner.NonResourceURLs, sub.NonResourceURLs)
	names := len(owner.ResourceNames) == 0
	if len(sub.ResourceNames) > 0 && !names {
		names = hasAll(owner.ResourceNames, sub.ResourceNames)
	}
	return verbs && groups && resources && urls && names
}

// sortRules sorts rules by CompactString, for stable output.
func sortRules(rules []rbacv1.PolicyRule) {
	sort.SliceStable(rules, func(i, j int) bool { return CompactString(rules[i]) < CompactString(rules[j]) })
}
