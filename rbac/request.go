package rbac

import (
	"errors"
	"net/url"
	"strings"
)

// Request is one access question in the API server's authorization
// attributes: who (User, Groups) wants to do what. A request with a Path is a
// non-resource request (GET /healthz); otherwise it names a resource.
type Request struct {
	// User is the user name, as kubectl's --as takes it; a service account
	// is "system:serviceaccount:NS:NAME".
	User string
	// Groups are the user's groups, taken exactly as given: see
	// EffectiveGroups for the ones a live cluster's authenticators add.
	Groups []string
	// Verb is the RBAC verb (get, list, watch, create, update, patch,
	// delete, deletecollection, or a special verb such as impersonate,
	// bind, escalate, use). Verbs are case-sensitive.
	Verb string
	// APIGroup is "" for the core group.
	APIGroup    string
	Resource    string
	Subresource string
	// Name is the object's name; empty for list, watch, create and
	// deletecollection, as the API server sends them.
	Name string
	// Namespace is empty for cluster-scoped requests and for requests
	// across all namespaces.
	Namespace string
	// Path is the URL path of a non-resource request.
	Path string
}

// IsResourceRequest reports whether the request names a resource rather
// than a non-resource URL.
func (r *Request) IsResourceRequest() bool { return r.Path == "" }

// Validate reports a request that cannot be answered.
func (r *Request) Validate() error {
	if r.Verb == "" {
		return errors.New("verb is required")
	}
	if r.Path != "" && (r.Resource != "" || r.APIGroup != "" || r.Subresource != "" || r.Name != "" || r.Namespace != "") {
		return errors.New("path (non-resource request) cannot be combined with resource attributes")
	}
	if r.Path == "" && r.Resource == "" {
		return errors.New("resource or path is required")
	}
	return nil
}

// Well-known user and group names.
const (
	// GroupMasters is the privileged group: kube-apiserver's
	// privileged-group authorizer allows its members everything before RBAC
	// is asked.
	GroupMasters = "system:masters"
	// GroupAuthenticated is added to every authenticated user.
	GroupAuthenticated = "system:authenticated"
	// GroupUnauthenticated is the group of anonymous requests.
	GroupUnauthenticated = "system:unauthenticated"
	// GroupServiceAccounts is the group of every service account.
	GroupServiceAccounts = "system:serviceaccounts"
	// UserAnonymous is the user name of anonymous requests.
	UserAnonymous = "system:anonymous"
	// serviceAccountPrefix starts every service account's user name.
	serviceAccountPrefix = "system:serviceaccount:"
)

// ServiceAccountUser returns the user name of a service account,
// "system:serviceaccount:NS:NAME".
func ServiceAccountUser(namespace, name string) string {
	return serviceAccountPrefix + namespace + ":" + name
}

// SplitServiceAccountUser returns the namespace and name of a service
// account user name, and false when user is not one (upstream
// serviceaccount.SplitUsername).
func SplitServiceAccountUser(user string) (namespace, name string, ok bool) {
	rest, found := strings.CutPrefix(user, serviceAccountPrefix)
	if !found {
		return "", "", false
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// EffectiveGroups returns groups plus the ones a live cluster's
// authenticators add: system:serviceaccounts and system:serviceaccounts:NS
// for a service account (upstream serviceaccount.MakeGroupNames),
// system:unauthenticated for system:anonymous, and system:authenticated for
// everyone else unless groups already hold system:authenticated or
// system:unauthenticated (upstream AuthenticatedGroupAdder).
func EffectiveGroups(user string, groups []string) []string {
	out := append([]string(nil), groups...)
	add := func(g string) {
		if !has(out, g) {
			out = append(out, g)
		}
	}
	if user == UserAnonymous {
		add(GroupUnauthenticated)
		return out
	}
	if ns, _, ok := SplitServiceAccountUser(user); ok {
		add(GroupServiceAccounts)
		add(GroupServiceAccounts + ":" + ns)
	}
	if !has(out, GroupAuthenticated) && !has(out, GroupUnauthenticated) {
		out = append(out, GroupAuthenticated)
	}
	return out
}

// RequestForURL returns the attributes the API server derives from an HTTP
// method and URL (upstream RequestInfoFactory.NewRequestInfo): resource
// requests under /api and /apis, with list/watch/deletecollection for
// collection requests and the name from a metadata.name field selector;
// everything else is a non-resource request. method defaults to GET.
func RequestForURL(method, rawURL string) (Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Request{}, err
	}
	if method == "" {
		method = "GET"
	}
	nonResource := Request{Verb: strings.ToLower(method), Path: u.Path}
	parts := splitPath(u.Path)
	if len(parts) == 0 || (parts[0] != "api" && parts[0] != "apis") {
		return nonResource, nil
	}
	var req Request
	rest := parts[1:]
	if parts[0] == "apis" {
		if len(rest) < 3 { // group, version, resource
			return nonResource, nil
		}
		req.APIGroup, rest = rest[0], rest[2:]
	} else {
		if len(rest) < 2 { // version, resource
			return nonResource, nil
		}
		rest = rest[1:]
	}
	switch method {
	case "POST":
		req.Verb = "create"
	case "GET", "HEAD":
		req.Verb = "get"
	case "PUT":
		req.Verb = "update"
	case "PATCH":
		req.Verb = "patch"
	case "DELETE":
		req.Verb = "delete"
	default:
		req.Verb = ""
	}
	if rest[0] == "watch" && len(rest) > 1 { // deprecated /watch/ prefix
		req.Verb, rest = "watch", rest[1:]
	}
	if rest[0] == "namespaces" && len(rest) > 1 {
		req.Namespace = rest[1]
		if len(rest) > 2 && rest[2] != "status" && rest[2] != "finalize" {
			rest = rest[2:]
		}
	}
	if len(rest) >= 3 && req.Verb != "proxy" {
		req.Subresource = rest[2]
	}
	if len(rest) >= 2 {
		req.Name = rest[1]
	}
	req.Resource = rest[0]
	q := u.Query()
	if req.Name == "" && req.Verb == "get" {
		req.Verb = "list"
		if q.Get("watch") == "true" || q.Get("watch") == "1" {
			req.Verb = "watch"
		}
		if name, ok := fieldSelectorName(q.Get("fieldSelector")); ok {
			req.Name = name
		}
	}
	if req.Name == "" && req.Verb == "delete" {
		req.Verb = "deletecollection"
	}
	return req, nil
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// fieldSelectorName returns X when the selector requires metadata.name=X.
func fieldSelectorName(sel string) (string, bool) {
	for _, term := range strings.Split(sel, ",") {
		for _, op := range []string{"==", "="} {
			if k, v, ok := strings.Cut(term, op); ok && strings.TrimSpace(k) == "metadata.name" && !strings.HasPrefix(v, "=") {
				v = strings.TrimSpace(v)
				if v != "" && !strings.ContainsAny(v, "/%") && v != "." && v != ".." {
					return v, true
				}
				return "", false
			}
		}
	}
	return "", false
}
