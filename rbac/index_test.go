package rbac

import (
	"path/filepath"
	"testing"
)

func semanticsIndex(t *testing.T) *Index {
	t.Helper()
	return New(loadModel(t, filepath.Join(moduleRoot(t), "testdata", "rbac", "semantics.yaml")), Options{})
}

// TestBindingSemantics pins how upstream's DefaultRuleResolver applies
// bindings (pkg/registry/rbac/validation/rule.go: VisitRulesFor,
// appliesToUser) and the privileged-group authorizer.
func TestBindingSemantics(t *testing.T) {
	ix := semanticsIndex(t)
	for _, tc := range []struct {
		name string
		req  Request
		want bool
	}{
		{name: "RoleBinding to a ClusterRole grants in the binding's namespace", req: Request{User: "alice", Verb: "get", Resource: "pods", Namespace: "team-a"}, want: true},
		{name: "RoleBinding to a ClusterRole grants nothing in another namespace", req: Request{User: "alice", Verb: "get", Resource: "pods", Namespace: "team-b"}, want: false},
		{name: "RoleBinding to a ClusterRole grants nothing cluster-wide", req: Request{User: "alice", Verb: "list", Resource: "pods"}, want: false},
		{name: "ClusterRoleBinding to a Role grants nothing (the API server refuses it)", req: Request{User: "bob", Verb: "get", Resource: "services", Namespace: "team-a"}, want: false},
		{name: "binding to a missing role grants nothing", req: Request{User: "carol", Verb: "get", Resource: "services", Namespace: "team-a"}, want: false},
		{name: "ServiceAccount subject without namespace is the RoleBinding's namespace", req: Request{User: "system:serviceaccount:team-a:builder", Verb: "get", Resource: "services", Namespace: "team-a"}, want: true},
		{name: "ServiceAccount subject does not match an account of another namespace", req: Request{User: "system:serviceaccount:team-b:builder", Verb: "get", Resource: "services", Namespace: "team-a"}, want: false},
		{name: "User subject spelled as a service account matches that account", req: Request{User: "system:serviceaccount:team-b:runner", Verb: "get", Resource: "services", Namespace: "team-a"}, want: true},
		{name: "system:serviceaccounts:NS matches only when the caller carries the group", req: Request{User: "system:serviceaccount:team-b:any", Verb: "get", Resource: "pods", Namespace: "team-a"}, want: false},
		{name: "implicit service account groups match system:serviceaccounts:NS", req: Request{User: "system:serviceaccount:team-b:any", Groups: EffectiveGroups("system:serviceaccount:team-b:any", nil), Verb: "get", Resource: "pods", Namespace: "team-a"}, want: true},
		{name: "system:masters is allowed everything by the privileged-group authorizer", req: Request{User: "root", Groups: []string{GroupMasters}, Verb: "frobnicate", APIGroup: "made.up", Resource: "anything"}, want: true},
		{name: "a user named system:masters is not in the group", req: Request{User: GroupMasters, Verb: "get", Resource: "pods", Namespace: "team-a"}, want: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ix.Authorize(tc.req).Allowed; got != tc.want {
				t.Errorf("Authorize(%+v).Allowed = %v, want %v", tc.req, got, tc.want)
			}
		})
	}
}

func TestWhoCanAlwaysListsSystemMasters(t *testing.T) {
	s := semanticsIndex(t).WhoCan(Request{Verb: "frobnicate", APIGroup: "made.up", Resource: "anything", Namespace: "x"})
	if len(s.Groups) != 1 || s.Groups[0] != GroupMasters || len(s.Users) != 0 {
		t.Errorf("WhoCan = users %v groups %v, want only group system:masters", s.Users, s.Groups)
	}
}

// TestAggregation pins the ClusterRole aggregation controller
// (pkg/controller/clusterroleaggregation).
func TestAggregation(t *testing.T) {
	ix := semanticsIndex(t)
	for _, tc := range []struct {
		name, role string
		want       []string
	}{
		{name: "matching selector replaces the written rules", role: "reader", want: []string{`{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}`}},
		{name: "selector matching nothing keeps the written rules (server-side apply of an empty list owns nothing)", role: "keeps-rules", want: []string{`{APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}`}},
		{name: "empty selector selects every other ClusterRole, in name order, without duplicates", role: "everything", want: []string{
			`{APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}`,
			`{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ix.Role(KindClusterRole, "", tc.role)
			if r == nil {
				t.Fatal("role not found")
			}
			var got []string
			for _, x := range r.Rules {
				got = append(got, CompactString(x))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("rules %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("rules %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestDefaultPolicyHasTheBootstrapRoles(t *testing.T) {
	ix := New(nil, Options{DefaultPolicy: true})
	for _, name := range []string{"cluster-admin", "admin", "edit", "view", "system:discovery", "system:controller:deployment-controller"} {
		if ix.Role(KindClusterRole, "", name) == nil {
			t.Errorf("ClusterRole %s missing", name)
		}
	}
	if !ix.Authorize(Request{User: "x", Groups: []string{GroupAuthenticated}, Verb: "get", Path: "/apis"}).Allowed {
		t.Error("system:discovery does not let authenticated users read /apis")
	}
	if len(ix.Problems()) > 0 {
		t.Errorf("problems: %v", ix.Problems())
	}
}

func TestResourcesLookup(t *testing.T) {
	rs := NewResources(nil)
	for _, tc := range []struct{ typed, wantGroup, wantResource string }{
		{typed: "po", wantResource: "pods"},
		{typed: "pod", wantResource: "pods"},
		{typed: "deploy", wantGroup: "apps", wantResource: "deployments"},
		{typed: "deployments.apps", wantGroup: "apps", wantResource: "deployments"},
		{typed: "sa", wantResource: "serviceaccounts"},
		{typed: "ing", wantGroup: "networking.k8s.io", wantResource: "ingresses"},
		{typed: "ing.networking.k8s.io", wantGroup: "networking.k8s.io", wantResource: "ingresses"},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			got, ok := rs.Lookup(tc.typed)
			if !ok || got.Group != tc.wantGroup || got.Resource != tc.wantResource {
				t.Errorf("Lookup(%q) = %+v, %v", tc.typed, got, ok)
			}
		})
	}
}
