package policies

import (
	"fmt"
	"strings"

	"github.com/kubeplan/kubeplan/lint/finding"
	"github.com/open-policy-agent/opa/v1/ast"
)

// ruleMeta is what a rule's METADATA blocks say, read from the closest
// block outwards (rule, document, package, subpackages).
type ruleMeta struct {
	Title, Description string
	// ID is custom.id; Severity custom.severity; Remediation
	// custom.remediation; Categories custom.categories; SecuritySeverity
	// custom.security-severity.
	ID, Severity, Remediation, SecuritySeverity string
	Categories                                  []string
	// Custom is the merged custom map, closest block first.
	Custom map[string]any
	// FromPackage is true when ID came from a package-scope block, which
	// every rule in the package shares.
	FromPackage bool
}

// readMeta merges the annotation chain of a rule.
func readMeta(as *ast.AnnotationSet, rule *ast.Rule) ruleMeta {
	var m ruleMeta
	m.Custom = map[string]any{}
	if as == nil {
		return m
	}
	for _, ref := range as.Chain(rule) {
		a := ref.Annotations
		if a == nil {
			continue
		}
		if m.Title == "" {
			m.Title = strings.TrimSpace(a.Title)
		}
		if m.Description == "" {
			m.Description = strings.TrimSpace(a.Description)
		}
		for k, v := range a.Custom {
			if _, ok := m.Custom[k]; !ok {
				m.Custom[k] = v
				if k == "id" && a.Scope != "rule" && a.Scope != "document" {
					m.FromPackage = true
				}
			}
		}
	}
	m.ID = customString(m.Custom, "id")
	m.Severity = customString(m.Custom, "severity")
	m.Remediation = customString(m.Custom, "remediation")
	m.SecuritySeverity = customString(m.Custom, "security-severity")
	if cs, ok := m.Custom["categories"].([]any); ok {
		for _, c := range cs {
			if s, ok := c.(string); ok {
				m.Categories = append(m.Categories, s)
			}
		}
	}
	return m
}

func customString(c map[string]any, k string) string {
	switch v := c[k].(type) {
	case string:
		return strings.TrimSpace(v)
	case nil:
		return ""
	default:
		return strings.TrimSpace(fmt.Sprint(v))
	}
}

// toRule builds the finding.Rule of a policy rule. defID and defSev apply
// when METADATA does not set custom.id and custom.severity.
func (m ruleMeta) toRule(defID string, defSev finding.Severity, what string) (finding.Rule, error) {
	r := finding.Rule{
		ID:               defID,
		Title:            m.Title,
		Description:      m.Description,
		Remediation:      m.Remediation,
		Severity:         defSev,
		Categories:       m.Categories,
		SecuritySeverity: m.SecuritySeverity,
		Source:           AnalyzerName,
	}
	if m.ID != "" {
		r.ID = m.ID
	}
	if r.Title == "" {
		r.Title = "Policy " + r.ID
	}
	if r.Description == "" {
		r.Description = "Results of " + what + "."
	}
	if m.Severity != "" {
		s, err := finding.ParseSeverity(m.Severity)
		if err != nil {
			return r, fmt.Errorf("METADATA custom.severity: %w", err)
		}
		if s != finding.SeverityNone {
			r.Severity = s
		}
	}
	return r, nil
}
