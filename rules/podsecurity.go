package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/kubeplan/kubeplan/rules/pss"
	"k8s.io/pod-security-admission/api"
)

// namespacePolicy returns the Pod Security policy the input's Namespace
// object selects for the workload, and the Namespace (nil when absent).
func namespacePolicy(c *Context, w *cluster.Workload) (pss.NamespacePolicy, *cluster.Object) {
	ns := c.Model.Get("", "Namespace", "", w.Namespace())
	var labels map[string]string
	if ns != nil {
		labels = ns.Labels
	}
	return c.env.pss.PolicyFor(labels), ns
}

// pssViolations evaluates the workload at lv, minus the violations already
// reported (by String) in skip.
func pssViolations(c *Context, w *cluster.Workload, lv api.LevelVersion, skip map[string]bool) []pss.Violation {
	var out []pss.Violation
	for _, v := range c.env.pss.Evaluate(lv, &w.Template.ObjectMeta, &w.Template.Spec) {
		if !skip[v.String()] {
			out = append(out, v)
		}
	}
	return out
}

func reportViolations(r *Report, w *cluster.Workload, ns *cluster.Object, lv api.LevelVersion, verb string, vs []pss.Violation) map[string]bool {
	seen := map[string]bool{}
	for _, v := range vs {
		seen[v.String()] = true
		msg := verb + " PodSecurity \"" + lv.String() + "\": " + v.String()
		if ns != nil {
			r.Add(w.Object, pssPath(w, v.Reason), msg, related(ns, "metadata.labels", "Pod Security labels of "+describe(ns)))
		} else {
			r.Add(w.Object, pssPath(w, v.Reason), msg)
		}
	}
	return seen
}

func podSecurityEnforceRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "pod-security-enforce",
			Title:            "Pods would be rejected by the namespace's Pod Security enforce level",
			Description:      "The namespace's pod-security.kubernetes.io/enforce label (with its -version label, else --pss-version) selects a Pod Security Standards level this pod template violates, so the PodSecurity admission plugin rejects its pods: the workload is created but never gets a pod. Evaluated with k8s.io/pod-security-admission's own checks.",
			Remediation:      "Change the pod template to meet the level (see the forbidden reason), or lower the namespace's enforce level.",
			Severity:         finding.SeverityError,
			Categories:       []string{finding.CategorySecurity, finding.CategoryCorrectness},
			SecuritySeverity: "6.0",
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			p, ns := namespacePolicy(c, w)
			lv := p.For(pss.Enforce)
			reportViolations(r, w, ns, lv, "violates", pssViolations(c, w, lv, nil))
		},
	}
}

func podSecurityWarnRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "pod-security-warn",
			Title:            "Pods trigger the namespace's Pod Security warn or audit level",
			Description:      "The namespace's pod-security.kubernetes.io/warn or audit label selects a level this pod template violates: kubectl prints a warning on every apply, or the audit log records the violation. Violations already rejected by the enforce level are not repeated.",
			Remediation:      "Change the pod template to meet the level before the namespace enforces it.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "4.0",
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			p, ns := namespacePolicy(c, w)
			seen := map[string]bool{}
			for _, v := range pssViolations(c, w, p.For(pss.Enforce), nil) {
				seen[v.String()] = true
			}
			for _, m := range []pss.Mode{pss.Warn, pss.Audit} {
				lv := p.For(m)
				for k := range reportViolations(r, w, ns, lv, "would "+string(m)+" on", pssViolations(c, w, lv, seen)) {
					seen[k] = true
				}
			}
		},
	}
}

// unlabelledLevelRule evaluates workloads of namespaces without Pod Security
// labels against a level at --pss-version.
func unlabelledLevelRule(id string, level api.Level, sev finding.Severity, secSev string, why string) Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               id,
			Title:            "Pod template violates the Pod Security Standards " + string(level) + " level",
			Description:      why + " Evaluated (with k8s.io/pod-security-admission's own checks, at --pss-version) for workloads whose namespace has no pod-security.kubernetes.io labels in the input; labelled namespaces are judged by pod-security-enforce and pod-security-warn.",
			Remediation:      "Change the pod template to meet the " + string(level) + " level, or label the namespace with the level it is meant to run at.",
			Severity:         sev,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: secSev,
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			if p, _ := namespacePolicy(c, w); p.Labelled {
				return
			}
			var skip map[string]bool
			if level == api.LevelRestricted {
				skip = map[string]bool{}
				for _, v := range pssViolations(c, w, c.env.pss.Level(api.LevelBaseline), nil) {
					skip[v.String()] = true
				}
			}
			lv := c.env.pss.Level(level)
			reportViolations(r, w, nil, lv, "violates", pssViolations(c, w, lv, skip))
		},
	}
}

func podSecurityBaselineRule() Rule {
	return unlabelledLevelRule("pod-security-baseline", api.LevelBaseline, finding.SeverityWarning, "6.0",
		"The baseline level forbids known privilege escalations: privileged containers, host namespaces, hostPath volumes, host ports, added capabilities, unsafe sysctls and more.")
}

func podSecurityRestrictedRule() Rule {
	return unlabelledLevelRule("pod-security-restricted", api.LevelRestricted, finding.SeverityNote, "3.0",
		"The restricted level adds current hardening best practice on top of baseline: non-root, no privilege escalation, all capabilities dropped, a seccomp profile, restricted volume types. Only violations beyond baseline are reported here.")
}
