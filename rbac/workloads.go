package rbac

import (
	"fmt"
	"strings"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

// Ability is a dangerous permission an identity holds, with its proof.
type Ability struct {
	// What says what it can do ("read secrets in every namespace").
	What string
	// Grant is the binding, role and rule that allow it.
	Grant *Grant
}

// DangerousAbilities returns what of the risky permissions (the risky-grant
// rules' list) the identity holds in namespace, each with the grant that
// proves it; a permission held cluster-wide (through a ClusterRoleBinding)
// is reported once, "in every namespace".
func (ix *Index) DangerousAbilities(user string, groups []string, namespace string) []Ability {
	var out []Ability
	for _, r := range risks() {
		for _, p := range r.probes {
			req := p
			req.User, req.Groups = user, groups
			req.Namespace = ""
			if d := ix.Authorize(req); d.Allowed && d.Grant != nil {
				out = append(out, Ability{What: r.what + " in every namespace", Grant: d.Grant})
				break
			}
			req.Namespace = namespace
			if d := ix.Authorize(req); d.Allowed && d.Grant != nil {
				out = append(out, Ability{What: r.what + " in " + namespace, Grant: d.Grant})
				break
			}
		}
	}
	return out
}

// workload reports what the workload's service account can do when it is
// dangerous, and one step further: service accounts of the namespace it
// can run pods as.
func (c *checker) workload(w *cluster.Workload) {
	ns, sa := w.Namespace(), w.ServiceAccountName()
	user := ServiceAccountUser(ns, sa)
	groups := EffectiveGroups(user, nil)
	abilities := c.ix.DangerousAbilities(user, groups, ns)
	if len(abilities) == 0 {
		return
	}
	o := w.Object
	field := w.SpecPath() + ".serviceAccountName"
	if !o.Has(field) {
		field = w.SpecPath()
	}
	var parts []string
	var rel []finding.Location
	for _, a := range abilities {
		parts = append(parts, fmt.Sprintf("%s (via %s)", a.What, a.Grant.String()))
		rel = append(rel, grantLocations(a.Grant)...)
	}
	msg := fmt.Sprintf("%s %s/%s runs as %s/%s, which can %s", o.GVK.Kind, ns, o.Name, ns, sa, strings.Join(parts, "; "))
	if chain := c.podChain(user, groups, ns, sa); chain != "" {
		msg += "; " + chain
	}
	if why := automountOff(w, c.m); why != "" {
		msg += " (its token is not mounted: " + why + ", but code that reaches the API as it still can)"
	}
	f := o.Finding(RuleWorkloadPermissions, finding.SeverityWarning, field, msg)
	f.Related = rel
	c.add(f)
}

// podChain finds one service account of namespace, other than sa, that the
// identity can run pods as (it can create pods there) and that holds
// dangerous permissions the identity does not.
func (c *checker) podChain(user string, groups []string, ns, sa string) string {
	if !c.ix.Authorize(Request{User: user, Groups: groups, Verb: "create", Resource: "pods", Namespace: ns}).Allowed {
		return ""
	}
	for _, o := range c.m.Kind("", "ServiceAccount") {
		if o.Namespace != ns || o.Name == sa {
			continue
		}
		other := ServiceAccountUser(ns, o.Name)
		abilities := c.ix.DangerousAbilities(other, EffectiveGroups(other, nil), ns)
		for _, a := range abilities {
			if !strings.HasPrefix(a.What, "create pods") {
				return fmt.Sprintf("and, creating pods as %s/%s, can %s (via %s)", ns, o.Name, a.What, a.Grant.String())
			}
		}
	}
	return ""
}

// grantLocations points at the binding's roleRef and the role's rule, when
// they come from the input.
func grantLocations(g *Grant) []finding.Location {
	var out []finding.Location
	if g.Binding.Object != nil {
		loc := g.Binding.Object.Locate("roleRef")
		loc.Message = g.Binding.Ref()
		out = append(out, loc)
	}
	if o := g.Origin(); o.Role.Object != nil {
		loc := o.Role.Object.Locate(fmt.Sprintf("rules[%d]", o.Index))
		loc.Message = fmt.Sprintf("%s rule %d", o.Role.Ref(), o.Index+1)
		out = append(out, loc)
	}
	return out
}

// automountOff says where automountServiceAccountToken: false is set (the
// pod wins over the service account), or "".
func automountOff(w *cluster.Workload, m *cluster.Model) string {
	if a := w.Template.Spec.AutomountServiceAccountToken; a != nil {
		if !*a {
			return "automountServiceAccountToken: false on the pod"
		}
		return ""
	}
	if o := m.Get("", "ServiceAccount", w.Namespace(), w.ServiceAccountName()); o != nil {
		if sa, ok := o.Typed.(*corev1.ServiceAccount); ok && sa.AutomountServiceAccountToken != nil && !*sa.AutomountServiceAccountToken {
			return "automountServiceAccountToken: false on the service account"
		}
	}
	return ""
}
