package rbac

import (
	"sort"
	"strings"
)

// TransitiveOptions tune WhoCanTransitive.
type TransitiveOptions struct {
	// MaxDepth bounds the chain length (steps before the final
	// permission); 0 means 3.
	MaxDepth int
}

// ChainedSubject is a subject that reaches a permission through a chain of
// other permissions, each step proven by a rule.
type ChainedSubject struct {
	// Subject is a user name (service accounts as
	// system:serviceaccount:NS:NAME) or a group name.
	Subject string
	// Kind is User, ServiceAccount or Group.
	Kind string
	// Steps describe the chain, first step first; the last one is the
	// permission itself.
	Steps []string
}

type identity struct {
	name  string
	group bool
}

func (id identity) kind() string {
	if id.group {
		return "Group"
	}
	if _, _, ok := SplitServiceAccountUser(id.name); ok {
		return "ServiceAccount"
	}
	return "User"
}

// becomeStep is a permission that lets its holder act as a target identity.
type becomeStep struct {
	req  Request
	what string
}

// becomeSteps lists the permissions that let a subject act as id: running
// a pod (directly or through a pod-creating workload), minting a token or
// impersonating, for a service account; impersonating, for a user or group.
func becomeSteps(id identity) []becomeStep {
	if id.group {
		return []becomeStep{{Request{Verb: "impersonate", Resource: "groups", Name: id.name}, "impersonate group " + id.name}}
	}
	steps := []becomeStep{{Request{Verb: "impersonate", Resource: "users", Name: id.name}, "impersonate user " + id.name}}
	ns, name, ok := SplitServiceAccountUser(id.name)
	if !ok {
		return steps
	}
	for _, w := range podCreators() {
		steps = append(steps, becomeStep{Request{Verb: "create", APIGroup: w.group, Resource: w.resource, Namespace: ns}, "create " + w.display() + " in " + ns + " running as " + ns + "/" + name})
	}
	return append(steps,
		becomeStep{Request{Verb: "create", Resource: "serviceaccounts", Subresource: "token", Name: name, Namespace: ns}, "create a token for " + ns + "/" + name},
		becomeStep{Request{Verb: "impersonate", Resource: "serviceaccounts", Name: name, Namespace: ns}, "impersonate " + ns + "/" + name},
	)
}

type groupResource struct{ group, resource string }

func (g groupResource) display() string {
	if g.group == "" {
		return g.resource
	}
	return g.resource + "." + g.group
}

// podCreators returns the resources whose create runs a pod.
func podCreators() []groupResource {
	return []groupResource{
		{"", "pods"}, {"", "replicationcontrollers"}, {"apps", "deployments"}, {"apps", "replicasets"},
		{"apps", "statefulsets"}, {"apps", "daemonsets"}, {"batch", "jobs"}, {"batch", "cronjobs"},
	}
}

// WhoCanTransitive lists the subjects that are not granted req directly but
// reach it through a chain: creating pods (or pod-creating workloads) in a
// namespace runs them as any service account there; creating a token for
// or impersonating a subject acts as it; creating a (Cluster)RoleBinding
// while holding bind (or escalate) grants oneself any role. Each step is a
// permission some binding grants.
func (ix *Index) WhoCanTransitive(req Request, opts TransitiveOptions) []ChainedSubject {
	depth := opts.MaxDepth
	if depth <= 0 {
		depth = 3
	}
	target := describeRequest(req)
	chains := map[identity][]string{}
	direct := ix.WhoCan(req)
	var frontier []identity
	for _, u := range direct.Users {
		id := identity{name: u}
		chains[id] = []string{}
		frontier = append(frontier, id)
	}
	for _, g := range direct.Groups {
		id := identity{name: g, group: true}
		chains[id] = []string{}
		frontier = append(frontier, id)
	}
	reach := func(subjects Subjects, step string, via []string) []identity {
		var out []identity
		for _, g := range subjects.Grants {
			id := identity{name: g.Name, group: g.Group}
			if _, done := chains[id]; done {
				continue
			}
			chains[id] = append([]string{g.Name + " can " + step + " (" + g.Grant.String() + ")"}, via...)
			out = append(out, id)
		}
		return out
	}
	// Granting oneself a role reaches every permission at once.
	bindScope := req.Namespace
	creators := ix.WhoCan(Request{Verb: "create", APIGroup: groupRBAC, Resource: bindingResource(bindScope), Namespace: bindScope})
	binders := ix.WhoCan(Request{Verb: "bind", APIGroup: groupRBAC, Resource: "clusterroles", Namespace: bindScope})
	escalators := ix.WhoCan(Request{Verb: "escalate", APIGroup: groupRBAC, Resource: "clusterroles", Namespace: bindScope})
	both := Subjects{}
	for _, g := range creators.Grants {
		if hasGrant(binders, g.Name, g.Group) || hasGrant(escalators, g.Name, g.Group) {
			both.Grants = append(both.Grants, g)
		}
	}
	frontier = append(frontier, reach(both, "create "+bindingResource(bindScope)+" and bind any role", []string{target})...)
	for d := 0; d < depth && len(frontier) > 0; d++ {
		sort.Slice(frontier, func(i, j int) bool { return frontier[i].name < frontier[j].name })
		var next []identity
		for _, id := range frontier {
			via := chains[id]
			if len(via) == 0 {
				via = []string{id.name + " can " + target}
			}
			for _, st := range becomeSteps(id) {
				next = append(next, reach(ix.WhoCan(st.req), st.what, via)...)
			}
		}
		frontier = next
	}
	var out []ChainedSubject
	for id, steps := range chains {
		if len(steps) == 0 {
			continue
		}
		out = append(out, ChainedSubject{Subject: id.name, Kind: id.kind(), Steps: steps})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Subject != out[j].Subject {
			return out[i].Subject < out[j].Subject
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

func bindingResource(namespace string) string {
	if namespace == "" {
		return "clusterrolebindings"
	}
	return "rolebindings"
}

func hasGrant(s Subjects, name string, group bool) bool {
	for _, g := range s.Grants {
		if g.Name == name && g.Group == group {
			return true
		}
	}
	return false
}

// describeRequest renders a request as a user reads it: "get secrets in
// prod", "create pods/exec in every namespace", "get /healthz".
func describeRequest(r Request) string {
	if !r.IsResourceRequest() {
		return r.Verb + " " + r.Path
	}
	var b strings.Builder
	b.WriteString(r.Verb + " " + r.Resource)
	if r.Subresource != "" {
		b.WriteString("/" + r.Subresource)
	}
	if r.APIGroup != "" {
		b.WriteString("." + r.APIGroup)
	}
	if r.Name != "" {
		b.WriteString(" " + r.Name)
	}
	if r.Namespace != "" {
		b.WriteString(" in " + r.Namespace)
	} else {
		b.WriteString(" in every namespace")
	}
	return b.String()
}
