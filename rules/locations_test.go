package rules

import (
	"context"
	"testing"
)

// TestFindingLocations pins where findings point: the offending key, or
// the nearest existing parent where the fix goes.
func TestFindingLocations(t *testing.T) {
	const doc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: bare
        image: nginx:latest
      - name: hardened
        image: nginx:1.27
        securityContext:
          privileged: true
`
	tests := []struct {
		name     string
		rule     string
		wantPath string
		wantLine int
	}{
		{name: "latest tag points at the image line", rule: "latest-tag", wantPath: "spec.template.spec.containers[0].image", wantLine: 15},
		{name: "privileged points at the privileged key", rule: "privileged-container", wantPath: "spec.template.spec.containers[1].securityContext.privileged", wantLine: 19},
		{name: "read-only root fs falls back to the container without securityContext", rule: "read-only-root-fs", wantPath: "spec.template.spec.containers[0]", wantLine: 14},
		{name: "missing request falls back to the container when resources is absent", rule: "missing-cpu-request", wantPath: "spec.template.spec.containers[0].resources", wantLine: 14},
	}
	fs := NewAnalyzer(Options{}).Run(context.Background(), loadYAML(t, doc))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := withRule(fs, tc.rule)
			if len(got) == 0 {
				t.Fatalf("rule %s did not fire", tc.rule)
			}
			if got[0].FieldPath != tc.wantPath || got[0].Location.Line != tc.wantLine {
				t.Errorf("got %s at line %d, want %s at line %d", got[0].FieldPath, got[0].Location.Line, tc.wantPath, tc.wantLine)
			}
		})
	}
}

// TestUpstreamSemantics pins the API server and controller behaviours the
// rules rely on.
func TestUpstreamSemantics(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		rule string
		want int
	}{
		{name: "a CPU request defaults to the CPU limit (SetDefaults_Container)", rule: "missing-cpu-request", want: 0, doc: `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: x:1, resources: {limits: {cpu: "1"}}}]`},
		{name: "an image without tag defaults imagePullPolicy to Always", rule: "image-pull-policy-not-always", want: 0, doc: `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: nginx}]`},
		{name: "percent maxUnavailable rounds up in the disruption controller (50% of 1 allows 1)", rule: "pdb-blocks-eviction", want: 0, doc: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  replicas: 1
  selector: {matchLabels: {app: d}}
  template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c, image: x:1}]}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: d}
spec: {maxUnavailable: "50%", selector: {matchLabels: {app: d}}}`},
		{name: "a policy/v1 empty PDB selector selects every pod of the namespace", rule: "pdb-selects-nothing", want: 0, doc: `
apiVersion: v1
kind: Pod
metadata: {name: p, labels: {a: b}}
spec: {containers: [{name: c, image: x:1}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: all}
spec: {maxUnavailable: 1, selector: {}}`},
		{name: "a Deployment without progressDeadlineSeconds gets 600, so minReadySeconds 600 is rejected", rule: "min-ready-exceeds-progress-deadline", want: 1, doc: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  minReadySeconds: 600
  selector: {matchLabels: {app: d}}
  template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c, image: x:1}]}}`},
		{name: "a DaemonSet's maxSurge defaults to 0, so maxUnavailable 0 alone cannot progress", rule: "rolling-update-no-progress", want: 1, doc: `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: d}
spec:
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0}}
  selector: {matchLabels: {app: d}}
  template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c, image: x:1}]}}`},
		{name: "a Service never selects pods of another namespace", rule: "service-no-matching-pods", want: 1, doc: `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a, labels: {app: x}}
spec: {containers: [{name: c, image: x:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: s, namespace: b}
spec: {selector: {app: x}, ports: [{port: 80}]}`},
	}
	a := NewAnalyzer(Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := withRule(a.Run(context.Background(), loadYAML(t, tc.doc)), tc.rule)
			if len(got) != tc.want {
				t.Errorf("%s fired %d times, want %d: %+v", tc.rule, len(got), tc.want, got)
			}
		})
	}
}
