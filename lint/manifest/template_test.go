package manifest

import "testing"

func TestTemplateLine(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantLine int
		wantCol  int
	}{
		{name: "action starting a value", text: "metadata:\n  name: {{ .Release.Name }}\n", wantLine: 2, wantCol: 9},
		{name: "action on its own line", text: "spec:\n  {{- if .Values.enabled }}\n", wantLine: 2, wantCol: 3},
		{name: "action after a sequence dash", text: "args:\n- {{ .Values.arg }}\n", wantLine: 2, wantCol: 3},
		{name: "Helm-only action inside a quoted string", text: "image: \"repo/app:{{ .Values.tag }}\"\n", wantLine: 1, wantCol: 18},
		{name: "Helm include in a plain string", text: "x: a-{{ include \"n\" . }}\n", wantLine: 1, wantCol: 6},
		{name: "Prometheus template in a quoted string is text", text: "summary: \"{{ $labels.pod }} down\"\n"},
		{name: "Prometheus template in a plain string is text", text: "description: Pod {{ $labels.pod }} is down\n"},
		{name: "Alertmanager template in a block scalar is text", text: "tmpl: |\n  {{ define \"x\" }}{{ .CommonLabels }}{{ end }}\n  {{ template \"x\" . }}\nnext: 1\n"},
		{name: "a block scalar ends where indentation returns", text: "a: >-\n  {{ ok }}\nb: {{ .Values.x }}\n", wantLine: 3, wantCol: 4},
		{name: "comment lines are ignored", text: "# name: {{ .Values.name }}\nkind: x\n"},
		{name: "quoted key holding a colon", text: "\"a: b\": {{ x }}\n", wantLine: 1, wantCol: 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line, col := templateLine([]byte(tc.text))
			if line != tc.wantLine || col != tc.wantCol {
				t.Errorf("templateLine = %d:%d, want %d:%d", line, col, tc.wantLine, tc.wantCol)
			}
		})
	}
}

func TestHasHelmMarker(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{text: "{{ .Values.image }}", want: true},
		{text: "{{- .Release.Namespace -}}", want: true},
		{text: "{{ include \"chart.labels\" . }}", want: true},
		{text: "{{ toYaml .Values.resources | nindent 12 }}", want: true},
		{text: "{{ $labels.instance }}", want: false},
		{text: "{{ .CommonLabels.alertname }}", want: false},
		{text: "{{ template \"slack.title\" . }}", want: false},
		{text: "no braces at all", want: false},
		{text: "{{", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if got := hasHelmMarker(tc.text); got != tc.want {
				t.Errorf("hasHelmMarker(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}
