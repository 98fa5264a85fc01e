package rbac

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
)

// The conformance test runs every query of ../shared/conformance/rbac (the
// answers upstream's own code gives) through this package's API and
// compares the fields the conformance README names: allowed/superuser for
// authorize, users/groups for whocan, rules for rulesfor and get, refused
// for escalation.

type confQuery struct {
	ID             string          `json:"id"`
	Op             string          `json:"op"`
	User           string          `json:"user"`
	Groups         []string        `json:"groups"`
	ImplicitGroups bool            `json:"implicitGroups"`
	Verb           string          `json:"verb"`
	APIGroup       string          `json:"apiGroup"`
	Resource       string          `json:"resource"`
	Subresource    string          `json:"subresource"`
	Name           string          `json:"name"`
	Namespace      string          `json:"namespace"`
	Path           string          `json:"path"`
	URL            string          `json:"url"`
	Method         string          `json:"method"`
	Kind           string          `json:"kind"`
	Operation      string          `json:"operation"`
	Role           json.RawMessage `json:"role"`
	Rules          json.RawMessage `json:"rules"`
	RoleRef        *rbacv1.RoleRef `json:"roleRef"`
}

type confAnswer struct {
	ID        string              `json:"id"`
	Error     string              `json:"error"`
	Allowed   bool                `json:"allowed"`
	Superuser bool                `json:"superuser"`
	Reason    string              `json:"reason"`
	Users     []string            `json:"users"`
	Groups    []string            `json:"groups"`
	Errors    []string            `json:"errors"`
	Rules     []rbacv1.PolicyRule `json:"rules"`
	Refused   bool                `json:"refused"`
	Found     bool                `json:"found"`
	RoleCount int                 `json:"ruleCount"`
	Rejected  []struct {
		Kind      string `json:"kind"`
		Namespace string `json:"namespace"`
		Name      string `json:"name"`
	} `json:"rejected"`
	Subjects []rbacv1.Subject `json:"subjects"`
	RoleRef  *rbacv1.RoleRef  `json:"roleRef"`
}

func TestConformance(t *testing.T) {
	dir := conformanceDir(t)
	for _, set := range []struct {
		name  string
		files string
		opts  Options
	}{
		{name: "cases", files: "cases/*.yaml", opts: Options{}},
		{name: "cases-bootstrap", files: "cases-bootstrap/*.yaml", opts: Options{DefaultPolicy: true}},
	} {
		t.Run(set.name, func(t *testing.T) {
			paths, _ := filepath.Glob(filepath.Join(dir, set.files))
			ix := loadIndex(t, paths, set.opts)
			queries := readJSONL[confQuery](t, filepath.Join(dir, set.name, "queries.jsonl"))
			answers := readJSONL[confAnswer](t, filepath.Join(dir, set.name, "expected.jsonl"))
			want := map[string]confAnswer{}
			for _, a := range answers {
				want[a.ID] = a
			}
			passed := 0
			for _, q := range queries {
				ok := t.Run(q.ID, func(t *testing.T) {
					w, found := want[q.ID]
					if !found {
						t.Fatalf("no expected answer")
					}
					if diff := runConformanceQuery(ix, q, w); diff != "" {
						t.Error(diff)
					}
				})
				if ok {
					passed++
				}
			}
			t.Logf("%s: %d/%d conformance queries pass", set.name, passed, len(queries))
		})
	}
}

func confRequest(q confQuery) (Request, error) {
	var req Request
	if q.URL != "" {
		r, err := RequestForURL(q.Method, q.URL)
		if err != nil {
			return req, err
		}
		req = r
	} else {
		req = Request{Verb: q.Verb, APIGroup: q.APIGroup, Resource: q.Resource, Subresource: q.Subresource, Name: q.Name, Namespace: q.Namespace, Path: q.Path}
	}
	req.User, req.Groups = q.User, q.Groups
	if q.ImplicitGroups {
		req.Groups = EffectiveGroups(q.User, q.Groups)
	}
	return req, req.Validate()
}

