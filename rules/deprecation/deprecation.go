// Package deprecation knows which Kubernetes API versions are deprecated or
// removed in which release, and what replaces them. Built-in types that
// k8s.io/api still ships answer from their generated prerelease-lifecycle
// methods (the data the API server's deprecation warnings come from); the
// API versions that k8s.io/api no longer ships come from the upstream
// Deprecated API Migration Guide, in Table.
package deprecation

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Version is a Kubernetes minor release such as 1.29. The zero Version means
// "never".
type Version struct {
	Major, Minor int
}

// LatestStable is the newest Kubernetes release kubeplan's API types come
// from (k8s.io/api v0.37 is Kubernetes 1.37).
func LatestStable() Version { return Version{Major: 1, Minor: 37} }

// ParseVersion reads "1.29", "v1.29" or "v1.29.3".
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(t, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR such as 1.29", s)
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || major != 1 || minor < 0 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR such as 1.29", s)
	}
	return Version{Major: major, Minor: minor}, nil
}

// IsZero reports whether v means "never".
func (v Version) IsZero() bool { return v == Version{} }

// AtLeast reports whether v is o or later.
func (v Version) AtLeast(o Version) bool {
	if v.Major != o.Major {
		return v.Major > o.Major
	}
	return v.Minor >= o.Minor
}

// String renders "v1.29".
func (v Version) String() string { return fmt.Sprintf("v%d.%d", v.Major, v.Minor) }

// Lifecycle is when an API version of a kind is deprecated and removed, and
// what replaces it.
type Lifecycle struct {
	// GVK is the API version and kind described.
	GVK schema.GroupVersionKind
	// Deprecated and Removed are the releases; zero means never.
	Deprecated, Removed Version
	// Replacement is the API version and kind to migrate to; empty when
	// there is none (PodSecurityPolicy).
	Replacement schema.GroupVersionKind
	// Note is extra migration advice.
	Note string
}

// lifecycled is implemented by k8s.io/api prerelease types
// (zz_generated.prerelease-lifecycle.go).
type lifecycled interface {
	APILifecycleDeprecated() (major, minor int)
	APILifecycleRemoved() (major, minor int)
}

type replaced interface {
	APILifecycleReplacement() schema.GroupVersionKind
}

// Index answers lifecycle questions from Table without rescanning it. It is
// immutable and safe for concurrent use.
type Index struct {
	table map[schema.GroupVersionKind]Lifecycle
}

// NewIndex indexes Table.
func NewIndex() *Index {
	ix := &Index{table: map[schema.GroupVersionKind]Lifecycle{}}
	for _, l := range Table() {
		ix.table[l.GVK] = l
	}
	return ix
}

// Lookup is the package-level Lookup over a prebuilt index.
func (ix *Index) Lookup(gvk schema.GroupVersionKind, typed runtime.Object) (Lifecycle, bool) {
	return lookup(gvk, typed, func(g schema.GroupVersionKind) (Lifecycle, bool) {
		l, ok := ix.table[g]
		return l, ok
	})
}

// Lookup returns the lifecycle of gvk. typed, when non-nil, is the decoded
// object; its generated lifecycle methods answer first. It reports false for
// API versions that are neither deprecated nor removed.
func Lookup(gvk schema.GroupVersionKind, typed runtime.Object) (Lifecycle, bool) {
	return lookup(gvk, typed, tableEntry)
}

func lookup(gvk schema.GroupVersionKind, typed runtime.Object, tableEntry func(schema.GroupVersionKind) (Lifecycle, bool)) (Lifecycle, bool) {
	if lc, ok := typed.(lifecycled); ok {
		l := Lifecycle{GVK: gvk}
		maj, min := lc.APILifecycleDeprecated()
		l.Deprecated = Version{Major: maj, Minor: min}
		maj, min = lc.APILifecycleRemoved()
		l.Removed = Version{Major: maj, Minor: min}
		if r, ok := typed.(replaced); ok {
			l.Replacement = r.APILifecycleReplacement()
		}
		// The guide's replacement wins: the generated one is occasionally
		// wrong (networking.k8s.io/v1beta1 IngressClass names
		// IngressClassList).
		if t, ok := tableEntry(gvk); ok {
			l.Replacement, l.Note = t.Replacement, t.Note
		}
		return l, !l.Deprecated.IsZero() || !l.Removed.IsZero()
	}
	return tableEntry(gvk)
}

func tableEntry(gvk schema.GroupVersionKind) (Lifecycle, bool) {
	for _, l := range Table() {
		if l.GVK == gvk {
			return l, true
		}
	}
	return Lifecycle{}, false
}

// Message renders the finding text for a target release, in the words of
// the API server's deprecation warning: "apps/v1beta1 Deployment is
// deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment".
func (l Lifecycle) Message(target Version) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s ", l.GVK.GroupVersion().String(), l.GVK.Kind)
	removed := !l.Removed.IsZero() && target.AtLeast(l.Removed)
	switch {
	case removed:
		fmt.Fprintf(&b, "is no longer served since %s (target %s)", l.Removed, target)
	case !l.Removed.IsZero():
		fmt.Fprintf(&b, "is deprecated in %s+, unavailable in %s+", l.Deprecated, l.Removed)
	default:
		fmt.Fprintf(&b, "is deprecated in %s+", l.Deprecated)
	}
	if !l.Replacement.Empty() {
		fmt.Fprintf(&b, "; use %s %s", l.Replacement.GroupVersion().String(), l.Replacement.Kind)
	}
	if l.Note != "" {
		b.WriteString("; " + l.Note)
	}
	return b.String()
}
