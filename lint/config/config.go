// Package config reads kubeplan's configuration file, .kubeplan.yaml: which
// rules run and at what severity, which findings are suppressed, the default
// namespace, and the settings of the other stages (nodes, policies). Unknown
// keys are errors that name their line, so a typo never silently disables a
// setting.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/kubeplan/kubeplan/lint/finding"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// FileNames are the names Find looks for, in order.
var FileNames = []string{".kubeplan.yaml", ".kubeplan.yml"}

// Config is the content of a .kubeplan.yaml file. Every field is optional.
type Config struct {
	// Namespace is the namespace of namespaced objects without one
	// (default "default"); the --namespace flag overrides it.
	Namespace string `yaml:"namespace"`
	// FailOn is the lowest severity that makes lint exit 1: error,
	// warning, note or none.
	FailOn string `yaml:"failOn"`
	// Rules turns rules on and off and overrides severities.
	Rules Rules `yaml:"rules"`
	// Suppressions hide findings by rule, path, namespace, kind or name.
	Suppressions []Suppression `yaml:"suppressions"`
	// Baseline is a baseline file of known findings to hide (relative to
	// the config file).
	Baseline string `yaml:"baseline"`
	// Nodes are files with Node objects or NodePool profiles for placement.
	Nodes []string `yaml:"nodes"`
	// KubeVersion is the target Kubernetes version for deprecated APIs.
	KubeVersion string `yaml:"kubeVersion"`
	// PSSVersion is the Pod Security Standards version ("latest" default).
	PSSVersion string `yaml:"pssVersion"`
	// StrictRefs reports references to objects the input does not define
	// even when the input holds no object of that kind.
	StrictRefs bool `yaml:"strictRefs"`
	// RBAC configures the RBAC stage.
	RBAC RBAC `yaml:"rbac"`
	// Policies configures Rego policies: user policy paths and the
	// parameters of the bundled library.
	Policies Policies `yaml:"policies"`

	// Dir is the directory of the config file; relative paths in it are
	// relative to Dir. Empty when the config did not come from a file.
	Dir string `yaml:"-"`
	// Path is the config file's path, for messages.
	Path string `yaml:"-"`
}

// Rules selects rules and their severity.
type Rules struct {
	// Enable turns on rules that are off by default; "all" turns on all.
	Enable []string `yaml:"enable"`
	// Disable turns rules off; "all" turns every rule off, so Enable can
	// pick a few.
	Disable []string `yaml:"disable"`
	// Severity overrides a rule's severity: rule id -> error|warning|note.
	Severity map[string]string `yaml:"severity"`
}

// Suppression hides the findings it matches. Every field given must match;
// lists match when any entry matches. Rule "*" or empty matches every rule.
type Suppression struct {
	Rule       string   `yaml:"rule"`
	Rules      []string `yaml:"rules"`
	Paths      []string `yaml:"paths"`
	Namespaces []string `yaml:"namespaces"`
	Kinds      []string `yaml:"kinds"`
	Names      []string `yaml:"names"`
	// Reason is shown as the suppression's justification.
	Reason string `yaml:"reason"`
}

// RBAC configures the RBAC stage.
type RBAC struct {
	// NoDefaultPolicy leaves out the bootstrap roles of a real cluster.
	NoDefaultPolicy bool `yaml:"noDefaultPolicy"`
}

// Policies configures the policy stage.
type Policies struct {
	// Paths are directories or files of conftest-style Rego policies.
	Paths []string `yaml:"paths"`
	// Data are data files for the policies.
	Data []string `yaml:"data"`
	// Namespaces are the Rego packages to evaluate (default "main").
	Namespaces []string `yaml:"namespaces"`
	// Gatekeeper are paths of ConstraintTemplates and Constraints.
	Gatekeeper []string `yaml:"gatekeeper"`
	// Library enables and parameterises bundled policies: policy id ->
	// parameters (an empty map enables a policy with its defaults).
	Library map[string]map[string]any `yaml:"library"`
}

// Find looks for a config file in dir and its parents and returns its
// path, or "" when there is none.
func Find(dir string) string {
	dir, _ = filepath.Abs(dir)
	for {
		for _, n := range FileNames {
			p := filepath.Join(dir, n)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Load reads and validates the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	c, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	c.Path = path
	c.Dir = filepath.Dir(path)
	return c, nil
}

var lineRE = regexp.MustCompile(`^(?:yaml: (?:unmarshal errors:\n\s*)?)?line (\d+): (.*)$`)

// Parse reads a config from data; path is used in error messages. Unknown
// keys and wrong types are errors of the form "path:line: message".
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{}
	if len(bytes.TrimSpace(data)) == 0 {
		return c, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, configError(path, err)
	}
	if err := c.validate(path, data); err != nil {
		return nil, err
	}
	return c, nil
}

func configError(path string, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = strings.TrimSpace(msg)
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		detail := strings.Replace(m[2], "in type config.", "in ", 1)
		if strings.HasPrefix(detail, "field ") && strings.Contains(detail, " not found") {
			detail = fmt.Sprintf("unknown key %q", strings.TrimPrefix(strings.SplitN(detail, " not found", 2)[0], "field "))
		}
		return fmt.Errorf("%s:%d: %s", path, n, detail)
	}
	return fmt.Errorf("%s: %s", path, msg)
}

func (c *Config) validate(path string, data []byte) error {
	lineOf := func(needle string) int {
		for i, l := range strings.Split(string(data), "\n") {
			if strings.Contains(l, needle) {
				return i + 1
			}
		}
		return 1
	}
	if c.FailOn != "" {
		if _, err := finding.ParseSeverity(c.FailOn); err != nil {
			return fmt.Errorf("%s:%d: failOn: %v", path, lineOf("failOn"), err)
		}
	}
	for id, s := range c.Rules.Severity {
		sev, err := finding.ParseSeverity(s)
		if err != nil || sev == finding.SeverityNone {
			return fmt.Errorf("%s:%d: rules.severity.%s: want error, warning or note, got %q", path, lineOf(id+":"), id, s)
		}
	}
	for i, s := range c.Suppressions {
		if s.Rule == "" && len(s.Rules) == 0 && len(s.Paths) == 0 && len(s.Namespaces) == 0 && len(s.Kinds) == 0 && len(s.Names) == 0 {
			return fmt.Errorf("%s:%d: suppressions[%d]: give at least one of rule, rules, paths, namespaces, kinds, names (use rules.disable to turn a rule off)", path, lineOf("suppressions"), i)
		}
		for _, g := range s.Paths {
			if _, err := CompileGlob(g); err != nil {
				return fmt.Errorf("%s:%d: suppressions[%d].paths: %v", path, lineOf(g), i, err)
			}
		}
	}
	return nil
}

// Resolve makes a path from the config relative to the config's directory.
func (c *Config) Resolve(p string) string {
	if c == nil || c.Dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}
