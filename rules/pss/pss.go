// Package pss evaluates pod templates against the Pod Security Standards
// with k8s.io/pod-security-admission's own policy checks, so kubeplan's
// verdicts are the PodSecurity admission plugin's: the same levels, the same
// versioned checks, the same forbidden reasons.
package pss

import (
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

// Evaluator checks pods against a level and version. It is immutable and
// safe for concurrent use.
type Evaluator struct {
	eval policy.Evaluator
	// Default is the version used when a namespace does not pin one.
	Default api.Version
}

// NewEvaluator builds an evaluator whose default version is version
// ("latest", "v1.x" or "" for latest).
func NewEvaluator(version string) (*Evaluator, error) {
	if version == "" {
		version = "latest"
	}
	v, err := api.ParseVersion(version)
	if err != nil {
		return nil, fmt.Errorf("pod security version %q: %w", version, err)
	}
	ev, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		return nil, fmt.Errorf("pod security checks: %w", err)
	}
	return &Evaluator{eval: ev, Default: v}, nil
}

// Violation is one check a pod fails: the admission plugin's forbidden
// reason ("host namespaces") and detail ("hostNetwork=true").
type Violation struct {
	Reason, Detail string
}

// String renders the violation as the admission plugin does: "reason
// (detail)".
func (v Violation) String() string {
	if v.Detail == "" {
		return v.Reason
	}
	return v.Reason + " (" + v.Detail + ")"
}

// Evaluate returns the checks of lv the pod fails, in the evaluator's
// order. A privileged level allows everything.
func (e *Evaluator) Evaluate(lv api.LevelVersion, meta *metav1.ObjectMeta, spec *corev1.PodSpec) []Violation {
	spec = withDefaults(spec)
	var out []Violation
	for _, r := range e.eval.EvaluatePod(lv, meta, spec) {
		if !r.Allowed {
			out = append(out, Violation{Reason: r.ForbiddenReason, Detail: r.ForbiddenDetail})
		}
	}
	return out
}

// Level returns the LevelVersion for a level at the evaluator's default
// version.
func (e *Evaluator) Level(level api.Level) api.LevelVersion {
	return api.LevelVersion{Level: level, Version: e.Default}
}

// Mode is a PodSecurity admission mode.
type Mode string

// The three modes, in the order the admission plugin applies them.
const (
	Enforce Mode = "enforce"
	Warn    Mode = "warn"
	Audit   Mode = "audit"
)

// NamespacePolicy is the policy a namespace's labels select, per mode, with
// the label problems the admission plugin would report.
type NamespacePolicy struct {
	Policy api.Policy
	// Labelled is true when the namespace has at least one
	// pod-security.kubernetes.io/ level label.
	Labelled bool
	// Errors are unparsable labels; the plugin then falls back to
	// restricted:latest for that mode.
	Errors []string
}

// For returns the LevelVersion of a mode.
func (p NamespacePolicy) For(m Mode) api.LevelVersion {
	switch m {
	case Enforce:
		return p.Policy.Enforce
	case Warn:
		return p.Policy.Warn
	}
	return p.Policy.Audit
}

// PolicyFor resolves namespace labels the way the admission plugin does
// (api.PolicyToEvaluate), with privileged at the evaluator's default
// version as the cluster default for unlabelled modes.
func (e *Evaluator) PolicyFor(labels map[string]string) NamespacePolicy {
	def := api.LevelVersion{Level: api.LevelPrivileged, Version: e.Default}
	p, errs := api.PolicyToEvaluate(labels, api.Policy{Enforce: def, Warn: def, Audit: def})
	out := NamespacePolicy{Policy: p}
	for _, l := range []string{api.EnforceLevelLabel, api.WarnLevelLabel, api.AuditLevelLabel} {
		if _, ok := labels[l]; ok {
			out.Labelled = true
		}
	}
	for _, err := range errs {
		out.Errors = append(out.Errors, err.Error())
	}
	sort.Strings(out.Errors)
	return out
}

// SysctlAllowed reports whether the baseline level of Kubernetes version
// (major 1, minor) allows the sysctl: the kubelet's safe set, as the
// pod-security-admission sysctls check lists it for that version.
func (e *Evaluator) SysctlAllowed(name string, minor int) bool {
	lv := api.LevelVersion{Level: api.LevelBaseline, Version: api.MajorMinorVersion(1, minor)}
	spec := &corev1.PodSpec{SecurityContext: &corev1.PodSecurityContext{Sysctls: []corev1.Sysctl{{Name: name}}}}
	for _, v := range e.Evaluate(lv, &metav1.ObjectMeta{}, spec) {
		if v.Reason == "forbidden sysctls" {
			return false
		}
	}
	return true
}

// withDefaults applies the API server defaulting the checks depend on: a
// volume without a source becomes an emptyDir (SetDefaults_Volume in
// k8s.io/kubernetes pkg/apis/core/v1/defaults.go). The admission plugin sees
// pods after defaulting, so its own fixtures rely on it. spec is not
// modified; a copy is returned when something changed.
func withDefaults(spec *corev1.PodSpec) *corev1.PodSpec {
	var vols []corev1.Volume
	for i, v := range spec.Volumes {
		if v.VolumeSource != (corev1.VolumeSource{}) {
			continue
		}
		if vols == nil {
			vols = append([]corev1.Volume(nil), spec.Volumes...)
		}
		vols[i].EmptyDir = &corev1.EmptyDirVolumeSource{}
	}
	if vols == nil {
		return spec
	}
	cp := *spec
	cp.Volumes = vols
	return &cp
}
