package placement

import (
	"fmt"
	"sort"
	"strings"
)

// FitError is why a pod fits no node, rendered like upstream's
// framework.FitError: "0/N nodes are available: <histogram>." plus the
// PostFilter (preemption) message.
type FitError struct {
	// NumAllNodes is the number of nodes in the snapshot.
	NumAllNodes int
	// NodeStatus is each rejected node's status, by node name.
	NodeStatus map[string]*Status
	// Absent is the status of nodes missing from NodeStatus (nodes a
	// PreFilter excluded); nil when none are missing.
	Absent *Status
	// PreFilterMsg is set when a PreFilter rejected the pod outright.
	PreFilterMsg string
	// PostFilterMsg is the preemption outcome ("preemption: ...").
	PostFilterMsg string
}

// Error renders the FailedScheduling message, byte for byte as v1.37.
func (f *FitError) Error() string {
	msg := fmt.Sprintf("0/%v nodes are available:", f.NumAllNodes)
	if f.PreFilterMsg != "" {
		msg += fmt.Sprintf(" %v.", f.PreFilterMsg)
	} else {
		reasons := map[string]int{}
		for _, st := range f.NodeStatus {
			for _, r := range st.Reasons {
				reasons[r]++
			}
		}
		if missing := f.NumAllNodes - len(f.NodeStatus); missing > 0 && f.Absent != nil {
			for _, r := range f.Absent.Reasons {
				reasons[r] += missing
			}
		}
		hist := make([]string, 0, len(reasons))
		for r, n := range reasons {
			hist = append(hist, fmt.Sprintf("%v %v", n, r))
		}
		sort.Strings(hist)
		if len(hist) > 0 {
			msg += fmt.Sprintf(" %v.", strings.Join(hist, ", "))
		}
	}
	if f.PostFilterMsg != "" {
		msg += " " + f.PostFilterMsg
	}
	return msg
}
