package report

import "github.com/kubeplan/kubeplan/lint/finding"

// Rules of the fixtures.
var (
	ruleDuplicate = finding.Rule{
		ID:          "duplicate-object",
		Title:       "Object defined more than once",
		Description: "Two documents declare the same group, kind, namespace and name; the later one silently replaces the earlier one when applied.",
		Remediation: "Remove or rename one of the definitions.",
		Severity:    finding.SeverityError,
		Categories:  []string{finding.CategoryCorrectness},
		DocsURL:     "https://github.com/kubeplan/kubeplan/blob/main/docs/rules.md#duplicate-object",
		Source:      "core",
	}
	ruleImageTag = finding.Rule{
		ID:          "image-tag-latest",
		Title:       "Image uses a mutable tag",
		Description: "A container image without a tag or with the tag latest can change under a running workload.",
		Remediation: "Pin the image to a version tag or a digest.",
		Severity:    finding.SeverityWarning,
		Categories:  []string{finding.CategoryReliability, finding.CategoryReliability},
		Source:      "rules",
	}
	ruleRunAsRoot = finding.Rule{
		ID:               "run-as-root",
		Title:            "Container runs as root",
		Description:      "A container with runAsUser 0 runs as root inside its user namespace.",
		Remediation:      "Set securityContext.runAsNonRoot: true and a non-zero runAsUser.",
		Severity:         finding.SeverityError,
		Categories:       []string{finding.CategorySecurity},
		SecuritySeverity: "7.5",
		DocsURL:          "https://github.com/kubeplan/kubeplan/blob/main/docs/rules.md#run-as-root",
		Source:           "rules",
	}
	ruleSelector = finding.Rule{
		ID:          "service-selector-mismatch",
		Title:       "Service selects no pods",
		Description: "No workload's pod template carries every label of the Service's selector.",
		Severity:    finding.SeverityWarning,
		Categories:  []string{finding.CategoryCorrectness},
		Source:      "rules",
	}
	ruleSingleReplica = finding.Rule{
		ID:          "single-replica",
		Title:       "Workload runs a single replica",
		Description: "A Deployment with one replica is unavailable during node drains and rollouts.",
		Remediation: "Run at least two replicas.",
		Severity:    finding.SeverityNote,
		Categories:  []string{finding.CategoryReliability},
		Disabled:    true,
		Source:      "rules",
	}
)

// appYAML and svcYAML are the sources of the basic case.
const (
	appYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext:
            runAsUser: 0
`
	svcYAML = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    kubeplan.dev/ignore: service-selector-mismatch
spec:
  selector:
    app: web-frontend
`
	unicodePath = "charts/café app/values.yaml"
	unicodeYAML = "# Valeurs par défaut ☕\nmetadata:\n  annotations:\n    note: \"naïve\tcafé ☕ 日本語\"\n  name: ünïcode\n"
)

// goldenCase is one golden fixture: a result and the options every format
// is run with.
type goldenCase struct {
	name   string
	opts   Options
	result func() *finding.Result
}

// goldenCases are the fixtures under testdata/<name>.<ext>.
func goldenCases() []goldenCase {
	return []goldenCase{
		{
			name: "basic",
			opts: Options{
				Version: "0.1.0",
				Sources: newSources(map[string]string{"deploy/app.yaml": appYAML, "deploy/svc.yaml": svcYAML}),
			},
			result: basicResult,
		},
		{
			name:   "empty",
			opts:   Options{Version: "dev", Category: "kubeplan/lint"},
			result: func() *finding.Result { return &finding.Result{Rules: []finding.Rule{ruleDuplicate, ruleImageTag}} },
		},
		{
			name: "unicode",
			opts: Options{
				Version: "v1.2.3-rc.1",
				Sources: newSources(map[string]string{unicodePath: unicodeYAML}),
			},
			result: unicodeResult,
		},
	}
}

