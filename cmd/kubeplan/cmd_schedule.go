package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubeplan/kubeplan/placement"
)

// scheduleOptions are the schedule command's flags.
type scheduleOptions struct {
	nodes     []string
	whatIf    []string
	view      string
	format    string
	output    string
	namespace string
	maxPods   int
}

// scheduleCommands returns schedule.
func scheduleCommands(a *app) []*cobra.Command {
	var o scheduleOptions
	cmd := &cobra.Command{
		Use:     "schedule [PATHS...]",
		GroupID: "analyze",
		Short:   "Show where each pod would land on the declared nodes, and why the rest stay Pending",
		Long: `schedule expands workloads into pods (replicas, StatefulSet ordinals, Jobs,
one CronJob run, one DaemonSet pod per eligible node) and schedules them one at
a time like kube-scheduler's default profile: filters, scores, preemption.
Pods that fit nowhere get the scheduler's own FailedScheduling message.

Nodes come from Node objects among the manifests, from --nodes files
(kubectl get nodes -o yaml, Node manifests) and from kind: NodePool profiles.
Running pods (kubectl get pods -A -o yaml) count as existing load.

Exit status: 0 when every pod is placed, 1 when some pod would stay Pending
or be rejected, 2 on usage or load errors.`,
		Example: `  kubeplan schedule ./deploy --nodes nodes.yaml
  kubeplan schedule ./deploy --nodes cluster-nodes.yaml --what-if node-down=worker-2
  kubeplan schedule ./deploy --nodes pool.yaml --what-if zone-down=eu-west-1a
  kubeplan schedule ./deploy --nodes pool.yaml --view nodes -f json -o usage.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSchedule(cmd, a, args, o)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.nodes, "nodes", nil, "file or directory with Nodes, a node list or NodePool profiles (repeatable)")
	f.StringArrayVar(&o.whatIf, "what-if", nil, "simulate a failure: node-down=NAME or zone-down=ZONE (repeatable)")
	f.StringVar(&o.view, "view", "pods", "what to print: pods or nodes")
	f.StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of standard output")
	f.StringVarP(&o.namespace, "namespace", "n", "", "namespace of objects that set none (default \"default\")")
	f.IntVar(&o.maxPods, "default-max-pods", 0, "pods capacity of nodes that declare none (0: such nodes accept no pod, as upstream)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("view", cobra.FixedCompletions([]string{"pods", "nodes"}, cobra.ShellCompDirectiveNoFileComp))
	return []*cobra.Command{cmd}
}

// parseWhatIf reads node-down=N and zone-down=Z into simulation options.
func parseWhatIf(specs []string, opts *placement.Options) error {
	for _, s := range specs {
		k, v, ok := strings.Cut(s, "=")
		if !ok || v == "" {
			return fmt.Errorf("--what-if %q: want node-down=NAME or zone-down=ZONE", s)
		}
		switch k {
		case "node-down":
			opts.NodesDown = append(opts.NodesDown, v)
		case "zone-down":
			opts.ZonesDown = append(opts.ZonesDown, v)
		default:
			return fmt.Errorf("--what-if %q: want node-down=NAME or zone-down=ZONE", s)
		}
	}
	return nil
}

func runSchedule(cmd *cobra.Command, a *app, args []string, o scheduleOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageError("--format %q: want text or json", o.format)
	}
	if o.view != "pods" && o.view != "nodes" {
		return usageError("--view %q: want pods or nodes", o.view)
	}
	opts := placement.Options{DefaultMaxPods: o.maxPods}
	if err := parseWhatIf(o.whatIf, &opts); err != nil {
		return usageError("%v", err)
	}
	paths := args
	if len(paths) == 0 {
		paths = []string{"."}
	}
	l, failed := a.load(cmd.Context(), append(append([]string(nil), paths...), o.nodes...), o.namespace)
	if failed {
		return exit(exitError)
	}
	if !placement.HasNodes(l.Model) {
		fmt.Fprintln(a.stderr, "kubeplan: no nodes among the inputs (give --nodes, Node objects or a NodePool): placement skipped")
		return nil
	}
	res := placement.Simulate(cmd.Context(), l.Model, opts)
	var base *placement.Result
	if len(opts.NodesDown)+len(opts.ZonesDown) > 0 {
		base = placement.Simulate(cmd.Context(), l.Model, placement.Options{DefaultMaxPods: o.maxPods})
		if msg := missingWhatIf(base, opts); msg != "" {
			return usageError("%s", msg)
		}
	}
	w, closeFn, err := a.output(o.output)
	if err != nil {
		return err
	}
	switch {
	case o.format == "json" && o.view == "nodes":
		err = writeJSON(w, struct {
			Nodes []placement.NodeUsage `json:"nodes"`
			Notes []string              `json:"notes"`
		}{res.Nodes, res.Notes})
	case o.format == "json":
		err = writeJSON(w, scheduleJSON(res, base))
	case o.view == "nodes":
		err = writeNodesText(w, res)
	default:
		err = writePodsText(w, res, base)
	}
	if cerr := closeFn(); err == nil {
		err = cerr
	}
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	for _, p := range res.Pods {
		switch p.Status {
		case placement.StatusUnschedulable, placement.StatusRejected, placement.StatusNotCreated:
			return exit(exitFindings)
		}
	}
	return nil
}

// missingWhatIf names a what-if target that matches no node.
func missingWhatIf(base *placement.Result, opts placement.Options) string {
	names, zones := map[string]bool{}, map[string]bool{}
	for _, n := range base.Nodes {
		names[n.Node], zones[n.Zone] = true, true
	}
	for _, n := range opts.NodesDown {
		if !names[n] {
			return fmt.Sprintf("--what-if node-down=%s: no such node", n)
		}
	}
	for _, z := range opts.ZonesDown {
		if !zones[z] || z == "" {
			return fmt.Sprintf("--what-if zone-down=%s: no node in that zone", z)
		}
	}
	return ""
}

// schedulePod is the JSON form of one pod.
type schedulePod struct {
	placement.PodResult
	// Before is the node the pod had without the what-if failure.
	Before *string `json:"nodeBeforeWhatIf,omitempty"`
}

func scheduleJSON(res, base *placement.Result) any {
	pods := make([]schedulePod, len(res.Pods))
	for i, p := range res.Pods {
		pods[i] = schedulePod{PodResult: p}
		if base != nil {
			before := ""
			if b := base.ByPod(p.Pod); b != nil {
				before = b.Node
			}
			pods[i].Before = &before
		}
	}
	return struct {
		Pods  []schedulePod `json:"pods"`
		Notes []string      `json:"notes"`
	}{pods, res.Notes}
}

func writePodsText(w io.Writer, res, base *placement.Result) error {
	var b strings.Builder
	width := len("POD")
	for _, p := range res.Pods {
		width = max(width, len(p.Pod))
	}
	fmt.Fprintf(&b, "%-*s  %-14s  %-20s  %s\n", width, "POD", "STATUS", "NODE", "SOURCE")
	counts := map[string]int{}
	for _, p := range res.Pods {
		counts[p.Status]++
		nodeCol := p.Node
		if base != nil {
			if bp := base.ByPod(p.Pod); bp != nil && bp.Node != p.Node {
				nodeCol = fmt.Sprintf("%s (was %s)", orDash(p.Node), orDash(bp.Node))
			}
		}
		fmt.Fprintf(&b, "%-*s  %-14s  %-20s  %s\n", width, p.Pod, p.Status, orDash(nodeCol), orDash(p.Source))
		if p.Message != "" && p.Status != placement.StatusBound {
			fmt.Fprintf(&b, "%*s  %s\n", width, "", p.Message)
		}
		if len(p.Victims) > 0 {
			fmt.Fprintf(&b, "%*s  preempts %s on %s\n", width, "", strings.Join(p.Victims, ", "), p.NominatedNode)
		}
	}
	statuses := make([]string, 0, len(counts))
	for s := range counts {
		statuses = append(statuses, s)
	}
	sort.Strings(statuses)
	parts := make([]string, len(statuses))
	for i, s := range statuses {
		parts[i] = fmt.Sprintf("%d %s", counts[s], s)
	}
	fmt.Fprintf(&b, "\n%d pods on %d nodes: %s\n", len(res.Pods), len(res.Nodes), strings.Join(parts, ", "))
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
