package lint

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// IDs of the core rules every run has.
const (
	RuleLoadError          = "load-error"
	RuleInvalidObject      = "invalid-object"
	RuleDuplicateObject    = "duplicate-object"
	RuleYAMLAmbiguousValue = "yaml-ambiguous-value"
)

const docsBase = "https://github.com/kubeplan/kubeplan/blob/main/docs/rules.md#"

// coreRules are the rules of the loader and the model themselves.
func coreRules() []finding.Rule {
	return []finding.Rule{
		{
			ID:          RuleLoadError,
			Title:       "File could not be read or parsed",
			Description: "A source could not be read, is not valid YAML or JSON, or is not a manifest (binary, Helm template, over the size limit, alias bomb, duplicate keys, ...). Nothing in the broken document was analysed; the rest of the input was. Policies that fail to compile are reported here too.",
			Remediation: "Fix the file at the reported line, or render templates (helm template, kustomize build) before linting.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
			DocsURL:     docsBase + RuleLoadError,
			Source:      "core",
		},
		{
			ID:          RuleInvalidObject,
			Title:       "Object the API server would reject",
			Description: "Strict decoding, as the API server does it, refuses the field: it is unknown for this kind and version (often a typo or a field at the wrong indentation), or its value has the wrong type (a number where a string is expected, say). kubectl apply would fail.",
			Remediation: "Fix the field's name, indentation or type; quote values meant as strings.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
			DocsURL:     docsBase + RuleInvalidObject,
			Source:      "core",
		},
		{
			ID:          RuleDuplicateObject,
			Title:       "Same object defined twice",
			Description: "Two manifests define the same group, kind, namespace and name. Applied together, the later one silently replaces the earlier one, so one of them never takes effect.",
			Remediation: "Remove one definition, or give them different names or namespaces.",
			Severity:    finding.SeverityError,
			Categories:  []string{finding.CategoryCorrectness},
			DocsURL:     docsBase + RuleDuplicateObject,
			Source:      "core",
		},
		{
			ID:          RuleYAMLAmbiguousValue,
			Title:       "Value read differently by YAML 1.1 and YAML 1.2",
			Description: "Kubernetes reads manifests with a YAML 1.1 decoder, where unquoted yes/no/on/off/y/n are booleans, 0777 is octal (511) and 1_000 is a number. YAML 1.2 tools (and people) read them as strings or decimal numbers, so what you see is not what the cluster gets.",
			Remediation: "Quote the value if you mean a string (\"yes\", \"0777\"), or write it unambiguously (true, 511, 0o777).",
			Severity:    finding.SeverityWarning,
			Categories:  []string{finding.CategoryCorrectness},
			DocsURL:     docsBase + RuleYAMLAmbiguousValue,
			Source:      "core",
		},
	}
}

// coreAnalyzer reports invalid, duplicate and ambiguous objects. Load
// errors come from Load, not from this analyzer, but their rule is listed
// here.
type coreAnalyzer struct{}

func (coreAnalyzer) Name() string { return "core" }

func (coreAnalyzer) Rules() []finding.Rule { return coreRules() }

func (coreAnalyzer) Run(ctx context.Context, m *cluster.Model) []finding.Finding {
	var out []finding.Finding
	first := map[cluster.Key]*cluster.Object{}
	for _, o := range m.Objects() {
		for _, e := range o.DecodeErrors {
			out = append(out, o.Finding(RuleInvalidObject, finding.SeverityError, e.FieldPath,
				fmt.Sprintf("%s %s: %s", o.GVK.Kind, o.Source.APIVersion, e.Message)))
		}
		if o.Name == "" && !o.Has("metadata.generateName") {
			out = append(out, o.Finding(RuleInvalidObject, finding.SeverityError, "metadata.name",
				fmt.Sprintf("%s has no metadata.name; the API server requires a name", o.GVK.Kind)))
		}
		for _, a := range o.Source.Ambiguous {
			f := o.Finding(RuleYAMLAmbiguousValue, finding.SeverityWarning, a.FieldPath,
				fmt.Sprintf("%s is read by Kubernetes (YAML 1.1) as %s but by YAML 1.2 tools as %s; quote it or write it unambiguously", a.Value, a.AsYAML11, a.AsYAML12))
			f.Location = finding.Location{Path: o.Path(), Line: a.Line, Col: a.Col, EndLine: a.Line, EndCol: a.Col + utf8.RuneCountInString(a.Value)}
			out = append(out, f)
		}
		if o.Name == "" {
			continue
		}
		k := cluster.Key{Group: o.GVK.Group, Kind: o.GVK.Kind, Namespace: o.Namespace, Name: o.Name}
		prev, dup := first[k]
		if !dup {
			first[k] = o
			continue
		}
		f := o.Finding(RuleDuplicateObject, finding.SeverityError, "metadata.name",
			fmt.Sprintf("%s is defined again; applied together, this definition replaces the one at %s", o.Ref(), locString(prev.Locate("metadata.name"))))
		rel := prev.Locate("metadata.name")
		rel.Message = "first definition"
		f.Related = []finding.Location{rel}
		out = append(out, f)
	}
	return out
}

func locString(l finding.Location) string {
	return fmt.Sprintf("%s:%d:%d", l.Path, l.Line, l.Col)
}