// basicResult has errors, warnings and notes across two files, a related
// location, a suppressed finding, a finding whose rule is not in the
// result's rules, a notification and a note.
func basicResult() *finding.Result {
	web := finding.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}
	svc := finding.ObjectRef{APIVersion: "v1", Kind: "Service", Namespace: "shop", Name: "web"}
	return sortedResult(&finding.Result{
		Rules: []finding.Rule{ruleDuplicate, ruleImageTag, ruleRunAsRoot, ruleSelector, ruleSingleReplica},
		Findings: []finding.Finding{
			{
				RuleID: "image-tag-latest", Severity: finding.SeverityWarning,
				Message:   `container "web" uses the mutable tag "latest"`,
				Object:    web,
				FieldPath: "spec.template.spec.containers[0].image",
				Location:  loc("deploy/app.yaml", 12, 18, 12, 30),
			},
			{
				RuleID: "duplicate-object", Severity: finding.SeverityError,
				Message:   "Deployment shop/web is defined twice",
				Object:    web,
				FieldPath: "metadata.name",
				Location:  loc("deploy/app.yaml", 4, 9, 4, 12),
				Related: []finding.Location{
					{Path: "deploy/old.yaml", Line: 4, Col: 9, EndLine: 4, EndCol: 12, Message: "first defined here"},
				},
			},
			{
				RuleID: "single-replica", Severity: finding.SeverityNote,
				Message:   "Deployment shop/web runs a single replica",
				Object:    web,
				FieldPath: "spec.replicas",
				Location:  loc("deploy/app.yaml", 7, 13, 7, 14),
			},
			{
				RuleID: "run-as-root", Severity: finding.SeverityError,
				Message:   `container "web" runs as root (runAsUser: 0)`,
				Object:    web,
				FieldPath: "spec.template.spec.containers[0].securityContext.runAsUser",
				Location:  loc("deploy/app.yaml", 14, 24, 14, 25),
			},
			{
				RuleID: "service-selector-mismatch", Severity: finding.SeverityWarning,
				Message:    "selector app=web-frontend matches no pod template",
				Object:     svc,
				FieldPath:  "spec.selector",
				Location:   loc("deploy/svc.yaml", 10, 10, 10, 22),
				Suppressed: &finding.Suppression{Kind: "inSource", Justification: "annotation kubeplan.dev/ignore"},
			},
			{
				RuleID: "policy.main.deny", Severity: finding.SeverityError,
				Message:  "Service shop/web must set spec.type <ClusterIP|NodePort> & say why",
				Object:   svc,
				Location: loc("deploy/svc.yaml", 8, 1, 8, 5),
			},
		},
		Notifications: []finding.Notification{
			{
				Level:    finding.SeverityError,
				Message:  "yaml: mapping values are not allowed in this context",
				Location: loc("deploy/broken.yaml", 3, 7, 0, 0),
			},
		},
		Notes: []string{"skipped 1 document of kind Kustomization in deploy/kustomization.yaml"},
	})
}

// unicodeResult points into lines with multi-byte characters and a tab,
// in a path with a space and non-ASCII letters, with a multi-line message
// and characters that need escaping in workflow commands.
func unicodeResult() *finding.Result {
	obj := finding.ObjectRef{APIVersion: "v1", Kind: "ConfigMap", Name: "ünïcode"}
	return sortedResult(&finding.Result{
		Rules: []finding.Rule{ruleImageTag},
		Findings: []finding.Finding{
			{
				RuleID: "non-ascii-value", Severity: finding.SeverityWarning,
				Message:   "annotation value is 100% non-ASCII: « 日本語 »,\nsecond line",
				Object:    obj,
				FieldPath: "metadata.annotations.note",
				Location:  loc(unicodePath, 4, 25, 4, 28),
			},
			{
				RuleID: "dns-name", Severity: finding.SeverityError,
				Message:   `name "ünïcode" is not a DNS-1123 subdomain`,
				Object:    obj,
				FieldPath: "metadata.name",
				Location:  loc(unicodePath, 5, 9, 5, 16),
			},
			{
				RuleID: "comment-language", Severity: finding.SeverityNote,
				Message:  "comment is not in English",
				Location: loc(unicodePath, 1, 0, 0, 0),
			},
			{
				RuleID: "file-encoding", Severity: finding.SeverityNote,
				Message:  "file is UTF-8 with non-ASCII characters",
				Location: loc(unicodePath, 0, 0, 0, 0),
			},
		},
	})
}
