package manifest

import (
	"bytes"
	"strings"
)

// templateMessage is the error for a file that is a Helm chart template
// rather than a manifest.
const templateMessage = "looks like a Helm or Go template, not a manifest: render it first (helm template ..., or lint the rendered output)"

// helmMarkers are template actions that only Helm charts use. Prometheus
// and Alertmanager templates ({{ $labels.pod }}, {{ .CommonLabels.x }},
// {{ template "x" . }}) are common, valid string values in manifests and
// must not be mistaken for charts, so generic Go template words are not
// markers.
var helmMarkers = []string{".Values", ".Release.", ".Chart.", ".Capabilities.", ".Files.", "$.Values", "include ", "toYaml ", "tpl ", "required "}

// hasHelmMarker reports whether s holds a Helm-only template action such as
// {{ .Values.image }} or {{- include "x" . }}.
func hasHelmMarker(s string) bool {
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			return false
		}
		s = s[i+2:]
		t := strings.TrimLeft(strings.TrimPrefix(s, "-"), " \t")
		for _, m := range helmMarkers {
			if strings.HasPrefix(t, m) {
				return true
			}
		}
	}
}

// templateLine finds, in a file that failed to parse, the first line that
// uses template syntax where YAML has a value: a line or value starting
// with "{{", or a Helm-only action anywhere outside a block scalar. It
// returns 0 when there is none: "{{" inside a quoted or plain string, as in
// Prometheus alert templates, is YAML text, not a template.
func templateLine(data []byte) (line, col int) {
	blockIndent := -1 // > -1 while inside a block scalar's content
	for n, off := 1, 0; off < len(data); n++ {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		l := string(bytes.TrimRight(data[off:next], "\r\n"))
		off = next
		body := strings.TrimLeft(l, " ")
		indent := len(l) - len(body)
		if blockIndent >= 0 {
			if body == "" || indent > blockIndent {
				continue
			}
			blockIndent = -1
		}
		if body == "" || body[0] == '#' {
			continue
		}
		// Strip sequence dashes: "- - {{ x }}".
		keyCol := indent
		for strings.HasPrefix(body, "- ") || body == "-" {
			body = strings.TrimLeft(body[1:], " ")
			keyCol = len(l) - len(body)
		}
		if strings.HasPrefix(body, "{{") {
			return n, len(l) - len(body) + 1
		}
		value := mappingValue(body)
		if strings.HasPrefix(value, "{{") {
			return n, len(l) - len(value) + 1
		}
		if hasHelmMarker(body) {
			return n, len(l) - len(body) + strings.Index(body, "{{") + 1
		}
		if isBlockIndicator(value) {
			blockIndent = keyCol
		}
	}
	return 0, 0
}

// isBlockIndicator reports whether a value opens a literal or folded block
// scalar ("|", ">-", "|2+", optionally followed by a comment).
func isBlockIndicator(v string) bool {
	if v == "" || (v[0] != '|' && v[0] != '>') {
		return false
	}
	rest := strings.TrimLeft(v[1:], "+-0123456789")
	rest = strings.TrimLeft(rest, " ")
	return rest == "" || rest[0] == '#'
}

// mappingValue returns the value part of a "key: value" line (the whole
// line when it has no key), skipping a quoted key.
func mappingValue(body string) string {
	from := 0
	if body != "" && (body[0] == '"' || body[0] == '\'') {
		end := strings.IndexByte(body[1:], body[0])
		if end < 0 {
			return body
		}
		from = end + 2
	}
	k := strings.Index(body[from:], ": ")
	if k < 0 || strings.ContainsAny(body[from:from+k], "\"'{[") {
		return body
	}
	return strings.TrimLeft(body[from+k+2:], " ")
}
