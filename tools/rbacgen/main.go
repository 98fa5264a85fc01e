// Command rbacgen writes the default (bootstrap) RBAC policy of a Kubernetes
// release as JSON, for kubeplan's rbac/defaultpolicy package to embed.
//
// It reads upstream's own bootstrappolicy package (the code kube-apiserver
// runs at start-up to reconcile the default roles) with that release's default
// feature gates, and writes exactly what storage_rbac.go's PolicyData holds:
// ClusterRoles() + ControllerRoles(), ClusterRoleBindings() +
// ControllerRoleBindings(), NamespaceRoles() and NamespaceRoleBindings(),
// sorted by namespace and name.
//
// Usage (from this directory):
//
//	go run . -out ../../rbac/defaultpolicy/bootstrap.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac/bootstrappolicy"
)

// kubernetesVersion is the release whose bootstrap policy this module pins
// (the k8s.io/kubernetes version in go.mod).
const kubernetesVersion = "v1.37.2"

// meta is the part of ObjectMeta the policy needs.
type meta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

type clusterRole struct {
	Metadata        meta                    `json:"metadata"`
	Rules           []rbacv1.PolicyRule     `json:"rules"`
	AggregationRule *rbacv1.AggregationRule `json:"aggregationRule,omitempty"`
}

type role struct {
	Metadata meta                `json:"metadata"`
	Rules    []rbacv1.PolicyRule `json:"rules"`
}

type binding struct {
	Metadata meta             `json:"metadata"`
	RoleRef  rbacv1.RoleRef   `json:"roleRef"`
	Subjects []rbacv1.Subject `json:"subjects,omitempty"`
}

// policy is the file format read by rbac/defaultpolicy.
type policy struct {
	KubernetesVersion   string        `json:"kubernetesVersion"`
	ClusterRoles        []clusterRole `json:"clusterRoles"`
	ClusterRoleBindings []binding     `json:"clusterRoleBindings"`
	Roles               []role        `json:"roles"`
	RoleBindings        []binding     `json:"roleBindings"`
}

func main() {
	out := flag.String("out", "", "file to write (default: stdout)")
	flag.Parse()
	data, err := generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rbacgen:", err)
		os.Exit(1)
	}
	if *out == "" {
		os.Stdout.Write(data)
		return
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "rbacgen:", err)
		os.Exit(1)
	}
}

func generate() ([]byte, error) {
	p := policy{KubernetesVersion: kubernetesVersion}
	for _, cr := range append(bootstrappolicy.ClusterRoles(), bootstrappolicy.ControllerRoles()...) {
		p.ClusterRoles = append(p.ClusterRoles, clusterRole{
			Metadata:        metaOf(cr.Name, "", cr.Labels, cr.Annotations),
			Rules:           cr.Rules,
			AggregationRule: cr.AggregationRule,
		})
	}
	for _, b := range append(bootstrappolicy.ClusterRoleBindings(), bootstrappolicy.ControllerRoleBindings()...) {
		p.ClusterRoleBindings = append(p.ClusterRoleBindings, binding{
			Metadata: metaOf(b.Name, "", b.Labels, b.Annotations),
			RoleRef:  b.RoleRef,
			Subjects: b.Subjects,
		})
	}
	for ns, roles := range bootstrappolicy.NamespaceRoles() {
		for _, r := range roles {
			p.Roles = append(p.Roles, role{Metadata: metaOf(r.Name, ns, r.Labels, r.Annotations), Rules: r.Rules})
		}
	}
	for ns, bindings := range bootstrappolicy.NamespaceRoleBindings() {
		for _, b := range bindings {
			p.RoleBindings = append(p.RoleBindings, binding{
				Metadata: metaOf(b.Name, ns, b.Labels, b.Annotations),
				RoleRef:  b.RoleRef,
				Subjects: b.Subjects,
			})
		}
	}
	sort.SliceStable(p.ClusterRoles, func(i, j int) bool { return p.ClusterRoles[i].Metadata.Name < p.ClusterRoles[j].Metadata.Name })
	sort.SliceStable(p.ClusterRoleBindings, func(i, j int) bool {
		return p.ClusterRoleBindings[i].Metadata.Name < p.ClusterRoleBindings[j].Metadata.Name
	})
	sort.SliceStable(p.Roles, func(i, j int) bool { return less(p.Roles[i].Metadata, p.Roles[j].Metadata) })
	sort.SliceStable(p.RoleBindings, func(i, j int) bool { return less(p.RoleBindings[i].Metadata, p.RoleBindings[j].Metadata) })

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("encoding policy: %w", err)
	}
	return buf.Bytes(), nil
}

func metaOf(name, namespace string, labels, annotations map[string]string) meta {
	return meta{Name: name, Namespace: namespace, Labels: labels, Annotations: annotations}
}

func less(a, b meta) bool {
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	return a.Name < b.Name
}
