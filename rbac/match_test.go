package rbac

import (
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
)

// TestRuleAllows pins upstream's RuleAllows (plugin/pkg/auth/authorizer/rbac)
// and the matchers of pkg/apis/rbac/v1/evaluation_helpers.go.
func TestRuleAllows(t *testing.T) {
	for _, tc := range []struct {
		name string
		rule rbacv1.PolicyRule
		req  Request
		want bool
	}{
		{name: "VerbMatches: * matches every verb, including escalate", rule: rule([]string{"*"}, []string{""}, []string{"pods"}), req: resReq("escalate", "", "pods", ""), want: true},
		{name: "VerbMatches: verbs are case-sensitive", rule: rule([]string{"GET"}, []string{""}, []string{"pods"}), req: resReq("get", "", "pods", ""), want: false},
		{name: "APIGroupMatches: * matches the core group", rule: rule([]string{"get"}, []string{"*"}, []string{"pods"}), req: resReq("get", "", "pods", ""), want: true},
		{name: "APIGroupMatches: * matches metrics.k8s.io", rule: rule([]string{"get"}, []string{"*"}, []string{"pods"}), req: resReq("get", "metrics.k8s.io", "pods", ""), want: true},
		{name: "APIGroupMatches: the core group \"\" is only the core group", rule: rule([]string{"get"}, []string{""}, []string{"pods"}), req: resReq("get", "metrics.k8s.io", "pods", ""), want: false},
		{name: "APIGroupMatches: \"core\" is not the core group", rule: rule([]string{"get"}, []string{"core"}, []string{"pods"}), req: resReq("get", "", "pods", ""), want: false},
		{name: "ResourceMatches: * matches subresources", rule: rule([]string{"create"}, []string{""}, []string{"*"}), req: resReq("create", "", "pods", "exec"), want: true},
		{name: "ResourceMatches: pods does not cover pods/log", rule: rule([]string{"get"}, []string{""}, []string{"pods"}), req: resReq("get", "", "pods", "log"), want: false},
		{name: "ResourceMatches: pods/* is not a wildcard", rule: rule([]string{"create"}, []string{""}, []string{"pods/*"}), req: resReq("create", "", "pods", "exec"), want: false},
		{name: "ResourceMatches: pods/* matches a subresource literally named *", rule: rule([]string{"get"}, []string{""}, []string{"pods/*"}), req: resReq("get", "", "pods", "*"), want: true},
		{name: "ResourceMatches: */scale matches any resource's scale", rule: rule([]string{"update"}, []string{"apps"}, []string{"*/scale"}), req: resReq("update", "apps", "deployments", "scale"), want: true},
		{name: "ResourceMatches: */scale does not grant the parent resource", rule: rule([]string{"get"}, []string{"apps"}, []string{"*/scale"}), req: resReq("get", "apps", "deployments", ""), want: false},
		{name: "ResourceMatches: */* does not match pods/log", rule: rule([]string{"get"}, []string{""}, []string{"*/*"}), req: resReq("get", "", "pods", "log"), want: false},
		{name: "ResourceMatches: resources are case-sensitive", rule: rule([]string{"get"}, []string{""}, []string{"Pods"}), req: resReq("get", "", "pods", ""), want: false},
		{name: "ResourceNameMatches: resourceNames allow the named object", rule: named("get", "app-config"), req: withName(resReq("get", "", "configmaps", ""), "app-config"), want: true},
		{name: "ResourceNameMatches: resourceNames never authorise list without a name", rule: named("list", "app-config"), req: resReq("list", "", "configmaps", ""), want: false},
		{name: "ResourceNameMatches: resourceNames never authorise watch without a name", rule: named("watch", "app-config"), req: resReq("watch", "", "configmaps", ""), want: false},
		{name: "ResourceNameMatches: resourceNames never authorise create (no name)", rule: named("create", "app-config"), req: resReq("create", "", "configmaps", ""), want: false},
		{name: "ResourceNameMatches: resourceNames never authorise deletecollection", rule: named("deletecollection", "app-config"), req: resReq("deletecollection", "", "configmaps", ""), want: false},
		{name: "ResourceNameMatches: list with a metadata.name field selector carries the name", rule: named("list", "app-config"), req: withName(resReq("list", "", "configmaps", ""), "app-config"), want: true},
		{name: "ResourceNameMatches: resourceNames [\"\"] matches nameless requests", rule: named("list", ""), req: resReq("list", "", "configmaps", ""), want: true},
		{name: "NonResourceURLMatches: exact path", rule: nonResource("get", "/healthz"), req: Request{Verb: "get", Path: "/healthz"}, want: true},
		{name: "NonResourceURLMatches: /healthz/* matches below /healthz/", rule: nonResource("get", "/healthz/*"), req: Request{Verb: "get", Path: "/healthz/etcd"}, want: true},
		{name: "NonResourceURLMatches: /healthz/* does not match /healthz", rule: nonResource("get", "/healthz/*"), req: Request{Verb: "get", Path: "/healthz"}, want: false},
		{name: "NonResourceURLMatches: trailing * is a plain string prefix", rule: nonResource("get", "/logs*"), req: Request{Verb: "get", Path: "/logsandmore"}, want: true},
		{name: "NonResourceURLMatches: * matches every path", rule: nonResource("get", "*"), req: Request{Verb: "get", Path: "/anything/at/all"}, want: true},
		{name: "resource wildcards never grant non-resource URLs", rule: rule([]string{"*"}, []string{"*"}, []string{"*"}), req: Request{Verb: "get", Path: "/healthz"}, want: false},
		{name: "nonResourceURLs never grant resources", rule: nonResource("*", "*"), req: resReq("get", "", "pods", ""), want: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := RuleAllows(&tc.req, &tc.rule); got != tc.want {
				t.Errorf("RuleAllows(%+v, %+v) = %v, want %v", tc.req, tc.rule, got, tc.want)
			}
		})
	}
}

