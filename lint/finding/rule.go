package finding

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Categories a rule may carry in Rule.Categories.
const (
	CategorySecurity    = "security"
	CategoryReliability = "reliability"
	CategoryEfficiency  = "efficiency"
	CategoryCorrectness = "correctness"
)

// Rule is the metadata of one check: what `kubeplan rules`, `kubeplan
// explain`, docs/rules.md and SARIF's tool.driver.rules all render. A Rule is
// a plain value; analyzers return the rules they can fire from Rules().
type Rule struct {
	// ID is the stable identifier users write in config and suppressions:
	// lower-case words joined by '-', optionally prefixed by a namespace and
	// '.', as in "duplicate-object" or "policy.main.deny".
	ID string `json:"id"`
	// Title is a short sentence fragment shown in listings.
	Title string `json:"title"`
	// Description says what the rule detects and why it matters.
	Description string `json:"description"`
	// Remediation says how to fix a finding; it ends with a period.
	Remediation string `json:"remediation,omitempty"`
	// Severity is the default severity; config may override it.
	Severity Severity `json:"severity"`
	// Categories are tags: security, reliability, efficiency, correctness.
	Categories []string `json:"categories,omitempty"`
	// SecuritySeverity is SARIF's properties.security-severity, a decimal
	// string from "0.1" to "10.0"; empty means not a security rule.
	SecuritySeverity string `json:"securitySeverity,omitempty"`
	// DocsURL points at the rule's documentation.
	DocsURL string `json:"docsURL,omitempty"`
	// Disabled rules are off unless enabled by --enable or config.
	Disabled bool `json:"disabledByDefault,omitempty"`
	// Source names the analyzer family: "core", "rules", "rbac",
	// "placement" or "policy".
	Source string `json:"source,omitempty"`
}

var ruleIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(\.[a-zA-Z0-9_]+(-[a-zA-Z0-9_]+)*)*$`)

// Validate reports the first problem with the rule's metadata: an ID that
// is not lower-case words joined by '-', a missing title or description, or a
// security severity that is not a number from 0.1 to 10.
func (r Rule) Validate() error {
	if !ruleIDPattern.MatchString(r.ID) {
		return fmt.Errorf("rule id %q: want lower-case words joined by '-'", r.ID)
	}
	if strings.TrimSpace(r.Title) == "" {
		return fmt.Errorf("rule %s: empty title", r.ID)
	}
	if strings.TrimSpace(r.Description) == "" {
		return fmt.Errorf("rule %s: empty description", r.ID)
	}
	if r.Severity == SeverityNone {
		return fmt.Errorf("rule %s: no severity", r.ID)
	}
	if r.SecuritySeverity != "" {
		var f float64
		if _, err := fmt.Sscanf(r.SecuritySeverity, "%g", &f); err != nil || f < 0.1 || f > 10 {
			return fmt.Errorf("rule %s: security severity %q is not a number from 0.1 to 10", r.ID, r.SecuritySeverity)
		}
	}
	return nil
}

// Help renders the rule as Markdown: description, remediation and docs link.
// SARIF's help.markdown and `kubeplan explain` use it.
func (r Rule) Help() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%s)\n\n%s\n", r.Title, r.Severity, r.Description)
	if r.Remediation != "" {
		fmt.Fprintf(&b, "\n**Remediation:** %s\n", r.Remediation)
	}
	if r.DocsURL != "" {
		fmt.Fprintf(&b, "\nSee %s\n", r.DocsURL)
	}
	return b.String()
}

// SortRules orders rules by ID, in place, and returns them.
func SortRules(rules []Rule) []Rule {
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules
}
