package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestScheduleCommand(t *testing.T) {
	const (
		deploy = "../../testdata/placement/web-fits-one-too-big.yaml"
		nodes  = "../../testdata/placement/two-zone-nodes.yaml"
		pool   = "../../testdata/placement/nodepool.yaml"
	)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // substrings of stdout
		wantErr  string   // substring of stderr
	}{
		{name: "pending pod exits 1 with the scheduler's message",
			args: []string{"schedule", deploy, "--nodes", nodes}, wantCode: exitFindings,
			want: []string{"default/huge", "Unschedulable", "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.", "default/web-0"}},
		{name: "json reports pod, node, feasibleNodes, status, message and source",
			args: []string{"schedule", deploy, "--nodes", nodes, "-f", "json"}, wantCode: exitFindings,
			want: []string{`"pod": "default/web-0"`, `"feasibleNodes"`, `"source": "Deployment default/web"`, `"status": "Scheduled"`}},
		{name: "node-down what-if shows where pods move",
			args: []string{"schedule", deploy, "--nodes", nodes, "--what-if", "node-down=n1"}, wantCode: exitFindings,
			want: []string{"(was n1)", "on 1 nodes"}},
		{name: "unknown what-if node is a usage error",
			args: []string{"schedule", deploy, "--nodes", nodes, "--what-if", "node-down=ghost"}, wantCode: exitError,
			wantErr: "no such node"},
		{name: "bad what-if syntax is a usage error",
			args: []string{"schedule", deploy, "--nodes", nodes, "--what-if", "rack-down=1"}, wantCode: exitError,
			wantErr: "node-down=NAME"},
		{name: "node view groups nodes by zone",
			args: []string{"schedule", deploy, "--nodes", pool, "--view", "nodes"}, wantCode: exitOK,
			want: []string{"zone eu-west-1a", "workers-0", "cpu [", "Deployment default/web (1)"}},
		{name: "no nodes skips placement with a notice",
			args: []string{"schedule", deploy}, wantCode: exitOK, wantErr: "placement skipped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, stdout.String(), stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			if !strings.Contains(stderr.String(), tc.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantErr, stderr.String())
			}
		})
	}
}

func TestScheduleJSONIsDeterministic(t *testing.T) {
	args := []string{"schedule", "../../testdata/placement/web-fits-one-too-big.yaml", "--nodes", "../../testdata/placement/nodepool.yaml", "-f", "json"}
	var first string
	for i := 0; i < 3; i++ {
		var stdout, stderr bytes.Buffer
		run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
		var v map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
			t.Fatalf("invalid json: %v", err)
		}
		if i == 0 {
			first = stdout.String()
		} else if stdout.String() != first {
			t.Fatal("output differs between runs")
		}
	}
}
