package policies

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
)

// Inventory builds Gatekeeper's data.inventory shape from objects:
//
//	cluster[<groupVersion>][<kind>][<name>] = object      (cluster-scoped)
//	namespace[<ns>][<groupVersion>][<kind>][<name>] = object
//
// groupVersion is the apiVersion as written ("v1", "apps/v1"), as
// Gatekeeper's sync does (pkg/target ProcessData). Objects defined twice
// appear once, the later definition winning, as with kubectl apply. The
// objects are the model's plain data, shared, never copied: callers must not
// modify them.
func Inventory(objs []*cluster.Object) map[string]any {
	clusterDoc := map[string]any{}
	nsDoc := map[string]any{}
	for _, o := range objs {
		gv := o.Source.APIVersion
		if gv == "" || o.GVK.Kind == "" || o.Name == "" {
			continue
		}
		var root map[string]any
		if o.Namespace == "" {
			root = clusterDoc
		} else {
			root = child(nsDoc, o.Namespace)
		}
		child(child(root, gv), o.GVK.Kind)[o.Name] = o.Map()
	}
	return map[string]any{"cluster": clusterDoc, "namespace": nsDoc}
}

func child(m map[string]any, key string) map[string]any {
	if c, ok := m[key].(map[string]any); ok {
		return c
	}
	c := map[string]any{}
	m[key] = c
	return c
}
