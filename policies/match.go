package policies

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	kruntime "k8s.io/apimachinery/pkg/runtime"
)

// gkMatch is a Constraint's spec.match, with Gatekeeper's semantics
// (gatekeeper pkg/mutation/match/match.go): every criterion that is set
// must hold.
type gkMatch struct {
	matchSpec
	labelSel, nsSel labels.Selector
}

// matchSpec is spec.match as written.
type matchSpec struct {
	Source             string                `json:"source,omitempty"`
	Kinds              []gkKinds             `json:"kinds,omitempty"`
	Scope              string                `json:"scope,omitempty"`
	Namespaces         []string              `json:"namespaces,omitempty"`
	ExcludedNamespaces []string              `json:"excludedNamespaces,omitempty"`
	LabelSelector      *metav1.LabelSelector `json:"labelSelector,omitempty"`
	NamespaceSelector  *metav1.LabelSelector `json:"namespaceSelector,omitempty"`
	Name               string                `json:"name,omitempty"`
}

type gkKinds struct {
	APIGroups []string `json:"apiGroups,omitempty"`
	Kinds     []string `json:"kinds,omitempty"`
}

// parseMatch reads spec.match; nil or absent means "match everything".
func parseMatch(v any) (_ *gkMatch, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("spec.match: %v", r)
		}
	}()
	m, ok := v.(map[string]any)
	if !ok || m == nil {
		return &gkMatch{}, nil
	}
	var out gkMatch
	if err := kruntime.DefaultUnstructuredConverter.FromUnstructured(m, &out.matchSpec); err != nil {
		return nil, fmt.Errorf("spec.match: %w", err)
	}
	if out.LabelSelector != nil {
		if out.labelSel, err = metav1.LabelSelectorAsSelector(out.LabelSelector); err != nil {
			return nil, fmt.Errorf("spec.match.labelSelector: %w", err)
		}
	}
	if out.NamespaceSelector != nil {
		if out.nsSel, err = metav1.LabelSelectorAsSelector(out.NamespaceSelector); err != nil {
			return nil, fmt.Errorf("spec.match.namespaceSelector: %w", err)
		}
	}
	switch out.Source {
	case "", "All", "Original", "Generated":
	default:
		return nil, fmt.Errorf("spec.match.source: invalid source %q", out.Source)
	}
	return &out, nil
}

// matchable is an object under review, as the matcher sees it.
type matchable struct {
	Group, Kind        string
	Name, GenerateName string
	// Namespace is the object's namespace ("" for cluster-scoped).
	Namespace string
	Labels    map[string]string
	// NamespaceObject says whether the object's Namespace is known, and
	// NamespaceLabels are its labels.
	NamespaceKnown  bool
	NamespaceLabels map[string]string
}

func (t matchable) isNamespace() bool { return t.Group == "" && t.Kind == "Namespace" }

// matches applies every criterion, in Gatekeeper's order. An error means
// the constraint cannot decide (a namespaceSelector for an object whose
// Namespace is unknown), which Gatekeeper reports as an error.
func (m *gkMatch) matches(t matchable) (bool, error) {
	if !m.kindsMatch(t) || !m.scopeMatch(t) || !m.namespacesMatch(t) || !m.excludedMatch(t) {
		return false, nil
	}
	if m.labelSel != nil && !m.labelSel.Matches(labels.Set(t.Labels)) {
		return false, nil
	}
	if m.nsSel != nil {
		switch {
		case t.isNamespace():
			if !m.nsSel.Matches(labels.Set(t.Labels)) {
				return false, nil
			}
		case t.Namespace == "":
			// Cluster-scoped objects other than Namespaces match.
		case !t.NamespaceKnown:
			return false, fmt.Errorf("namespace selector for namespace-scoped object but missing Namespace %q", t.Namespace)
		case !m.nsSel.Matches(labels.Set(t.NamespaceLabels)):
			return false, nil
		}
	}
	if m.Name != "" && !wildcardMatches(m.Name, t.Name) && !wildcardMatchesGenerateName(m.Name, t.GenerateName) {
		return false, nil
	}
	// source: kubeplan reviews objects as written, Gatekeeper's "Original".
	return m.Source != "Generated", nil
}

func (m *gkMatch) kindsMatch(t matchable) bool {
	if len(m.Kinds) == 0 {
		return true
	}
	for _, k := range m.Kinds {
		if (len(k.Kinds) == 0 || contains(k.Kinds, "*") || contains(k.Kinds, t.Kind)) &&
			(len(k.APIGroups) == 0 || contains(k.APIGroups, "*") || contains(k.APIGroups, t.Group)) {
			return true
		}
	}
	return false
}

func (m *gkMatch) scopeMatch(t matchable) bool {
	hasNS := t.Namespace != ""
	switch m.Scope {
	case "Cluster":
		return t.isNamespace() || !hasNS
	case "Namespaced":
		return !t.isNamespace() && hasNS
	}
	return true // "*", empty and typos match everything, as in Gatekeeper
}

// nsOf is the namespace the namespaces/excludedNamespaces criteria test:
// a Namespace's own name, else the object's namespace; "" means the
// criterion cannot disqualify the object.
func nsOf(t matchable) string {
	if t.isNamespace() {
		return t.Name
	}
	return t.Namespace
}

func (m *gkMatch) namespacesMatch(t matchable) bool {
	ns := nsOf(t)
	if len(m.Namespaces) == 0 || ns == "" {
		return true
	}
	for _, w := range m.Namespaces {
		if wildcardMatches(w, ns) {
			return true
		}
	}
	return false
}

func (m *gkMatch) excludedMatch(t matchable) bool {
	ns := nsOf(t)
	if len(m.ExcludedNamespaces) == 0 || ns == "" {
		return true
	}
	for _, w := range m.ExcludedNamespaces {
		if wildcardMatches(w, ns) {
			return false
		}
	}
	return true
}

// wildcardMatches is Gatekeeper's wildcard.Wildcard.Matches: a leading
// and/or trailing '*' globs; anything else must be equal.
func wildcardMatches(w, s string) bool {
	switch {
	case strings.HasPrefix(w, "*") && strings.HasSuffix(w, "*") && len(w) >= 2:
		return strings.Contains(s, w[1:len(w)-1])
	case w == "*":
		return true
	case strings.HasPrefix(w, "*"):
		return strings.HasSuffix(s, w[1:])
	case strings.HasSuffix(w, "*"):
		return strings.HasPrefix(s, w[:len(w)-1])
	}
	return w == s
}

// wildcardMatchesGenerateName is Wildcard.MatchesGenerateName: only
// trailing-glob and both-sides-glob patterns can match a generateName.
func wildcardMatchesGenerateName(w, s string) bool {
	if s == "" {
		return false
	}
	switch {
	case strings.HasPrefix(w, "*") && strings.HasSuffix(w, "*") && len(w) >= 2:
		return strings.Contains(s, w[1:len(w)-1])
	case strings.HasSuffix(w, "*"):
		return strings.HasPrefix(s, w[:len(w)-1])
	}
	return false
}

func contains(set []string, s string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}
