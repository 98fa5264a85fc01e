package lint

// IDs of the core rules every run has.
const (
	RuleLoadError          = "load-error"
	RuleInvalidObject      = "invalid-object"
	RuleDuplicateObject    = "duplicate-object"
	RuleYAMLAmbiguousValue = "yaml-ambiguous-value"
)
