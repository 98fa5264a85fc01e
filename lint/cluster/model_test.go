package cluster

import (
	"context"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/manifest"
	appsv1 "k8s.io/api/apps/v1"
)

// build loads YAML text into a model.
func build(t *testing.T, text string) *Model {
	t.Helper()
	// Load through the real loader so positions and maps are exact.
	res := manifest.Load(context.Background(), []string{"-"}, manifest.Options{Stdin: strings.NewReader(text)})
	return Build(context.Background(), res, Options{DefaultNamespace: "team"})
}

func TestStrictDecoding(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		wantPaths []string
		wantTyped bool
	}{
		{
			name:      "valid object decodes without errors",
			text:      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: 2\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: i}]}\n",
			wantTyped: true,
		},
		{
			name:      "unknown field is reported with its path and the rest still decodes",
			text:      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicaz: 2\n  template:\n    spec: {containers: [{name: c, image: i, imagePullPolcy: Always}]}\n",
			wantPaths: []string{"spec.replicaz", "spec.template.spec.containers[0].imagePullPolcy"},
			wantTyped: true,
		},
		{
			name:      "number where a string is expected",
			text:      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {port: 8080}\n",
			wantPaths: []string{"data.port"},
			wantTyped: true,
		},
		{
			name:      "string where an integer is expected",
			text:      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: \"3\"}\n",
			wantPaths: []string{"spec.replicas"},
			wantTyped: true,
		},
		{
			name:      "bad quantity is reported at the field",
			text:      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: c\n    image: i\n    resources: {limits: {cpu: lots}}\n",
			wantPaths: []string{"spec.containers[0].resources.limits.cpu"},
			wantTyped: true,
		},
		{
			name:      "custom kinds stay unstructured and are not checked",
			text:      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nspec: {anything: [1, 2]}\n",
			wantTyped: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := build(t, tc.text)
			if len(m.Objects()) != 1 {
				t.Fatalf("%d objects", len(m.Objects()))
			}
			o := m.Objects()[0]
			var got []string
			for _, e := range o.DecodeErrors {
				got = append(got, e.FieldPath)
			}
			if strings.Join(got, ",") != strings.Join(tc.wantPaths, ",") {
				t.Errorf("decode errors at %v, want %v (%+v)", got, tc.wantPaths, o.DecodeErrors)
			}
			if (o.Typed != nil) != tc.wantTyped {
				t.Errorf("typed = %v, want %v", o.Typed != nil, tc.wantTyped)
			}
		})
	}
}

func TestScopeNamespacesAndIndexes(t *testing.T) {
	m := build(t, `apiVersion: v1
kind: Namespace
metadata: {name: prod, namespace: ignored}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: team}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec: {group: example.com, scope: Cluster, names: {kind: Widget, plural: widgets}}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: ignored}
`)
	ns := m.Get("", "Namespace", "", "prod")
	if ns == nil || ns.Namespace != "" || !ns.ClusterScoped() {
		t.Errorf("Namespace is cluster-scoped: %+v", ns)
	}
	if got := m.Kind("", "ConfigMap"); len(got) != 2 {
		t.Errorf("Kind(ConfigMap) = %d objects", len(got))
	}
	if c := m.Get("", "ConfigMap", "team", "c"); c == nil || c.Index != 2 {
		t.Errorf("Get returns the later definition, as kubectl apply keeps it: %+v", c)
	}
	if n := len(m.Unique()); n != 4 {
		t.Errorf("Unique = %d objects, want 4", n)
	}
	if w := m.Get("example.com", "Widget", "", "w"); w == nil {
		t.Error("a CRD's scope: Cluster makes its custom resources cluster-scoped")
	}
	if got := strings.Join(m.Namespaces(), ","); got != "prod,team" {
		t.Errorf("Namespaces = %s", got)
	}
}

func TestWorkloadAccessor(t *testing.T) {
	m := build(t, `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      parallelism: 3
      completions: 2
      template:
        spec:
          serviceAccountName: runner
          restartPolicy: Never
          initContainers: [{name: init, image: i}]
          containers: [{name: main, image: m}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec: {serviceAccount: legacy, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: old}
spec:
  template:
    spec: {containers: [{name: c, image: i}]}
`)
	ws := m.Workloads()
	if len(ws) != 4 {
		t.Fatalf("%d workloads", len(ws))
	}
	cj, ds, pod, old := ws[0], ws[1], ws[2], ws[3]
	if cj.TemplatePath != "spec.jobTemplate.spec.template" || cj.Replicas != 2 || cj.ServiceAccountName() != "runner" {
		t.Errorf("CronJob: path %q replicas %d (parallelism capped by completions) sa %q", cj.TemplatePath, cj.Replicas, cj.ServiceAccountName())
	}
	if cs := cj.Containers(); len(cs) != 2 || !cs[0].Init || cs[1].Path != "spec.jobTemplate.spec.template.spec.containers[0]" {
		t.Errorf("CronJob containers: %+v", cs)
	}
	if !ds.PerNode || ds.ServiceAccountName() != "legacy" {
		t.Errorf("DaemonSet: perNode %v sa %q (the deprecated serviceAccount field still counts)", ds.PerNode, ds.ServiceAccountName())
	}
	if pod.SpecPath() != "spec" || pod.MetaPath() != "metadata" || pod.ServiceAccountName() != "default" || pod.Namespace() != "team" {
		t.Errorf("Pod: spec %q meta %q sa %q ns %q", pod.SpecPath(), pod.MetaPath(), pod.ServiceAccountName(), pod.Namespace())
	}
	if old.Replicas != 1 || old.ReplicasSet {
		t.Errorf("extensions/v1beta1 Deployment: replicas %d set %v", old.Replicas, old.ReplicasSet)
	}
	if _, ok := m.Kind("apps", "DaemonSet")[0].Typed.(*appsv1.DaemonSet); !ok {
		t.Error("DaemonSet did not decode into its k8s.io/api type")
	}
}
