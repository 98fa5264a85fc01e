package rbac

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/manifest"
)

// The speed targets: over the default policy plus 10,000 Roles and
// ClusterRoles and 50,000 bindings, load + index <= 1 s, who-can p50 <= 1 ms,
// can-i <= 50 µs. Run with:
//
//	go test -run '^$' -bench . -benchtime 20x ./rbac

// benchSize is the generated input: roles and bindings.
const (
	benchRoles      = 10_000
	benchBindings   = 50_000
	benchNamespaces = 50
)

var benchResources = []string{"pods", "services", "configmaps", "secrets", "deployments", "statefulsets", "jobs", "ingresses", "pods/log", "pods/exec", "events", "endpoints", "persistentvolumeclaims", "serviceaccounts", "widgets"}

// writeBenchInput generates the RBAC manifests of the benchmark: half
// ClusterRoles, half Roles spread over benchNamespaces namespaces; a fifth of
// the bindings are ClusterRoleBindings; subjects are users, groups and
// service accounts. The content is a pure function of its sizes.
func writeBenchInput(tb testing.TB, dir string) string {
	tb.Helper()
	var b strings.Builder
	verbs := []string{"get", "list", "watch", "create", "update", "patch", "delete"}
	for i := 0; i < benchRoles; i++ {
		kind, ns := "ClusterRole", ""
		if i%2 == 1 {
			kind, ns = "Role", fmt.Sprintf("  namespace: ns-%d\n", i%benchNamespaces)
		}
		fmt.Fprintf(&b, "apiVersion: rbac.authorization.k8s.io/v1\nkind: %s\nmetadata:\n  name: role-%d\n%srules:\n", kind, i, ns)
		for r := 0; r < 3; r++ {
			res := benchResources[(i*3+r)%len(benchResources)]
			fmt.Fprintf(&b, "- apiGroups: [\"\"]\n  resources: [%q]\n  verbs: [%q, %q]\n", res, verbs[(i+r)%len(verbs)], verbs[(i+r+3)%len(verbs)])
		}
		b.WriteString("---\n")
	}
	for i := 0; i < benchBindings; i++ {
		ns := i % benchNamespaces
		var subject string
		switch i % 3 {
		case 0:
			subject = fmt.Sprintf("- kind: User\n  name: user-%d\n", i%5000)
		case 1:
			subject = fmt.Sprintf("- kind: Group\n  name: group-%d\n", i%500)
		default:
			subject = fmt.Sprintf("- kind: ServiceAccount\n  name: sa-%d\n  namespace: ns-%d\n", i%2000, ns)
		}
		if i%5 == 0 {
			fmt.Fprintf(&b, "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb-%d\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: role-%d}\nsubjects:\n%s---\n", i, (i*2)%benchRoles, subject)
			continue
		}
		role, kind := (i*7)%benchRoles, "ClusterRole"
		if role%2 == 1 {
			kind = "Role"
			role = role - role%(2*benchNamespaces) + 2*ns + 1 // a Role of this namespace
			if role >= benchRoles {
				role -= 2 * benchNamespaces
			}
		}
		fmt.Fprintf(&b, "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb-%d\n  namespace: ns-%d\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: %s, name: role-%d}\nsubjects:\n%s---\n", i, ns, kind, role, subject)
	}
	path := filepath.Join(dir, "rbac.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func benchModel(b *testing.B) *cluster.Model {
	b.Helper()
	path := writeBenchInput(b, b.TempDir())
	ctx := context.Background()
	return cluster.Build(ctx, manifest.Load(ctx, []string{path}, manifest.Options{}), cluster.Options{})
}

// BenchmarkLoadAndIndex measures reading the generated manifests, building
// the cluster model and the RBAC index (with the default policy).
func BenchmarkLoadAndIndex(b *testing.B) {
	path := writeBenchInput(b, b.TempDir())
	ctx := context.Background()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		m := cluster.Build(ctx, manifest.Load(ctx, []string{path}, manifest.Options{}), cluster.Options{})
		ix := New(m, Options{DefaultPolicy: true})
		if len(ix.Bindings()) < benchBindings {
			b.Fatalf("only %d bindings indexed", len(ix.Bindings()))
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkIndex measures building the RBAC index from a loaded model.
func BenchmarkIndex(b *testing.B) {
	m := benchModel(b)
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		New(m, Options{DefaultPolicy: true})
	}
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
}

func benchRequests() []Request {
	var out []Request
	for i := 0; i < 100; i++ {
		res, sub, _ := strings.Cut(benchResources[i%len(benchResources)], "/")
		out = append(out, Request{
			User: fmt.Sprintf("user-%d", i*37%5000), Groups: []string{fmt.Sprintf("group-%d", i%500), GroupAuthenticated},
			Verb: []string{"get", "list", "create", "delete"}[i%4], Resource: res, Subresource: sub,
			Namespace: fmt.Sprintf("ns-%d", i%benchNamespaces),
		})
	}
	return out
}

// BenchmarkWhoCan measures one who-can query and reports its median.
func BenchmarkWhoCan(b *testing.B) {
	ix := New(benchModel(b), Options{DefaultPolicy: true})
	reqs := benchRequests()
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ix.WhoCan(reqs[i%len(reqs)])
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds()), "p50-µs")
}

// BenchmarkAuthorize measures one can-i question.
func BenchmarkAuthorize(b *testing.B) {
	ix := New(benchModel(b), Options{DefaultPolicy: true})
	reqs := benchRequests()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Authorize(reqs[i%len(reqs)])
	}
}
