package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kubeplan/kubeplan/rbac"
	"github.com/spf13/cobra"
	rbacv1 "k8s.io/api/rbac/v1"
)

// rbacFlags are the flags shared by the RBAC commands.
type rbacFlags struct {
	format, namespace, subresource, as, output string
	asGroups                                   []string
	allNamespaces, list, noDefault, noImplicit bool
	transitive                                 bool
}

func (f *rbacFlags) common(cmd *cobra.Command, formats string) {
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: "+formats)
	fl.StringVarP(&f.output, "output", "o", "", "write the output to this file instead of stdout")
	fl.BoolVar(&f.noDefault, "no-default-rbac", false, "leave out the default roles and bindings a real cluster has (cluster-admin, admin, edit, view, system:*)")
}

func (f *rbacFlags) scope(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&f.namespace, "namespace", "n", "default", "namespace of the request")
	fl.BoolVarP(&f.allNamespaces, "all-namespaces", "A", false, "ask across all namespaces (ClusterRoleBindings only)")
	fl.StringVar(&f.subresource, "subresource", "", "subresource, such as exec, log or scale")
}

func (f *rbacFlags) identity(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.as, "as", "", "user to ask for (a service account as system:serviceaccount:NS:NAME)")
	fl.StringArrayVar(&f.asGroups, "as-group", nil, "group to ask for (repeatable)")
	fl.BoolVar(&f.noImplicit, "no-implicit-groups", false, "do not add the groups a live cluster's authenticators add (system:authenticated; system:serviceaccounts[:NS] for service accounts)")
}

// rbacCommands returns can-i, who-can, access and rbac (graph).
func rbacCommands(a *app) []*cobra.Command {
	return []*cobra.Command{newCanICmd(a), newWhoCanCmd(a), newAccessCmd(a), newRBACCmd(a)}
}

// loadRBAC loads paths and builds the RBAC index. When some input could
// not be loaded (the errors are printed), the commands still answer from
// what did load and then exit 2, as lint does.
func (a *app) loadRBAC(ctx context.Context, paths []string, noDefault bool) (*rbac.Index, *rbac.Resources, bool) {
	l, failed := a.load(ctx, paths, "")
	ix := rbac.New(l.Model, rbac.Options{DefaultPolicy: !noDefault})
	if rej := ix.Rejected(); len(rej) > 0 {
		r := rej[0]
		more := ""
		if len(rej) > 1 {
			more = fmt.Sprintf(" (and %d more; run kubeplan lint for all)", len(rej)-1)
		}
		fmt.Fprintf(a.stderr, "warning: left out RBAC objects the API server would refuse: %s %s: %s%s\n", r.Kind, qualified(r.Namespace, r.Name), r.Errors[0].Message, more)
	}
	return ix, rbac.NewResources(l.Model), failed
}

// loadFailedExit turns a command's result into exit code 2 when its input
// did not load completely.
func loadFailedExit(failed bool, err *error) {
	if !failed {
		return
	}
	var ce *codeError
	if *err == nil || (errors.As(*err, &ce) && ce.code == exitFindings) {
		*err = exit(exitError)
	}
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

// parseTarget turns kubectl's VERB TYPE[.GROUP][/NAME] or /PATH into a
// request, warning (as kubectl does) about a resource type it does not know.
func (a *app) parseTarget(res *rbac.Resources, verb, target string, f *rbacFlags) rbac.Request {
	req := rbac.Request{Verb: verb}
	if strings.HasPrefix(target, "/") {
		req.Path = target
		return req
	}
	typ, name, _ := strings.Cut(target, "/")
	req.Name = name
	req.Subresource = f.subresource
	if info, ok := res.Lookup(typ); ok {
		req.Resource, req.APIGroup = info.Resource, info.Group
		if !info.ClusterScoped && !f.allNamespaces {
			req.Namespace = f.namespace
		}
		return req
	}
	resource, group, _ := strings.Cut(typ, ".")
	req.Resource, req.APIGroup = resource, group
	if !f.allNamespaces {
		req.Namespace = f.namespace
	}
	if resource != "*" {
		msg := fmt.Sprintf("Warning: the server doesn't have a resource type '%s'", typ)
		if s := res.Suggest(group, resource); s != "" {
			msg += fmt.Sprintf("; did you mean '%s'?", s)
		}
		fmt.Fprintln(a.stderr, msg)
	}
	return req
}

func (f *rbacFlags) groups() []string {
	if f.noImplicit {
		return f.asGroups
	}
	return rbac.EffectiveGroups(f.as, f.asGroups)
}

func newCanICmd(a *app) *cobra.Command {
	var f rbacFlags
	cmd := &cobra.Command{
		Use:     "can-i VERB [TYPE[.GROUP][/NAME] | /URL] [PATH...]",
		Short:   "Check whether a user may perform an action, as kubectl auth can-i does",
		GroupID: "rbac",
		Long: `can-i answers from the manifests exactly as the Kubernetes RBAC authorizer
would (behind the system:masters privileged group): it prints yes or no and
exits 0 or 1. By default the default roles and bindings of a real cluster are
included (--no-default-rbac leaves them out) and --as gets the groups a live
cluster's authenticators add (--no-implicit-groups turns that off).`,
		Example: `  kubeplan can-i get secrets --as system:serviceaccount:prod:api -n prod ./deploy
  kubeplan can-i create pods --subresource exec --as alice --as-group dev -n prod ./deploy
  kubeplan can-i get secrets/db-password --as alice -n prod ./deploy
  kubeplan can-i get /healthz --as bob ./deploy
  kubeplan can-i --list --as alice -n prod ./deploy`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runCanI(cmd.Context(), &f, args)
		},
	}
	f.common(cmd, "text, json")
	f.scope(cmd)
	f.identity(cmd)
	cmd.Flags().BoolVar(&f.list, "list", false, "list every rule the user holds in the namespace")
	return cmd
}

