package rbac

import (
	"sort"
)

// Subjects is the answer to "who can do this?": every subject any binding
// grants the request to, as upstream's SubjectAccessEvaluator finds them.
type Subjects struct {
	// Users are User subjects and service accounts (as
	// system:serviceaccount:NS:NAME), sorted and de-duplicated.
	Users []string
	// Groups are Group subjects, sorted; system:masters is always there,
	// as upstream lists it.
	Groups []string
	// Grants prove each user and group (except system:masters'
	// privileged-group access): binding, subject, role, rule. Their order
	// is deterministic (roles in index order, then bindings in the
	// authorizer's order); SortGrants orders them by subject.
	Grants []SubjectGrant
	// Errors are the missing roles met while scanning: every dangling
	// ClusterRoleBinding, and the dangling RoleBindings of the request's
	// namespace.
	Errors []string
}

// SubjectGrant is one subject and the grant that gives it access.
type SubjectGrant struct {
	// Name is the user, service account user name or group.
	Name string
	// Group is true for a Group subject.
	Group bool
	Grant
}

// whoCanIndex holds, for every role bound by at least one binding, its
// rules indexed by resource, so a query only checks roles that can match.
type whoCanIndex struct {
	// byResource maps a role's namespace ("" for ClusterRoles), a rule's
	// resource entry ("pods", "pods/log", "*", "*/scale") and one of the
	// same rule's verbs ("get", "*") to the bound roles with such a rule.
	byResource map[nsResource][]*Role
	// nonResource are the bound ClusterRoles with a nonResourceURLs rule.
	nonResource []*Role
	// clusterBound maps a role to its ClusterRoleBindings; nsBound maps a
	// namespace and a role to that namespace's RoleBindings.
	clusterBound map[*Role][]*Binding
	nsBound      map[nsRole][]*Binding
}

type nsResource struct{ namespace, resource, verb string }

type nsRole struct {
	namespace string
	role      *Role
}

func newWhoCanIndex(ix *Index) *whoCanIndex {
	w := &whoCanIndex{byResource: map[nsResource][]*Role{}, clusterBound: map[*Role][]*Binding{}, nsBound: map[nsRole][]*Binding{}}
	bound := map[*Role]bool{}
	var roles []*Role
	for _, b := range ix.Bindings() {
		if b.Role == nil {
			continue
		}
		if b.Kind == KindClusterRoleBinding {
			w.clusterBound[b.Role] = append(w.clusterBound[b.Role], b)
		} else {
			k := nsRole{b.Namespace, b.Role}
			w.nsBound[k] = append(w.nsBound[k], b)
		}
		if !bound[b.Role] {
			bound[b.Role] = true
			roles = append(roles, b.Role)
		}
	}
	for _, r := range roles {
		nonResource := false
		for i := range r.Rules {
			for _, res := range r.Rules[i].Resources {
				for _, verb := range r.Rules[i].Verbs {
					k := nsResource{r.Namespace, res, verb}
					// A role is listed once per key: it is the last one
					// appended when an earlier rule already added it.
					if list := w.byResource[k]; len(list) == 0 || list[len(list)-1] != r {
						w.byResource[k] = append(list, r)
					}
				}
			}
			if len(r.Rules[i].NonResourceURLs) > 0 {
				nonResource = true
			}
		}
		if nonResource {
			w.nonResource = append(w.nonResource, r)
		}
	}
	return w
}

// candidates returns the roles that may allow req: ClusterRoles, and the
// Roles of the request's namespace, with a rule naming its resource, "*" or
// "*/subresource" together with its verb or "*". A role may be in several
// lists.
func (w *whoCanIndex) candidates(req *Request) [][]*Role {
	if !req.IsResourceRequest() {
		return [][]*Role{w.nonResource}
	}
	keys := []string{"*", req.Resource}
	if req.Subresource != "" {
		keys = []string{"*", "*/" + req.Subresource, req.Resource + "/" + req.Subresource}
	}
	verbs := []string{"*", req.Verb}
	if req.Verb == "*" {
		verbs = verbs[:1]
	}
	out := make([][]*Role, 0, 2*len(keys)*len(verbs))
	for _, k := range keys {
		for _, v := range verbs {
			out = append(out, w.byResource[nsResource{"", k, v}])
			if req.Namespace != "" {
				out = append(out, w.byResource[nsResource{req.Namespace, k, v}])
			}
		}
	}
	return out
}

// WhoCan answers who may do req (its User and Groups are ignored):
// system:masters, and the subjects of every ClusterRoleBinding and, when
// req has a namespace, every RoleBinding of that namespace whose role allows
// it. Groups are listed as groups, never expanded to members.
func (ix *Index) WhoCan(req Request) Subjects {
	out := Subjects{Errors: append([]string(nil), ix.danglingCluster...)}
	if req.Namespace != "" {
		out.Errors = sortedUnique(append(out.Errors, ix.danglingNS[req.Namespace]...))
	}
	users := map[string]bool{}
	groups := map[string]bool{GroupMasters: true}
	checked := map[*Role]bool{}
	for _, list := range ix.whoCan.candidates(&req) {
		for _, r := range list {
			if checked[r] {
				continue
			}
			checked[r] = true
			i, ok := rulesAllow(&req, r.Rules)
			if !ok {
				continue
			}
			bs := ix.whoCan.clusterBound[r]
			if req.Namespace != "" {
				bs = append(bs[:len(bs):len(bs)], ix.whoCan.nsBound[nsRole{req.Namespace, r}]...)
			}
			for _, b := range bs {
				for _, sn := range b.names {
					if sn.key.group {
						groups[sn.key.name] = true
					} else {
						users[sn.key.name] = true
					}
					out.Grants = append(out.Grants, SubjectGrant{Name: sn.key.name, Group: sn.key.group, Grant: Grant{Binding: b, Subject: sn.index, Role: r, Rule: i}})
				}
			}
		}
	}
	out.Users = sortedKeys(users)
	out.Groups = sortedKeys(groups)
	return out
}

// SortGrants orders grants by kind (users first), subject, then the
// authorizer's binding order: the order to print them in.
func SortGrants(gs []SubjectGrant) {
	sort.Slice(gs, func(i, j int) bool {
		a, b := gs[i], gs[j]
		if a.Group != b.Group {
			return !a.Group
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Binding.order != b.Binding.order {
			return a.Binding.order < b.Binding.order
		}
		return a.Subject < b.Subject
	})
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
