package rbac

import (
	"context"
	"fmt"
	"strings"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	rbacv1 "k8s.io/api/rbac/v1"
)

const analyzerName = "rbac"

// Rule IDs of the rules that are not risky-grant probes (see risks).
const (
	RuleWildcard              = "rbac-wildcard-grant"
	RuleBroadNonResourceURLs  = "rbac-broad-nonresource-urls"
	RuleBroadSubject          = "rbac-broad-subject"
	RuleMissingRole           = "rbac-missing-role"
	RuleSANoNamespace         = "rbac-serviceaccount-without-namespace"
	RuleClusterBindingToRole  = "rbac-clusterrolebinding-to-role"
	RuleUnmatchableNames      = "rbac-resourcenames-unmatchable"
	RuleUnknownResource       = "rbac-unknown-resource"
	RuleUnknownVerb           = "rbac-unknown-verb"
	RuleUnusedRole            = "rbac-unused-role"
	RuleMissingServiceAccount = "rbac-missing-serviceaccount"
	RuleInvalidObject         = "rbac-invalid-object"
	RuleWorkloadPermissions   = "rbac-workload-dangerous-permissions"
)

// AnalyzerOptions configure the RBAC analyzer.
type AnalyzerOptions struct {
	// DefaultPolicy adds the default roles and bindings of a real cluster
	// (on in the CLI; --no-default-rbac turns it off).
	DefaultPolicy bool
}

// Analyzer reports risky grants, RBAC mistakes and the dangerous
// permissions of each workload's service account. It satisfies
// lint.Analyzer.
type Analyzer struct {
	opts AnalyzerOptions
}

// NewAnalyzer returns the RBAC analyzer.
func NewAnalyzer(opts AnalyzerOptions) *Analyzer { return &Analyzer{opts: opts} }

// Name is "rbac".
func (a *Analyzer) Name() string { return analyzerName }

func mistake(id, title, desc, remediation string, sev finding.Severity) finding.Rule {
	return finding.Rule{ID: id, Title: title, Description: desc, Remediation: remediation, Severity: sev,
		Categories: []string{finding.CategoryCorrectness}, Source: analyzerName}
}

