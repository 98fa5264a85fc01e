package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/kubeplan/kubeplan/rbac"
	"github.com/spf13/cobra"
)

func newAccessCmd(a *app) *cobra.Command {
	var f rbacFlags
	cmd := &cobra.Command{
		Use:     "access SUBJECT [PATH...]",
		Short:   "Show what a subject may do: a resource x verb matrix",
		GroupID: "rbac",
		Long: `access prints, for every resource the input's roles name (and the
common built-in ones), which verbs SUBJECT may use in the namespace, as the
RBAC authorizer would answer each. SUBJECT is a user name as --as takes it
(system:serviceaccount:NS:NAME for a service account).`,
		Example: `  kubeplan access system:serviceaccount:prod:api ./deploy
  kubeplan access alice --as-group dev -n prod -f json ./deploy`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.as = args[0]
			return a.runAccess(cmd.Context(), &f, args[1:])
		},
	}
	f.common(cmd, "text, json")
	fl := cmd.Flags()
	fl.StringVarP(&f.namespace, "namespace", "n", "default", "namespace to check")
	fl.BoolVarP(&f.allNamespaces, "all-namespaces", "A", false, "check cluster-wide access (ClusterRoleBindings only)")
	fl.StringArrayVar(&f.asGroups, "as-group", nil, "group of the subject (repeatable)")
	fl.BoolVar(&f.noImplicit, "no-implicit-groups", false, "do not add the groups a live cluster's authenticators add")
	return cmd
}

type accessRow struct {
	Resource string          `json:"resource"`
	Verbs    map[string]bool `json:"verbs"`
}

func (a *app) runAccess(ctx context.Context, f *rbacFlags, paths []string) (err error) {
	if f.format != "text" && f.format != "json" {
		return usageError("--format: unknown format %q (want text or json)", f.format)
	}
	ix, res, failed := a.loadRBAC(ctx, paths, f.noDefault)
	defer loadFailedExit(failed, &err)
	ns := f.namespace
	if f.allNamespaces {
		ns = ""
	}
	groups := f.groups()
	type gr struct{ group, resource string }
	seen := map[gr]bool{}
	for _, g := range ix.GrantsFor(f.as, groups, ns) {
		r := g.PolicyRule()
		for _, grp := range r.APIGroups {
			for _, x := range r.Resources {
				if grp != "*" && !strings.HasPrefix(x, "*") {
					seen[gr{grp, x}] = true
				}
			}
		}
	}
	for _, x := range []string{"configmaps", "pods", "secrets", "serviceaccounts", "services"} {
		seen[gr{"", x}] = true
	}
	for _, x := range []string{"deployments", "statefulsets", "daemonsets"} {
		seen[gr{"apps", x}] = true
	}
	keys := make([]gr, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].resource != keys[j].resource {
			return keys[i].resource < keys[j].resource
		}
		return keys[i].group < keys[j].group
	})
	var rows []accessRow
	for _, k := range keys {
		row := accessRow{Resource: k.resource, Verbs: map[string]bool{}}
		if k.group != "" {
			row.Resource += "." + k.group
		}
		res, sub, _ := strings.Cut(k.resource, "/")
		for _, v := range accessVerbs {
			d := ix.Authorize(rbac.Request{User: f.as, Groups: groups, Verb: v, APIGroup: k.group, Resource: res, Subresource: sub, Namespace: ns})
			row.Verbs[v] = d.Allowed
		}
		rows = append(rows, row)
	}
	_ = res
	w, closeOut, err := a.output(f.output)
	if err != nil {
		return err
	}
	defer closeOut()
	if f.format == "json" {
		return writeJSON(w, struct {
			Subject   string      `json:"subject"`
			Groups    []string    `json:"groups"`
			Namespace string      `json:"namespace,omitempty"`
			Resources []accessRow `json:"resources"`
		}{f.as, groups, ns, rows})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprint(tw, "NAME")
	for _, v := range accessVerbs {
		fmt.Fprint(tw, "\t"+strings.ToUpper(v))
	}
	fmt.Fprintln(tw)
	for _, r := range rows {
		fmt.Fprint(tw, r.Resource)
		for _, v := range accessVerbs {
			mark := "no"
			if r.Verbs[v] {
				mark = "yes"
			}
			fmt.Fprint(tw, "\t"+mark)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func newRBACCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "rbac",
		Short:   "RBAC views of the manifests (graph)",
		GroupID: "rbac",
		Example: `  kubeplan rbac graph -f mermaid ./deploy`,
	}
	var f rbacFlags
	graph := &cobra.Command{
		Use:   "graph [PATH...]",
		Short: "Draw subjects -> bindings -> roles as a Mermaid or Graphviz graph",
		Example: `  kubeplan rbac graph -f mermaid ./deploy
  kubeplan rbac graph -f dot -o rbac.dot ./deploy`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runGraph(cmd.Context(), &f, args)
		},
	}
	f.common(graph, "mermaid (the default for text), dot")
	cmd.AddCommand(graph)
	return cmd
}

func (a *app) runGraph(ctx context.Context, f *rbacFlags, args []string) (err error) {
	if f.format == "text" {
		f.format = "mermaid"
	}
	if f.format != "mermaid" && f.format != "dot" && f.format != "json" {
		return usageError("--format: unknown format %q (want mermaid, dot or json)", f.format)
	}
	ix, _, failed := a.loadRBAC(ctx, args, f.noDefault)
	defer loadFailedExit(failed, &err)
	w, closeOut, err := a.output(f.output)
	if err != nil {
		return err
	}
	defer closeOut()
	return rbac.WriteGraph(w, ix, rbac.GraphOptions{Format: f.format, IncludeDefault: false})
}
