package finding

import (
	"strings"
)

// IgnoreAnnotation is the object annotation that suppresses rules for that
// object: a comma-separated list of rule ids, or "*" for all.
const IgnoreAnnotation = "kubeplan.dev/ignore"

// IgnoreDirective is the comment marker that suppresses rules on its own
// line or the line below: "# kubeplan:ignore rule-a,rule-b" (no list: all
// rules).
const IgnoreDirective = "kubeplan:ignore"

// ParseIgnoreComment finds an ignore directive in a comment on the line and
// returns the rule ids it names. all is true when it names none or "*".
// found is false when the line has no directive.
func ParseIgnoreComment(line string) (ids []string, all, found bool) {
	i := strings.Index(line, "#")
	for i >= 0 {
		rest := strings.TrimSpace(line[i+1:])
		if after, ok := strings.CutPrefix(rest, IgnoreDirective); ok {
			if after != "" && after[0] != ' ' && after[0] != '\t' && after[0] != '=' && after[0] != ':' {
				return nil, false, false
			}
			ids, all = ParseRuleList(strings.TrimLeft(after, " \t=:"))
			return ids, all, true
		}
		j := strings.Index(line[i+1:], "#")
		if j < 0 {
			break
		}
		i += j + 1
	}
	return nil, false, false
}

// ParseRuleList splits "a, b c" into ids; all is true for an empty list or
// one containing "*" or "all". Text after " -- " is a free-form reason.
func ParseRuleList(s string) (ids []string, all bool) {
	if k := strings.Index(s, "--"); k >= 0 {
		s = s[:k]
	}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if f == "*" || f == "all" {
			all = true
			continue
		}
		ids = append(ids, f)
	}
	if len(ids) == 0 {
		all = true
	}
	return ids, all
}

// Matches reports whether a rule list from ParseRuleList names id.
func Matches(ids []string, all bool, id string) bool {
	if all {
		return true
	}
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