// Rules lists every rule the analyzer reports.
func (a *Analyzer) Rules() []finding.Rule {
	out := []finding.Rule{
		secRule(RuleWildcard, "Role grants a wildcard",
			"A rule uses \"*\" in verbs, resources or apiGroups. It grants every current and future verb, resource or API group, including escalate, bind, impersonate and custom resources added later.",
			"List the verbs, resources and API groups the holder needs.", "8.0", finding.SeverityWarning),
		secRule(RuleBroadNonResourceURLs, "Role grants every non-resource URL",
			"A rule grants nonResourceURLs \"*\" (or \"/*\"): every API server endpoint outside the resource API, such as /debug/pprof, /logs and /metrics.",
			"List the URLs the holder needs (/healthz, /metrics).", "5.0", finding.SeverityWarning),
		secRule(RuleBroadSubject, "Binding grants to everyone or to the superuser group",
			"A binding's subject is system:anonymous, system:unauthenticated, system:authenticated or system:masters. The first three reach every (anonymous or authenticated) caller; system:masters already bypasses RBAC, so binding it hides where superuser access comes from.",
			"Bind the role to the users, groups or service accounts that need it.", "7.5", finding.SeverityWarning),
		secRule(RuleWorkloadPermissions, "Workload runs as a service account with dangerous permissions",
			"A workload's pods run as a service account that can do something dangerous (read secrets, create pods, exec, impersonate, escalate...). Anyone who can run code in those pods, or read their token, inherits it.",
			"Give the workload its own service account with only what it needs, or set automountServiceAccountToken: false when it does not call the API.", "7.0", finding.SeverityWarning),
		mistake(RuleMissingRole, "Binding refers to a missing role",
			"The roleRef names a Role or ClusterRole that is not in the input (nor in the default policy). The binding grants nothing; a role with that name created later will be granted silently.",
			"Fix the role name, add the role, or delete the binding.", finding.SeverityWarning),
		mistake(RuleSANoNamespace, "ServiceAccount subject without namespace",
			"A ServiceAccount subject of a ClusterRoleBinding has no namespace. The API server refuses the binding.",
			"Set subjects[].namespace to the service account's namespace.", finding.SeverityError),
		mistake(RuleClusterBindingToRole, "ClusterRoleBinding refers to a Role",
			"A ClusterRoleBinding can only refer to a ClusterRole; the API server refuses it and it grants nothing.",
			"Use a RoleBinding in the Role's namespace, or refer to a ClusterRole.", finding.SeverityError),
		mistake(RuleUnmatchableNames, "resourceNames with a verb that carries no name",
			"A rule lists resourceNames with list, watch, create or deletecollection. Those requests carry no name, so the rule never allows them (only a list or watch with a metadata.name field selector would).",
			"Move the nameless verbs to a rule without resourceNames, or drop them.", finding.SeverityWarning),
		mistake(RuleUnknownResource, "Rule names an unknown resource",
			"A rule names a resource its API group does not have, such as \"pod\" or \"deployment\" in the core group (resources are plural and lower-case, deployments are in apps). It matches nothing.",
			"Use the plural resource name in its API group, as `kubectl api-resources` lists it.", finding.SeverityWarning),
		mistake(RuleUnknownVerb, "Rule names an unknown verb",
			"A rule names a verb the API server never asks about (verbs are lower-case: get, list, watch, create, update, patch, delete, deletecollection, and special verbs such as bind, escalate, impersonate, use, approve, sign). It matches nothing.",
			"Use the lower-case verb names.", finding.SeverityWarning),
		mistake(RuleUnusedRole, "Role is bound by nothing",
			"No RoleBinding in the input refers to this Role. It grants nothing. ClusterRoles are not reported: they are often installed to be bound later, or aggregated.",
			"Bind it, or delete it.", finding.SeverityNote),
		mistake(RuleMissingServiceAccount, "Binding subject ServiceAccount does not exist",
			"A binding names a ServiceAccount that is not in the input, while the input defines ServiceAccounts. The grant waits for whoever creates an account with that name.",
			"Fix the subject's name or namespace, or add the ServiceAccount.", finding.SeverityWarning),
		mistake(RuleInvalidObject, "RBAC object the API server would refuse",
			"The API server's validation refuses this Role, ClusterRole or binding (for example a rule without apiGroups or verbs, a Role with nonResourceURLs, a subject kind in lower case, an invalid aggregation selector or an API version no longer served). It is left out of every answer.",
			"Fix the field the message names.", finding.SeverityError),
	}
	for _, r := range risks() {
		out = append(out, r.rule)
	}
	return out
}

// Run builds the index of m and reports findings.
func (a *Analyzer) Run(ctx context.Context, m *cluster.Model) []finding.Finding {
	if m == nil {
		return nil
	}
	ix := New(m, Options{DefaultPolicy: a.opts.DefaultPolicy})
	res := NewResources(m)
	c := &checker{ix: ix, res: res, m: m, holders: holders(ix)}
	for _, r := range ix.rejected {
		c.rejected(r)
	}
	for _, r := range append(append([]*Role(nil), ix.clusterRoles...), ix.nsRoles...) {
		if ctx.Err() != nil {
			return c.out
		}
		if r.Object != nil {
			c.role(r)
		}
	}
	for _, b := range ix.Bindings() {
		if b.Object != nil {
			c.binding(b)
		}
	}
	for _, w := range m.Workloads() {
		if ctx.Err() != nil {
			return c.out
		}
		c.workload(w)
	}
	return c.out
}

type checker struct {
	ix      *Index
	res     *Resources
	m       *cluster.Model
	holders map[*Role][]*Binding
	out     []finding.Finding
}

// holders maps every role to the bindings that grant its rules: bindings
// to it, and bindings to ClusterRoles that aggregate it.
func holders(ix *Index) map[*Role][]*Binding {
	out := map[*Role][]*Binding{}
	for _, b := range ix.Bindings() {
		if b.Role == nil {
			continue
		}
		seen := map[*Role]bool{b.Role: true}
		out[b.Role] = append(out[b.Role], b)
		for _, o := range b.Role.Origins {
			if !seen[o.Role] {
				seen[o.Role] = true
				out[o.Role] = append(out[o.Role], b)
			}
		}
	}
	return out
}

func (c *checker) add(f finding.Finding) { c.out = append(c.out, f) }

