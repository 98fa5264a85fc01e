package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/kubeplan/kubeplan/placement"
)

// writeNodesText prints one line of bars per node, grouped by zone, and the
// workloads on each node.
func writeNodesText(w io.Writer, res *placement.Result) error {
	var b strings.Builder
	byZone := map[string][]placement.NodeUsage{}
	var zones []string
	for _, n := range res.Nodes {
		if _, ok := byZone[n.Zone]; !ok {
			zones = append(zones, n.Zone)
		}
		byZone[n.Zone] = append(byZone[n.Zone], n)
	}
	sort.Strings(zones)
	width := 4
	for _, n := range res.Nodes {
		width = max(width, len(n.Node))
	}
	for _, z := range zones {
		fmt.Fprintf(&b, "zone %s\n", orDash(z))
		for _, n := range byZone[z] {
			r, a := n.Requested, n.Allocatable
			fmt.Fprintf(&b, "  %-*s  cpu %s %s/%s  mem %s %s/%s  gpu %s %d/%d  pods %s %d/%d\n", width, n.Node,
				bar(r.MilliCPU, a.MilliCPU), milli(r.MilliCPU), milli(a.MilliCPU),
				bar(r.Memory, a.Memory), bytesHuman(r.Memory), bytesHuman(a.Memory),
				bar(r.GPU, a.GPU), r.GPU, a.GPU,
				bar(r.Pods, a.Pods), r.Pods, a.Pods)
			if len(n.Workloads) > 0 {
				parts := make([]string, len(n.Workloads))
				for i, wl := range n.Workloads {
					parts[i] = fmt.Sprintf("%s (%d)", wl.Workload, wl.Pods)
				}
				fmt.Fprintf(&b, "  %-*s  %s\n", width, "", strings.Join(parts, ", "))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// bar draws used/total as ten cells.
func bar(used, total int64) string {
	if total <= 0 {
		return "[----------]"
	}
	n := int(used * 10 / total)
	if used > 0 && n == 0 {
		n = 1
	}
	n = min(max(n, 0), 10)
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", 10-n) + "]"
}

func milli(m int64) string {
	if m%1000 == 0 {
		return fmt.Sprintf("%d", m/1000)
	}
	return fmt.Sprintf("%dm", m)
}

func bytesHuman(b int64) string {
	const gi, mi = 1 << 30, 1 << 20
	switch {
	case b >= gi:
		return fmt.Sprintf("%.1fGi", float64(b)/gi)
	case b >= mi:
		return fmt.Sprintf("%.0fMi", float64(b)/mi)
	}
	return fmt.Sprintf("%d", b)
}
