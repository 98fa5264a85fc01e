package lint

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/placement"
	"github.com/kubeplan/kubeplan/rbac"
)

// modelOracle answers the policy builtins kubeplan.can_i, kubeplan.who_can
// and kubeplan.placement from the model of the current run. The RBAC index
// and the scheduling simulation are built once, on first use.
type modelOracle struct {
	rbacOpts      rbac.Options
	placementOpts placement.Options

	mu        sync.Mutex
	model     *cluster.Model
	index     *rbac.Index
	resources *rbac.Resources
	sim       *placement.Result
}

func (o *modelOracle) bind(m *cluster.Model) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.model, o.index, o.resources, o.sim = m, nil, nil, nil
}

func (o *modelOracle) rbacIndex() (*rbac.Index, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.model == nil {
		return nil, fmt.Errorf("no model")
	}
	if o.index == nil {
		o.index = rbac.New(o.model, o.rbacOpts)
	}
	return o.index, nil
}

// request turns the builtins' (verb, resource, namespace) into an RBAC
// request: resource is "resource", "resource/subresource" or
// "resource.group", or a non-resource URL starting with "/".
func request(verb, resource, namespace string) rbac.Request {
	if strings.HasPrefix(resource, "/") {
		return rbac.Request{Verb: verb, Path: resource}
	}
	req := rbac.Request{Verb: verb, Namespace: namespace}
	res, sub, _ := strings.Cut(resource, "/")
	if name, group, ok := strings.Cut(res, "."); ok {
		req.Resource, req.APIGroup = name, group
	} else {
		req.Resource = res
	}
	req.Subresource = sub
	return req
}

// CanI implements policies.RBAC. Subjects are users as kubectl's --as
// takes them, or "group:NAME" for a group; the groups a live cluster's
// authenticators add are included.
func (o *modelOracle) CanI(subject, verb, resource, namespace string) (bool, error) {
	ix, err := o.rbacIndex()
	if err != nil {
		return false, err
	}
	req := request(verb, resource, namespace)
	if g, ok := strings.CutPrefix(subject, "group:"); ok {
		req.Groups = rbac.EffectiveGroups("", []string{g})
	} else {
		req.User = subject
		req.Groups = rbac.EffectiveGroups(subject, nil)
	}
	return ix.Authorize(req).Allowed, nil
}

// WhoCan implements policies.RBAC: users and service accounts by their
// user names, groups as "group:NAME", sorted.
func (o *modelOracle) WhoCan(verb, resource, namespace string) ([]string, error) {
	ix, err := o.rbacIndex()
	if err != nil {
		return nil, err
	}
	s := ix.WhoCan(request(verb, resource, namespace))
	out := append([]string(nil), s.Users...)
	for _, g := range s.Groups {
		out = append(out, "group:"+g)
	}
	return out, nil
}

// Placement implements policies.Placement for "Kind/namespace/name" (a
// workload) or "namespace/name" (a pod).
func (o *modelOracle) Placement(podRef string) (map[string]any, error) {
	o.mu.Lock()
	if o.model == nil {
		o.mu.Unlock()
		return nil, fmt.Errorf("no model")
	}
	if o.sim == nil {
		if !placement.HasNodes(o.model) {
			o.mu.Unlock()
			// An error leaves the builtin undefined, as documented.
			return nil, fmt.Errorf("no nodes in the input")
		}
		o.sim = placement.Simulate(context.Background(), o.model, o.placementOpts)
	}
	sim := o.sim
	o.mu.Unlock()

	var pods []*placement.PodResult
	parts := strings.Split(podRef, "/")
	switch len(parts) {
	case 3:
		pods = sim.ByWorkload(parts[0] + " " + parts[1] + "/" + parts[2])
	case 2:
		if p := sim.ByPod(podRef); p != nil {
			pods = []*placement.PodResult{p}
		}
	default:
		return nil, fmt.Errorf("pod reference %q: want Kind/namespace/name or namespace/name", podRef)
	}
	nodes, reasons := []any{}, []any{}
	schedulable := len(pods) > 0
	list := []any{}
	for _, p := range pods {
		if p.Node != "" {
			nodes = append(nodes, p.Node)
		} else {
			schedulable = false
			if p.Message != "" {
				reasons = append(reasons, p.Message)
			}
		}
		b, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return map[string]any{"found": len(pods) > 0, "schedulable": schedulable, "nodes": nodes, "reasons": reasons, "pods": list}, nil
}
