package rbac

import (
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
)

// This file holds the rule matching of upstream's RBAC authorizer
// (plugin/pkg/auth/authorizer/rbac: RuleAllows) and its helpers
// (pkg/apis/rbac/v1/evaluation_helpers.go), to the letter.

// RuleAllows reports whether one PolicyRule allows the request, as
// upstream's RuleAllows does. Subjects and namespaces are not looked at:
// that is the binding's job.
func RuleAllows(req *Request, rule *rbacv1.PolicyRule) bool {
	if req.IsResourceRequest() {
		combined := req.Resource
		if req.Subresource != "" {
			combined = req.Resource + "/" + req.Subresource
		}
		return verbMatches(rule, req.Verb) &&
			apiGroupMatches(rule, req.APIGroup) &&
			resourceMatches(rule, combined, req.Subresource) &&
			resourceNameMatches(rule, req.Name)
	}
	return verbMatches(rule, req.Verb) && nonResourceURLMatches(rule, req.Path)
}

// rulesAllow reports whether any of rules allows the request and, if so,
// the index of the first rule that does.
func rulesAllow(req *Request, rules []rbacv1.PolicyRule) (int, bool) {
	for i := range rules {
		if RuleAllows(req, &rules[i]) {
			return i, true
		}
	}
	return -1, false
}

// verbMatches: "*" or an exact, case-sensitive verb.
func verbMatches(rule *rbacv1.PolicyRule, verb string) bool {
	for _, v := range rule.Verbs {
		if v == rbacv1.VerbAll || v == verb {
			return true
		}
	}
	return false
}

// apiGroupMatches: "*" or the exact group; "" is the core group only.
func apiGroupMatches(rule *rbacv1.PolicyRule, group string) bool {
	for _, g := range rule.APIGroups {
		if g == rbacv1.APIGroupAll || g == group {
			return true
		}
	}
	return false
}

// resourceMatches: "*" matches every resource and subresource; otherwise an
// exact "resource" or "resource/subresource", or "*/subresource" for any
// resource's subresource. "pods/*" is not a wildcard: it only matches a
// subresource literally named "*".
func resourceMatches(rule *rbacv1.PolicyRule, combined, subresource string) bool {
	for _, r := range rule.Resources {
		if r == rbacv1.ResourceAll || r == combined {
			return true
		}
		if subresource == "" {
			continue
		}
		if len(r) == len(subresource)+2 && strings.HasPrefix(r, "*/") && strings.HasSuffix(r, subresource) {
			return true
		}
	}
	return false
}

// resourceNameMatches: no resourceNames allows every name (and none); a
// list only allows the names in it, so a request without a name (list,
// watch, create, deletecollection) only matches the name "".
func resourceNameMatches(rule *rbacv1.PolicyRule, name string) bool {
	if len(rule.ResourceNames) == 0 {
		return true
	}
	for _, n := range rule.ResourceNames {
		if n == name {
			return true
		}
	}
	return false
}

// nonResourceURLMatches: "*", an exact path, or a plain string prefix when
// the rule ends in "*" ("/logs*" matches "/logsandmore").
func nonResourceURLMatches(rule *rbacv1.PolicyRule, path string) bool {
	for _, u := range rule.NonResourceURLs {
		if u == rbacv1.NonResourceAll || u == path {
			return true
		}
		if strings.HasSuffix(u, "*") && strings.HasPrefix(path, strings.TrimRight(u, "*")) {
			return true
		}
	}
	return false
}

func has(set []string, s string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}
