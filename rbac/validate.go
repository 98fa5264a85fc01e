package rbac

import (
	"fmt"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// This file emulates what the API server does to an RBAC object on create:
// v1 defaulting (SetDefaults_Subject, SetDefaults_*RoleBinding) and
// validation (pkg/apis/rbac/validation). Objects with errors are dropped.

// defaultBinding fills roleRef.apiGroup and subject apiGroups as the v1
// defaulting functions do.
func defaultBinding(ref *rbacv1.RoleRef, subjects []rbacv1.Subject) {
	if ref.APIGroup == "" {
		ref.APIGroup = groupRBAC
	}
	for i := range subjects {
		if subjects[i].APIGroup != "" {
			continue
		}
		switch subjects[i].Kind {
		case rbacv1.UserKind, rbacv1.GroupKind:
			subjects[i].APIGroup = groupRBAC
		}
	}
}

func required(path, detail string) FieldError {
	msg := path + ": Required value"
	if detail != "" {
		msg += ": " + detail
	}
	return FieldError{FieldPath: path, Message: msg}
}

func invalid(path string, value any, detail string) FieldError {
	return FieldError{FieldPath: path, Message: fmt.Sprintf("%s: Invalid value: %s: %s", path, quoteValue(value), detail)}
}

func notSupported(path, value string, supported ...string) FieldError {
	q := make([]string, len(supported))
	for i, s := range supported {
		q[i] = fmt.Sprintf("%q", s)
	}
	return FieldError{FieldPath: path, Message: fmt.Sprintf("%s: Unsupported value: %q: supported values: %s", path, value, strings.Join(q, ", "))}
}

func quoteValue(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ",") + "]"
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// validateName is ValidateRBACName: a path segment name.
func validateName(path, name string) []FieldError {
	if name == "" {
		return []FieldError{required(path, "name or generateName is required")}
	}
	var errs []FieldError
	if name == "." || name == ".." {
		errs = append(errs, invalid(path, name, fmt.Sprintf("may not be '%s'", name)))
	}
	for _, bad := range []string{"/", "%"} {
		if strings.Contains(name, bad) {
			errs = append(errs, invalid(path, name, fmt.Sprintf("may not contain '%s'", bad)))
		}
	}
	return errs
}

// validateRules is ValidatePolicyRule over every rule.
func validateRules(rules []rbacv1.PolicyRule, namespaced bool) []FieldError {
	var errs []FieldError
	for i, rule := range rules {
		p := fmt.Sprintf("rules[%d]", i)
		if len(rule.Verbs) == 0 {
			errs = append(errs, required(p+".verbs", "verbs must contain at least one value"))
		}
		if len(rule.NonResourceURLs) > 0 {
			if namespaced {
				errs = append(errs, invalid(p+".nonResourceURLs", rule.NonResourceURLs, "namespaced rules cannot apply to non-resource URLs"))
			}
			if len(rule.APIGroups) > 0 || len(rule.Resources) > 0 || len(rule.ResourceNames) > 0 {
				errs = append(errs, invalid(p+".nonResourceURLs", rule.NonResourceURLs, "rules cannot apply to both regular resources and non-resource URLs"))
			}
			continue
		}
		if len(rule.APIGroups) == 0 {
			errs = append(errs, required(p+".apiGroups", "resource rules must supply at least one api group"))
		}
		if len(rule.Resources) == 0 {
			errs = append(errs, required(p+".resources", "resource rules must supply at least one resource"))
		}
	}
	return errs
}

// validateAggregationRule checks that there is at least one selector and
// every selector is a valid label selector.
func validateAggregationRule(ar *rbacv1.AggregationRule) []FieldError {
	if ar == nil {
		return nil
	}
	if len(ar.ClusterRoleSelectors) == 0 {
		return []FieldError{required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil")}
	}
	var errs []FieldError
	for i := range ar.ClusterRoleSelectors {
		sel := &ar.ClusterRoleSelectors[i]
		p := fmt.Sprintf("aggregationRule.clusterRoleSelectors[%d]", i)
		for j, req := range sel.MatchExpressions {
			switch req.Operator {
			case metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn, metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist:
			default:
				errs = append(errs, invalid(fmt.Sprintf("%s.matchExpressions[%d].operator", p, j), string(req.Operator), "not a valid selector operator"))
			}
			for _, msg := range validation.IsQualifiedName(req.Key) {
				errs = append(errs, invalid(fmt.Sprintf("%s.matchExpressions[%d].key", p, j), req.Key, msg))
			}
		}
		if _, err := metav1.LabelSelectorAsSelector(sel); err != nil {
			errs = append(errs, invalid(p, nil, "invalid label selector."))
		}
	}
	return errs
}

// validateBinding is ValidateRoleBinding / ValidateClusterRoleBinding after
// defaulting.
func validateBinding(kind string, ref rbacv1.RoleRef, subjects []rbacv1.Subject) []FieldError {
	var errs []FieldError
	if ref.APIGroup != groupRBAC {
		errs = append(errs, notSupported("roleRef.apiGroup", ref.APIGroup, groupRBAC))
	}
	namespaced := kind == KindRoleBinding
	if namespaced {
		if ref.Kind != KindRole && ref.Kind != KindClusterRole {
			errs = append(errs, notSupported("roleRef.kind", ref.Kind, KindRole, KindClusterRole))
		}
	} else if ref.Kind != KindClusterRole {
		errs = append(errs, notSupported("roleRef.kind", ref.Kind, KindClusterRole))
	}
	if ref.Name == "" {
		errs = append(errs, required("roleRef.name", ""))
	} else {
		for _, e := range validateName("roleRef.name", ref.Name) {
			errs = append(errs, e)
		}
	}
	for i, s := range subjects {
		p := fmt.Sprintf("subjects[%d]", i)
		if s.Name == "" {
			errs = append(errs, required(p+".name", ""))
		}
		switch s.Kind {
		case rbacv1.ServiceAccountKind:
			if s.Name != "" {
				if !isDNS1123Subdomain(s.Name) {
					errs = append(errs, invalid(p+".name", s.Name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"))
				}
			}
			if s.APIGroup != "" {
				errs = append(errs, notSupported(p+".apiGroup", s.APIGroup, ""))
			}
			if !namespaced && s.Namespace == "" {
				errs = append(errs, required(p+".namespace", ""))
			}
		case rbacv1.UserKind, rbacv1.GroupKind:
			if s.APIGroup != groupRBAC {
				errs = append(errs, notSupported(p+".apiGroup", s.APIGroup, groupRBAC))
			}
		default:
			errs = append(errs, notSupported(p+".kind", s.Kind, rbacv1.ServiceAccountKind, rbacv1.UserKind, rbacv1.GroupKind))
		}
	}
	return errs
}

// isDNS1123Subdomain is validation.IsDNS1123Subdomain without a regular
// expression (it runs for every service account subject).
func isDNS1123Subdomain(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) == 0 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
			if !alnum && (c != '-' || i == 0 || i == len(label)-1) {
				return false
			}
		}
	}
	return true
}
