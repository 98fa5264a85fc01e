// Package finding defines what every kubeplan analyzer produces: rules with
// their metadata, findings located in the user's files, suppressions and the
// fingerprints that let a finding survive unrelated edits.
//
// The package sits at the bottom of the import graph: the loader, the cluster
// model, every analyzer and every reporter use it, and it imports none of them.
package finding

import (
	"fmt"
	"strings"
)

// Severity orders findings. The zero value is SeverityNone, which is below
// every real severity and is used by --fail-on none.
type Severity int

// Severities, lowest first. Their order is the order --fail-on compares in.
const (
	SeverityNone Severity = iota
	SeverityNote
	SeverityWarning
	SeverityError
)

// String returns the lower-case name used in config files, flags and reports.
func (s Severity) String() string {
	switch s {
	case SeverityNote:
		return "note"
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	default:
		return "none"
	}
}

// ParseSeverity reads a severity name as written in flags and config files.
// It accepts "error", "warning", "note", "none" and the aliases "warn" and
// "info", case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return SeverityError, nil
	case "warning", "warn":
		return SeverityWarning, nil
	case "note", "info":
		return SeverityNote, nil
	case "none", "off":
		return SeverityNone, nil
	}
	return SeverityNone, fmt.Errorf("unknown severity %q (want error, warning, note or none)", s)
}

// MarshalText writes the severity by name, so JSON reports carry "warning",
// not a number.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity by name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