func runConformanceQuery(ix *Index, q confQuery, w confAnswer) string {
	var diffs []string
	check := func(field string, got, want any) {
		if !reflect.DeepEqual(got, want) {
			diffs = append(diffs, fmt.Sprintf("%s: got %v, want %v", field, got, want))
		}
	}
	switch q.Op {
	case "authorize":
		req, err := confRequest(q)
		if err != nil || w.Error != "" {
			check("error", errString(err), w.Error)
			break
		}
		d := ix.Authorize(req)
		check("allowed", d.Allowed, w.Allowed)
		check("superuser", d.Superuser, w.Superuser)
		check("reason", d.Reason, strings.TrimPrefix(w.Reason, "rbac: "))
	case "whocan":
		req, err := confRequest(q)
		if err != nil || w.Error != "" {
			check("error", errString(err), w.Error)
			break
		}
		s := ix.WhoCan(req)
		check("users", nonNil(s.Users), nonNil(w.Users))
		check("groups", nonNil(s.Groups), nonNil(w.Groups))
		check("errors", nonNil(s.Errors), nonNil(w.Errors))
	case "rulesfor":
		groups := q.Groups
		if q.ImplicitGroups {
			groups = EffectiveGroups(q.User, q.Groups)
		}
		rules, errs := ix.RulesFor(q.User, groups, q.Namespace)
		check("rules", rulesJSON(NormalizeRules(rules)), rulesJSON(w.Rules))
		check("errors", nonNil(sortedUnique(errs)), nonNil(w.Errors))
	case "escalation":
		req, err := confEscalation(q)
		if err != nil {
			check("error", err.Error(), w.Error)
			break
		}
		r := ix.CheckEscalation(req)
		check("refused", r.Refused, w.Refused)
	case "get":
		switch q.Kind {
		case KindRole, KindClusterRole:
			r := ix.Role(q.Kind, nsFor(q.Kind, q.Namespace), q.Name)
			check("found", r != nil, w.Found)
			if r != nil && w.Found {
				check("rules", rulesJSON(NormalizeRules(r.Rules)), rulesJSON(w.Rules))
				check("ruleCount", len(r.Rules), w.RoleCount)
			}
		default:
			b := ix.Binding(q.Kind, nsFor(q.Kind, q.Namespace), q.Name)
			check("found", b != nil, w.Found)
			if b != nil && w.Found {
				check("subjects", b.Subjects, w.Subjects)
				check("roleRef", b.RoleRef, *w.RoleRef)
			}
		}
	case "objects":
		var got, want []string
		for _, r := range ix.Rejected() {
			got = append(got, r.Kind+"/"+r.Namespace+"/"+r.Name)
		}
		for _, r := range w.Rejected {
			want = append(want, r.Kind+"/"+r.Namespace+"/"+r.Name)
		}
		sort.Strings(got)
		sort.Strings(want)
		check("rejected", got, want)
	default:
		check("error", fmt.Sprintf("unknown op %q (want authorize, whocan, rulesfor, escalation, get, objects)", q.Op), w.Error)
	}
	return strings.Join(diffs, "\n")
}

func nsFor(kind, ns string) string {
	if kind == KindClusterRole || kind == KindClusterRoleBinding {
		return ""
	}
	if ns == "" {
		return "default"
	}
	return ns
}

func confEscalation(q confQuery) (EscalationRequest, error) {
	req := EscalationRequest{User: q.User, Groups: q.Groups, Namespace: q.Namespace, Kind: q.Kind, Name: q.Name, Update: q.Operation == "update", RoleRef: q.RoleRef}
	if q.ImplicitGroups {
		req.Groups = EffectiveGroups(q.User, q.Groups)
	}
	if req.Name == "" {
		req.Name = "oracle-escalation-check"
	}
	raw := q.Role
	if len(raw) == 0 {
		raw = q.Rules
	}
	if len(raw) > 0 && q.RoleRef == nil {
		if strings.HasPrefix(strings.TrimSpace(string(raw)), "[") {
			if err := json.Unmarshal(raw, &req.Rules); err != nil {
				return req, err
			}
		} else {
			var full struct {
				Rules           []rbacv1.PolicyRule     `json:"rules"`
				AggregationRule *rbacv1.AggregationRule `json:"aggregationRule"`
			}
			if err := json.Unmarshal(raw, &full); err != nil {
				return req, err
			}
			req.Rules, req.AggregationRule = full.Rules, full.AggregationRule
		}
	}
	return req, nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func rulesJSON(r []rbacv1.PolicyRule) string {
	if r == nil {
		r = []rbacv1.PolicyRule{}
	}
	b, _ := json.Marshal(r)
	return string(b)
}