func (a *app) runCanI(ctx context.Context, f *rbacFlags, args []string) (err error) {
	if f.format != "text" && f.format != "json" {
		return usageError("--format: unknown format %q (want text or json)", f.format)
	}
	if f.as == "" {
		return usageError("--as is required: kubeplan has no current user")
	}
	if !f.list && len(args) < 2 {
		return usageError("can-i needs VERB and TYPE[/NAME] or /URL (see 'kubeplan can-i --help')")
	}
	var paths []string
	if f.list {
		paths = args
	} else {
		paths = args[2:]
	}
	ix, res, failed := a.loadRBAC(ctx, paths, f.noDefault)
	defer loadFailedExit(failed, &err)
	w, closeOut, err := a.output(f.output)
	if err != nil {
		return err
	}
	defer closeOut()
	groups := f.groups()
	if f.list {
		ns := f.namespace
		if f.allNamespaces {
			ns = ""
		}
		rules, errs := ix.RulesFor(f.as, groups, ns)
		return writeRules(w, f.format, rbac.NormalizeRules(rules), errs)
	}
	req := a.parseTarget(res, args[0], args[1], f)
	req.User, req.Groups = f.as, groups
	d := ix.Authorize(req)
	if f.format == "json" {
		out := canIJSON{Allowed: d.Allowed, Superuser: d.Superuser, Reason: d.Reason, Errors: d.Errors, User: f.as, Groups: groups, Request: requestJSON(req)}
		if g := d.Grant; g != nil {
			out.Binding, out.Role, out.RuleIndex = g.Binding.Ref(), g.Role.Ref(), g.Rule
			r := g.PolicyRule()
			out.Rule = &r
		}
		if err := writeJSON(w, out); err != nil {
			return err
		}
	} else if d.Allowed {
		fmt.Fprintln(w, "yes")
	} else {
		fmt.Fprintln(w, "no")
	}
	if !d.Allowed {
		return exit(exitFindings)
	}
	return nil
}

type canIJSON struct {
	Allowed   bool               `json:"allowed"`
	Superuser bool               `json:"superuser"`
	Reason    string             `json:"reason,omitempty"`
	User      string             `json:"user"`
	Groups    []string           `json:"groups"`
	Request   map[string]string  `json:"request"`
	Binding   string             `json:"binding,omitempty"`
	Role      string             `json:"role,omitempty"`
	RuleIndex int                `json:"ruleIndex,omitempty"`
	Rule      *rbacv1.PolicyRule `json:"rule,omitempty"`
	Errors    []string           `json:"errors,omitempty"`
}

func requestJSON(r rbac.Request) map[string]string {
	m := map[string]string{"verb": r.Verb}
	for k, v := range map[string]string{"apiGroup": r.APIGroup, "resource": r.Resource, "subresource": r.Subresource, "name": r.Name, "namespace": r.Namespace, "path": r.Path} {
		if v != "" {
			m[k] = v
		}
	}
	if r.Path == "" {
		m["apiGroup"] = r.APIGroup
	}
	return m
}

