package rbac_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/manifest"
	"github.com/kubeplan/kubeplan/rbac"
)

// exampleModel loads a few RBAC objects from a temporary file.
func exampleModel() *cluster.Model {
	dir, _ := os.MkdirTemp("", "rbac-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "rbac.yaml")
	_ = os.WriteFile(path, []byte(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules:
- {apiGroups: [""], resources: ["configmaps"], verbs: ["get"]}
- {apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api-reads-secrets, namespace: prod}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects:
- {kind: ServiceAccount, name: api}
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: sre}
`), 0o644)
	ctx := context.Background()
	return cluster.Build(ctx, manifest.Load(ctx, []string{path}, manifest.Options{}), cluster.Options{})
}

// Authorize answers one question as the API server's RBAC authorizer would,
// and says which binding, role and rule decided it.
func ExampleIndex_Authorize() {
	ix := rbac.New(exampleModel(), rbac.Options{})
	user := "system:serviceaccount:prod:api"
	d := ix.Authorize(rbac.Request{
		User: user, Groups: rbac.EffectiveGroups(user, nil),
		Verb: "get", Resource: "secrets", Namespace: "prod",
	})
	fmt.Println(d.Allowed, d.Grant)
	fmt.Println(d.Reason)
	d = ix.Authorize(rbac.Request{User: user, Verb: "get", Resource: "secrets", Namespace: "dev"})
	fmt.Println(d.Allowed)
	// Output:
	// true RoleBinding prod/api-reads-secrets -> ClusterRole secret-reader, rule 2
	// RBAC: allowed by RoleBinding "api-reads-secrets/prod" of ClusterRole "secret-reader" to ServiceAccount "api/prod"
	// false
}

// WhoCan lists every subject a binding grants the request to;
// system:masters is always there.
func ExampleIndex_WhoCan() {
	ix := rbac.New(exampleModel(), rbac.Options{})
	s := ix.WhoCan(rbac.Request{Verb: "list", Resource: "secrets", Namespace: "prod"})
	fmt.Println("users:", s.Users)
	fmt.Println("groups:", s.Groups)
	// Output:
	// users: [system:serviceaccount:prod:api]
	// groups: [sre system:masters]
}