// heldBy renders who holds a role's rules, and the related locations.
func (c *checker) heldBy(r *Role) (string, []finding.Location) {
	bs := c.holders[r]
	if len(bs) == 0 {
		return "bound by nothing", nil
	}
	var parts []string
	var rel []finding.Location
	for _, b := range bs {
		var subs []string
		for _, s := range b.Subjects {
			name, _, ok := SubjectName(s, b.Namespace)
			if !ok {
				continue
			}
			if ns, sa, isSA := SplitServiceAccountUser(name); isSA && s.Kind == rbacv1.ServiceAccountKind {
				name = ns + "/" + sa
			}
			subs = append(subs, s.Kind+" "+name)
		}
		who := "no subject"
		if len(subs) > 0 {
			who = strings.Join(subs, ", ")
		}
		via := b.Ref()
		if b.Role != r {
			via += " -> " + b.Role.Ref() + " (aggregated)"
		}
		parts = append(parts, who+" via "+via)
		if b.Object != nil {
			loc := b.Object.Locate("roleRef")
			loc.Message = b.Ref() + " grants it"
			rel = append(rel, loc)
		}
	}
	if len(parts) > 3 {
		parts = append(parts[:3], fmt.Sprintf("and %d more bindings", len(bs)-3))
	}
	return "held by " + strings.Join(parts, "; "), rel
}

func (c *checker) role(r *Role) {
	o := r.Object
	// Only namespaced Roles: ClusterRoles are often installed to be bound
	// later (or aggregated), so an unbound one is not a mistake.
	if r.Kind == KindRole && len(c.holders[r]) == 0 {
		c.add(o.Finding(RuleUnusedRole, finding.SeverityNote, "metadata.name", fmt.Sprintf("%s is bound by no RoleBinding or ClusterRoleBinding", r.Ref())))
	}
	rules := map[string]finding.Rule{}
	for _, x := range risks() {
		rules[x.rule.ID] = x.rule
	}
	for i := range r.written {
		rule := &r.written[i]
		p := fmt.Sprintf("rules[%d]", i)
		held, rel := c.heldBy(r)
		if field, what := wildcardField(rule); field != "" {
			f := o.Finding(RuleWildcard, finding.SeverityWarning, p+"."+field, fmt.Sprintf("%s rule %d grants %s; %s", r.Ref(), i+1, what, held))
			f.Related = rel
			c.add(f)
		} else {
			for _, x := range risks() {
				if grantsAny(rule, x.probes) {
					f := o.Finding(x.rule.ID, x.rule.Severity, p, fmt.Sprintf("%s rule %d can %s; %s", r.Ref(), i+1, x.what, held))
					f.Related = rel
					c.add(f)
				}
			}
		}
		for j, u := range rule.NonResourceURLs {
			if u == "*" || u == "/*" {
				f := o.Finding(RuleBroadNonResourceURLs, finding.SeverityWarning, fmt.Sprintf("%s.nonResourceURLs[%d]", p, j), fmt.Sprintf("%s rule %d grants %s on every non-resource URL (%q); %s", r.Ref(), i+1, strings.Join(rule.Verbs, ", "), u, held))
				f.Related = rel
				c.add(f)
			}
		}
		c.ruleMistakes(r, rule, i)
	}
}

func wildcardField(rule *rbacv1.PolicyRule) (string, string) {
	var what []string
	field := ""
	for _, f := range []struct {
		name string
		list []string
		desc string
	}{{"verbs", rule.Verbs, "every verb"}, {"resources", rule.Resources, "every resource"}, {"apiGroups", rule.APIGroups, "every API group"}} {
		if has(f.list, "*") {
			if field == "" {
				field = fmt.Sprintf("%s[%d]", f.name, indexOf(f.list, "*"))
			}
			what = append(what, f.desc)
		}
	}
	return field, strings.Join(what, " on ")
}

func indexOf(s []string, x string) int {
	for i, e := range s {
		if e == x {
			return i
		}
	}
	return -1
}

func grantsAny(rule *rbacv1.PolicyRule, reqs []Request) bool {
	for i := range reqs {
		if RuleAllows(&reqs[i], rule) {
			return true
		}
	}
	return false
}