func writeRules(w io.Writer, format string, rules []rbacv1.PolicyRule, errs []string) error {
	if format == "json" {
		if rules == nil {
			rules = []rbacv1.PolicyRule{}
		}
		return writeJSON(w, struct {
			Rules  []rbacv1.PolicyRule `json:"rules"`
			Errors []string            `json:"errors,omitempty"`
		}{rules, errs})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Resources\tNon-Resource URLs\tResource Names\tVerbs")
	for _, r := range rules {
		var res []string
		for _, g := range r.APIGroups {
			for _, x := range r.Resources {
				if g == "" {
					res = append(res, x)
					continue
				}
				base, sub, ok := strings.Cut(x, "/")
				if ok {
					res = append(res, base+"."+g+"/"+sub)
				} else {
					res = append(res, x+"."+g)
				}
			}
		}
		fmt.Fprintf(tw, "%s\t[%s]\t[%s]\t[%s]\n", strings.Join(res, " "), strings.Join(r.NonResourceURLs, " "), strings.Join(r.ResourceNames, " "), strings.Join(r.Verbs, " "))
	}
	return tw.Flush()
}

func newWhoCanCmd(a *app) *cobra.Command {
	var f rbacFlags
	cmd := &cobra.Command{
		Use:     "who-can VERB [TYPE[.GROUP][/NAME] | /URL] [PATH...]",
		Short:   "List the users, groups and service accounts that may perform an action",
		GroupID: "rbac",
		Long: `who-can lists every subject a binding grants the action to, with the
binding, role and rule that grant it, as the API server's subject access
evaluator finds them. system:masters is always listed. With --transitive it
also lists subjects that reach the permission through a chain of other
permissions (create pods as a service account, impersonate, bind/escalate,
create tokens), printing the chain.`,
		Example: `  kubeplan who-can get secrets -n prod ./deploy
  kubeplan who-can create clusterrolebindings -A ./deploy
  kubeplan who-can get secrets -n prod --transitive -f json ./deploy`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runWhoCan(cmd.Context(), &f, args)
		},
	}
	f.common(cmd, "text, json")
	f.scope(cmd)
	cmd.Flags().BoolVar(&f.transitive, "transitive", false, "also list subjects that reach the permission through a chain of other permissions")
	return cmd
}

type whoCanRow struct {
	Subject string   `json:"subject"`
	Kind    string   `json:"kind"`
	Via     string   `json:"via"`
	Chain   []string `json:"chain,omitempty"`
}

func (a *app) runWhoCan(ctx context.Context, f *rbacFlags, args []string) (err error) {
	if f.format != "text" && f.format != "json" {
		return usageError("--format: unknown format %q (want text or json)", f.format)
	}
	if len(args) < 2 {
		return usageError("who-can needs VERB and TYPE[/NAME] or /URL (see 'kubeplan who-can --help')")
	}
	ix, res, failed := a.loadRBAC(ctx, args[2:], f.noDefault)
	defer loadFailedExit(failed, &err)
	req := a.parseTarget(res, args[0], args[1], f)
	s := ix.WhoCan(req)
	rbac.SortGrants(s.Grants)
	rows := []whoCanRow{{Subject: rbac.GroupMasters, Kind: "Group", Via: "privileged group (superuser)"}}
	for _, g := range s.Grants {
		kind := "User"
		if g.Group {
			kind = "Group"
		} else if _, _, ok := rbac.SplitServiceAccountUser(g.Name); ok {
			kind = "ServiceAccount"
		}
		rows = append(rows, whoCanRow{Subject: g.Name, Kind: kind, Via: g.Grant.String()})
	}
	if f.transitive {
		for _, c := range ix.WhoCanTransitive(req, rbac.TransitiveOptions{}) {
			rows = append(rows, whoCanRow{Subject: c.Subject, Kind: c.Kind, Via: "transitive", Chain: c.Steps})
		}
	}
	w, closeOut, err := a.output(f.output)
	if err != nil {
		return err
	}
	defer closeOut()
	for _, e := range s.Errors {
		fmt.Fprintln(a.stderr, "warning:", e)
	}
	if f.format == "json" {
		return writeJSON(w, struct {
			Request  map[string]string `json:"request"`
			Users    []string          `json:"users"`
			Groups   []string          `json:"groups"`
			Subjects []whoCanRow       `json:"subjects"`
			Errors   []string          `json:"errors,omitempty"`
		}{requestJSON(req), nonNilStrings(s.Users), s.Groups, rows, s.Errors})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBJECT\tKIND\tVIA")
	for _, r := range rows {
		via := r.Via
		if len(r.Chain) > 0 {
			via = strings.Join(r.Chain, " => ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Subject, r.Kind, via)
	}
	return tw.Flush()
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// accessVerbs are the columns of the access matrix, as rakkess shows them.
var accessVerbs = [...]string{"get", "list", "watch", "create", "update", "patch", "delete"}
