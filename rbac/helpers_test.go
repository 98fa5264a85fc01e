package rbac

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/internal/testutil"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/manifest"
	rbacv1 "k8s.io/api/rbac/v1"
)

func moduleRoot(t testing.TB) string { return testutil.ModuleRoot(t) }

func conformanceDir(t testing.TB) string {
	t.Helper()
	dir := moduleRoot(t)
	d := filepath.Join(dir, "..", "shared", "conformance", "rbac")
	if _, err := os.Stat(d); err != nil {
		t.Skip("conformance cases not present: ", d)
	}
	return d
}

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	return out
}

func loadIndex(t testing.TB, paths []string, opts Options) *Index {
	t.Helper()
	ctx := context.Background()
	res := manifest.Load(ctx, paths, manifest.Options{})
	for _, e := range res.Errors {
		t.Logf("load error: %v", e)
	}
	m := cluster.Build(ctx, res, cluster.Options{})
	return New(m, opts)
}

// loadModel loads manifest paths into a cluster model.
func loadModel(t testing.TB, paths ...string) *cluster.Model {
	t.Helper()
	ctx := context.Background()
	res := manifest.Load(ctx, paths, manifest.Options{})
	for _, e := range res.Errors {
		t.Fatalf("load error: %v", e)
	}
	return cluster.Build(ctx, res, cluster.Options{})
}

// rule builds a resource rule.
func rule(verbs, groups, resources []string) rbacv1.PolicyRule {
	return rbacv1.PolicyRule{Verbs: verbs, APIGroups: groups, Resources: resources}
}

// named builds a rule on core configmaps limited to resourceNames.
func named(verb string, names ...string) rbacv1.PolicyRule {
	return rbacv1.PolicyRule{Verbs: []string{verb}, APIGroups: []string{""}, Resources: []string{"configmaps"}, ResourceNames: names}
}

// nonResource builds a nonResourceURLs rule.
func nonResource(verb string, urls ...string) rbacv1.PolicyRule {
	return rbacv1.PolicyRule{Verbs: []string{verb}, NonResourceURLs: urls}
}

// resReq builds a namespaced resource request.
func resReq(verb, group, resource, subresource string) Request {
	return Request{Verb: verb, APIGroup: group, Resource: resource, Subresource: subresource, Namespace: "ns"}
}

func withName(r Request, name string) Request {
	r.Name = name
	return r
}
