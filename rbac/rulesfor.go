package rbac

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
)

// CompactRules merges rules that name one API group and one resource (and
// at most one resource name) and differ only by verb, as upstream's
// CompactRules does; other rules are kept as they are. The result's order is
// not meaningful: see NormalizeRules.
func CompactRules(rules []rbacv1.PolicyRule) []rbacv1.PolicyRule {
	type simple struct {
		group, resource, name string
		hasName               bool
	}
	out := make([]rbacv1.PolicyRule, 0, len(rules))
	merged := map[simple]int{}
	for _, r := range rules {
		if len(r.ResourceNames) > 1 || len(r.NonResourceURLs) > 0 || len(r.APIGroups) != 1 || len(r.Resources) != 1 {
			out = append(out, r)
			continue
		}
		k := simple{group: r.APIGroups[0], resource: r.Resources[0]}
		if len(r.ResourceNames) == 1 {
			k.name, k.hasName = r.ResourceNames[0], true
		}
		if i, ok := merged[k]; ok {
			out[i].Verbs = append(out[i].Verbs, r.Verbs...)
			continue
		}
		merged[k] = len(out)
		out = append(out, *r.DeepCopy())
	}
	return out
}

// NormalizeRules returns rules compacted (CompactRules), each list sorted
// and de-duplicated, and the rules sorted (by their JSON form) and
// de-duplicated: a canonical form for comparing rule sets.
func NormalizeRules(rules []rbacv1.PolicyRule) []rbacv1.PolicyRule {
	compact := CompactRules(rules)
	type keyed struct {
		key  string
		rule rbacv1.PolicyRule
	}
	ks := make([]keyed, 0, len(compact))
	for _, r := range compact {
		r.Verbs = sortedSet(r.Verbs)
		r.APIGroups = sortedSet(r.APIGroups)
		r.Resources = sortedSet(r.Resources)
		r.ResourceNames = sortedSet(r.ResourceNames)
		r.NonResourceURLs = sortedSet(r.NonResourceURLs)
		b, _ := json.Marshal(r)
		ks = append(ks, keyed{string(b), r})
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].key < ks[j].key })
	out := make([]rbacv1.PolicyRule, 0, len(ks))
	for i, k := range ks {
		if i > 0 && k.key == ks[i-1].key {
			continue
		}
		out = append(out, k.rule)
	}
	return out
}

func sortedSet(s []string) []string {
	if s == nil {
		return nil
	}
	return sortedUnique(append([]string(nil), s...))
}

// CompactString renders a rule as upstream's rbacv1helpers.CompactString:
// {APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}.
func CompactString(r rbacv1.PolicyRule) string {
	var parts []string
	add := func(name string, v []string) {
		if len(v) > 0 {
			parts = append(parts, fmt.Sprintf("%s:%q", name, v))
		}
	}
	add("APIGroups", r.APIGroups)
	add("Resources", r.Resources)
	add("NonResourceURLs", r.NonResourceURLs)
	add("ResourceNames", r.ResourceNames)
	add("Verbs", r.Verbs)
	return "{" + strings.Join(parts, ", ") + "}"
}