// TestRequestForURL pins upstream RequestInfoFactory.NewRequestInfo.
func TestRequestForURL(t *testing.T) {
	for _, tc := range []struct {
		name, method, url string
		want              Request
	}{
		{name: "GET of a collection is list", method: "GET", url: "/api/v1/namespaces/prod/pods", want: Request{Verb: "list", Resource: "pods", Namespace: "prod"}},
		{name: "watch=true is watch", url: "/api/v1/namespaces/prod/configmaps?watch=true", want: Request{Verb: "watch", Resource: "configmaps", Namespace: "prod"}},
		{name: "a metadata.name field selector carries the name", url: "/api/v1/namespaces/names/configmaps?watch=true&fieldSelector=metadata.name%3Dapp-config", want: Request{Verb: "watch", Resource: "configmaps", Name: "app-config", Namespace: "names"}},
		{name: "POST is create and carries no name", method: "POST", url: "/api/v1/namespaces/prod/configmaps", want: Request{Verb: "create", Resource: "configmaps", Namespace: "prod"}},
		{name: "DELETE of a collection is deletecollection", method: "DELETE", url: "/apis/apps/v1/namespaces/prod/deployments", want: Request{Verb: "deletecollection", APIGroup: "apps", Resource: "deployments", Namespace: "prod"}},
		{name: "subresource", method: "POST", url: "/api/v1/namespaces/prod/pods/web-0/exec", want: Request{Verb: "create", Resource: "pods", Name: "web-0", Subresource: "exec", Namespace: "prod"}},
		{name: "GET of a Namespace has the namespace as its namespace", url: "/api/v1/namespaces/scoped", want: Request{Verb: "get", Resource: "namespaces", Name: "scoped", Namespace: "scoped"}},
		{name: "a cluster-scoped collection has no namespace", url: "/api/v1/nodes", want: Request{Verb: "list", Resource: "nodes"}},
		{name: "/version is a non-resource URL", url: "/version", want: Request{Verb: "get", Path: "/version"}},
		{name: "/apis alone is a non-resource URL", url: "/apis", want: Request{Verb: "get", Path: "/apis"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RequestForURL(tc.method, tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if got.Verb != tc.want.Verb || got.APIGroup != tc.want.APIGroup || got.Resource != tc.want.Resource || got.Subresource != tc.want.Subresource || got.Name != tc.want.Name || got.Namespace != tc.want.Namespace || got.Path != tc.want.Path {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestEffectiveGroups pins the groups a live cluster's authenticators add
// (AuthenticatedGroupAdder, serviceaccount.MakeGroupNames, the anonymous
// authenticator).
func TestEffectiveGroups(t *testing.T) {
	for _, tc := range []struct {
		name   string
		user   string
		groups []string
		want   []string
	}{
		{name: "every authenticated user gets system:authenticated", user: "alice", want: []string{"system:authenticated"}},
		{name: "a service account gets system:serviceaccounts and system:serviceaccounts:NS", user: "system:serviceaccount:prod:api", want: []string{"system:serviceaccounts", "system:serviceaccounts:prod", "system:authenticated"}},
		{name: "system:anonymous is unauthenticated", user: "system:anonymous", want: []string{"system:unauthenticated"}},
		{name: "a malformed service account name is a plain user", user: "system:serviceaccount:prod", want: []string{"system:authenticated"}},
		{name: "groups given are kept and not duplicated", user: "bob", groups: []string{"dev", "system:authenticated"}, want: []string{"dev", "system:authenticated"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := EffectiveGroups(tc.user, tc.groups)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// TestCovers pins upstream's escalation check (policy_comparator.go Covers).
func TestCovers(t *testing.T) {
	for _, tc := range []struct {
		name           string
		owner, servant []rbacv1.PolicyRule
		want           bool
	}{
		{name: "a subset of own rules is covered", owner: []rbacv1.PolicyRule{rule([]string{"get", "list"}, []string{""}, []string{"pods"})}, servant: []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"pods"})}, want: true},
		{name: "verbs * is not covered by get and list", owner: []rbacv1.PolicyRule{rule([]string{"get", "list"}, []string{""}, []string{"pods"})}, servant: []rbacv1.PolicyRule{rule([]string{"*"}, []string{""}, []string{"pods"})}, want: false},
		{name: "pods does not cover pods/log", owner: []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"pods"})}, servant: []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"pods/log"})}, want: false},
		{name: "*/log covers pods/log", owner: []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"*/log"})}, servant: []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"pods/log"})}, want: true},
		{name: "narrower by resourceNames is covered", owner: []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"configmaps"})}, servant: []rbacv1.PolicyRule{named("get", "web-0")}, want: true},
		{name: "resourceNames do not cover the whole resource", owner: []rbacv1.PolicyRule{named("get", "web-0")}, servant: []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"configmaps"})}, want: false},
		{name: "a resource rule does not cover a non-resource URL", owner: []rbacv1.PolicyRule{rule([]string{"*"}, []string{"*"}, []string{"*"})}, servant: []rbacv1.PolicyRule{nonResource("get", "/healthz")}, want: false},
		{name: "a URL prefix covers the URLs below it", owner: []rbacv1.PolicyRule{nonResource("get", "/healthz*")}, servant: []rbacv1.PolicyRule{nonResource("get", "/healthz/etcd")}, want: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := Covers(tc.owner, tc.servant); got != tc.want {
				t.Errorf("Covers = %v, want %v", got, tc.want)
			}
		})
	}
}