func (c *checker) ruleMistakes(r *Role, rule *rbacv1.PolicyRule, i int) {
	o := r.Object
	p := fmt.Sprintf("rules[%d]", i)
	if len(rule.ResourceNames) > 0 {
		for j, v := range rule.Verbs {
			switch v {
			case "list", "watch", "create", "deletecollection":
				c.add(o.Finding(RuleUnmatchableNames, finding.SeverityWarning, fmt.Sprintf("%s.verbs[%d]", p, j),
					fmt.Sprintf("%s rule %d: verb %q with resourceNames never matches: %s requests carry no name", r.Ref(), i+1, v, v)))
			}
		}
	}
	for j, v := range rule.Verbs {
		if !knownVerb(v) {
			msg := fmt.Sprintf("verb %q is not a verb the API server asks about; it matches nothing", v)
			if knownVerb(strings.ToLower(v)) {
				msg += fmt.Sprintf(" (verbs are case-sensitive: %q)", strings.ToLower(v))
			}
			c.add(o.Finding(RuleUnknownVerb, finding.SeverityWarning, fmt.Sprintf("%s.verbs[%d]", p, j), msg))
		}
	}
	for _, g := range rule.APIGroups {
		if g == "*" || (g != "" && !c.res.GroupKnown(g)) {
			continue
		}
		for j, res := range rule.Resources {
			// Only the resource itself: subresources include pseudo ones
			// such as <resource>/finalizers (checked by admission).
			base, _, _ := strings.Cut(res, "/")
			if c.res.Known(g, base) {
				continue
			}
			msg := fmt.Sprintf("resource %q does not exist in API group %q; the rule matches nothing for it", res, g)
			if s := c.res.Suggest(g, base); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			c.add(o.Finding(RuleUnknownResource, finding.SeverityWarning, fmt.Sprintf("%s.resources[%d]", p, j), msg))
		}
	}
}

func knownVerb(v string) bool {
	switch v {
	case "*", "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
		"bind", "escalate", "impersonate", "use", "approve", "sign", "attest", "proxy", "nonresource":
		return true
	}
	return false
}

func (c *checker) binding(b *Binding) {
	o := b.Object
	if b.Role == nil {
		c.add(o.Finding(RuleMissingRole, finding.SeverityWarning, "roleRef.name", fmt.Sprintf("%s refers to %s %q, which does not exist; it grants nothing", b.Ref(), b.RoleRef.Kind, b.RoleRef.Name)))
	}
	hasSAs := c.m.Has("", "ServiceAccount")
	for i, s := range b.Subjects {
		p := fmt.Sprintf("subjects[%d]", i)
		switch {
		case s.Kind == rbacv1.UserKind && s.Name == UserAnonymous,
			s.Kind == rbacv1.GroupKind && (s.Name == GroupUnauthenticated || s.Name == GroupAuthenticated || s.Name == GroupMasters):
			what := map[string]string{UserAnonymous: "every anonymous request", GroupUnauthenticated: "every anonymous request", GroupAuthenticated: "every authenticated user and service account", GroupMasters: "the superuser group, which needs no binding"}[s.Name]
			c.add(o.Finding(RuleBroadSubject, finding.SeverityWarning, p+".name", fmt.Sprintf("%s grants %s %q to %s %s (%s)", b.Ref(), b.RoleRef.Kind, b.RoleRef.Name, s.Kind, s.Name, what)))
		case s.Kind == rbacv1.ServiceAccountKind && hasSAs:
			ns := s.Namespace
			if ns == "" {
				ns = b.Namespace
			}
			if ns != "" && c.m.Get("", "ServiceAccount", ns, s.Name) == nil && s.Name != "default" {
				c.add(o.Finding(RuleMissingServiceAccount, finding.SeverityWarning, p+".name", fmt.Sprintf("%s grants to ServiceAccount %s/%s, which is not in the input", b.Ref(), ns, s.Name)))
			}
		}
	}
}

func (c *checker) rejected(r Rejected) {
	o := r.Object
	for _, e := range r.Errors {
		switch {
		case e.FieldPath == "roleRef.kind" && r.Kind == KindClusterRoleBinding:
			c.add(o.Finding(RuleClusterBindingToRole, finding.SeverityError, e.FieldPath, fmt.Sprintf("ClusterRoleBinding %s refers to a Role; the API server refuses it (%s)", r.Name, e.Message)))
		case strings.HasSuffix(e.FieldPath, ".namespace") && strings.HasPrefix(e.FieldPath, "subjects["):
			c.add(o.Finding(RuleSANoNamespace, finding.SeverityError, e.FieldPath, fmt.Sprintf("ServiceAccount subject of ClusterRoleBinding %s has no namespace; the API server refuses it (%s)", r.Name, e.Message)))
		default:
			c.add(o.Finding(RuleInvalidObject, finding.SeverityError, e.FieldPath, fmt.Sprintf("the API server would refuse %s %s: %s", r.Kind, qualifiedName(r.Namespace, r.Name), e.Message)))
		}
	}
}

func qualifiedName(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}
