package policies

import (
	"fmt"
	"regexp"
)

// checkAssertion applies gator's Assertion: violations is an integer
// (exactly that many matching violations), "yes" (at least one, the
// default) or "no" (none); message, when set, is a regular expression a
// violation's message must match to count.
func checkAssertion(a map[string]any, msgs []string) error {
	var re *regexp.Regexp
	if m, ok := a["message"].(string); ok {
		var err error
		if re, err = regexp.Compile(m); err != nil {
			return fmt.Errorf("invalid regex: %w", err)
		}
	}
	matching := 0
	for _, m := range msgs {
		if re == nil || re.MatchString(m) {
			matching++
		}
	}
	about := ""
	if re != nil {
		about = fmt.Sprintf(" containing %q", re.String())
	}
	want := a["violations"]
	if b, ok := want.(bool); ok {
		// YAML 1.1 reads yes/no as booleans; gator reads them as strings.
		want = map[bool]string{true: "yes", false: "no"}[b]
	}
	switch w := want.(type) {
	case nil, string:
		s, _ := w.(string)
		if w == nil {
			s = "yes"
		}
		switch s {
		case "yes":
			if matching == 0 {
				return fmt.Errorf("got 0 violations%s but want at least 1: got messages %v", about, msgs)
			}
		case "no":
			if matching > 0 {
				return fmt.Errorf("got %d violations%s but want none: got messages %v", matching, about, msgs)
			}
		default:
			return fmt.Errorf(`assertion.violation, if set, must be a nonnegative integer, "yes", or "no"`)
		}
	case int64, int, float64:
		n := int(toInt64(w))
		if n < 0 {
			return fmt.Errorf(`assertion.violation, if set, must be a nonnegative integer, "yes", or "no"`)
		}
		if matching != n {
			return fmt.Errorf("got %d violations%s but want exactly %d: got messages %v", matching, about, n, msgs)
		}
	default:
		return fmt.Errorf(`assertion.violation, if set, must be a nonnegative integer, "yes", or "no"`)
	}
	return nil
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}
