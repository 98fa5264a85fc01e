package rbac

import (
	"fmt"
	"sort"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// aggregate runs the ClusterRole aggregation controller (upstream
// pkg/controller/clusterroleaggregation, syncClusterRole) to a fixed point:
// every ClusterRole with an aggregationRule gets the union of the rules of
// every other ClusterRole matching any of its selectors, selectors in order,
// roles in name order, duplicate rules dropped. When the union is empty the
// rules written in the manifest stay (the controller's server-side apply of
// an empty list does not own .rules). Roles are visited in name order and
// re-visited until nothing changes, so nested aggregation converges; a cycle
// that never settles is reported.
func aggregate(clusterRoles []*Role) []string {
	byName := append([]*Role(nil), clusterRoles...)
	sort.Slice(byName, func(i, j int) bool { return byName[i].Name < byName[j].Name })
	var aggregated []*Role
	selectors := map[*Role][]labels.Selector{}
	for _, r := range byName {
		if r.AggregationRule == nil {
			continue
		}
		var sels []labels.Selector
		for i := range r.AggregationRule.ClusterRoleSelectors {
			s, err := metav1.LabelSelectorAsSelector(&r.AggregationRule.ClusterRoleSelectors[i])
			if err != nil {
				continue // rejected at validation
			}
			sels = append(sels, s)
		}
		selectors[r] = sels
		aggregated = append(aggregated, r)
	}
	if len(aggregated) == 0 {
		return nil
	}
	// Matching roles never change during the loop (labels are fixed), so
	// compute them once.
	members := map[*Role][][]*Role{}
	for _, r := range aggregated {
		for _, s := range selectors[r] {
			var ms []*Role
			for _, c := range byName {
				if c != r && s.Matches(labels.Set(c.Labels)) {
					ms = append(ms, c)
				}
			}
			members[r] = append(members[r], ms)
		}
	}
	maxRounds := len(aggregated) + 2
	for round := 0; round < maxRounds; round++ {
		changed := false
		for _, r := range aggregated {
			var rules []rbacv1.PolicyRule
			var origins []RuleOrigin
			for _, ms := range members[r] {
				for _, c := range ms {
					for i := range c.Rules {
						if ruleExists(rules, &c.Rules[i]) {
							continue
						}
						rules = append(rules, c.Rules[i])
						origins = append(origins, c.Origins[i])
					}
				}
			}
			if len(rules) == 0 || rulesEqual(rules, r.Rules) {
				continue
			}
			r.Rules, r.Origins = rules, origins
			changed = true
		}
		if !changed {
			return nil
		}
	}
	var errs []string
	for _, r := range aggregated {
		errs = append(errs, fmt.Sprintf("ClusterRole %q: aggregation did not converge (aggregated roles select each other)", r.Name))
	}
	return errs
}

func ruleExists(rules []rbacv1.PolicyRule, rule *rbacv1.PolicyRule) bool {
	for i := range rules {
		if ruleEqual(&rules[i], rule) {
			return true
		}
	}
	return false
}

func rulesEqual(a, b []rbacv1.PolicyRule) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !ruleEqual(&a[i], &b[i]) {
			return false
		}
	}
	return true
}

// ruleEqual is equality.Semantic.DeepEqual on rules: nil and empty lists are
// equal.
func ruleEqual(a, b *rbacv1.PolicyRule) bool {
	return stringsEqual(a.Verbs, b.Verbs) && stringsEqual(a.APIGroups, b.APIGroups) &&
		stringsEqual(a.Resources, b.Resources) && stringsEqual(a.ResourceNames, b.ResourceNames) &&
		stringsEqual(a.NonResourceURLs, b.NonResourceURLs)
}

func stringsEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
