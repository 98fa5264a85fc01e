package rules

import (
	"regexp"
	"strings"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

// sensitiveName matches names that usually hold credentials: kube-linter's
// env-var-secret pattern (secret) plus Polaris' sensitive names.
func sensitiveName() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(secret|passw(or)?d|token|api_?key|private_?key|credential|access_?key)`)
}

// referenceSuffix matches names that hold where a credential lives, not the
// credential: SECRET_NAME, TOKEN_FILE, PASSWORD_PATH...
func referenceSuffix() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(_|-)?(name|file|path|dir|ref|namespace|key_id|keyid|url|mount)$`)
}

func envSecretRule() Rule {
	sensitive, ref := sensitiveName(), referenceSuffix()
	return Rule{
		Meta: finding.Rule{
			ID:               "env-var-secret",
			Title:            "Secret-looking value written into an environment variable",
			Description:      "An environment variable whose name says it holds a secret (password, token, key...) has a literal value in the manifest: the secret is in version control and visible to anyone who can read the workload.",
			Remediation:      "Move the value into a Secret and reference it with valueFrom.secretKeyRef, or mount the Secret as a file.",
			Severity:         finding.SeverityError,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "7.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range w.Containers() {
				for i, e := range c.Container.Env {
					if e.Value == "" || !sensitive.MatchString(e.Name) || ref.MatchString(e.Name) || strings.HasPrefix(e.Value, "/") || strings.Contains(e.Value, "$(") {
						continue
					}
					r.Addf(w.Object, c.Path+".env["+itoa(i)+"].value", "container %q sets %s to a literal value", c.Container.Name, e.Name)
				}
			}
		},
	}
}

func duplicateEnvRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:          "duplicate-env-var",
			Title:       "Environment variable defined twice",
			Description: "When a container lists the same environment variable twice, the kubelet keeps the last definition; the first one is dead configuration that readers take for the real value.",
			Remediation: "Remove all but one definition of the variable.",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range w.Containers() {
				first := map[string]int{}
				for i, e := range c.Container.Env {
					if j, ok := first[e.Name]; ok {
						r.Add(w.Object, c.Path+".env["+itoa(i)+"].name", "container "+quote(c.Container.Name)+" defines "+e.Name+" again; the kubelet uses this later definition",
							related(w.Object, c.Path+".env["+itoa(j)+"].name", "first definition of "+e.Name))
						continue
					}
					first[e.Name] = i
				}
			}
		},
	}
}

func configMapSecretRule() Rule {
	sensitive, ref := sensitiveName(), referenceSuffix()
	return Rule{
		Meta: finding.Rule{
			ID:               "configmap-secret-content",
			Title:            "ConfigMap holds a secret-looking key",
			Description:      "A ConfigMap key whose name says it holds a secret (password, token, key...) has a value: ConfigMaps are not protected like Secrets (no encryption at rest option, readable with broader RBAC).",
			Remediation:      "Move the value into a Secret.",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategorySecurity},
			SecuritySeverity: "5.0",
		},
		Object: func(_ *Context, r *Report, o *cluster.Object) {
			cm, ok := o.Typed.(*corev1.ConfigMap)
			if !ok {
				return
			}
			for _, k := range sortedKeys(cm.Data) {
				if cm.Data[k] != "" && sensitive.MatchString(k) && !ref.MatchString(k) && !strings.Contains(k, ".") {
					r.Addf(o, "data."+k, "ConfigMap key %s looks like a secret", k)
				}
			}
		},
	}
}

func quote(s string) string { return `"` + s + `"` }
