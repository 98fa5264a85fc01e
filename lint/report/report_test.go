package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kubeplan/kubeplan/lint/finding"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenExt is the golden file extension of each format.
var goldenExt = map[string]string{"github": "github", "json": "json", "sarif": "sarif", "text": "txt"}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		for _, format := range Formats() {
			name := tc.name + "." + goldenExt[format]
			t.Run(name, func(t *testing.T) {
				got := render(t, format, tc.opts, tc.result())
				path := filepath.Join("testdata", name)
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./lint/report -update to create it)", err)
				}
				if d := lineDiff(string(want), string(got)); d != "" {
					t.Errorf("%s differs from the golden file (-want +got; go test ./lint/report -update rewrites it):\n%s", path, d)
				}
				if format == "sarif" {
					validateSARIF(t, want)
				}
			})
		}
	}
}

func TestGoldenSARIFPassesLibraryValidation(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := sarifReporter{opts: tc.opts.withDefaults()}
			if err := r.build(tc.result()).Validate(); err != nil {
				t.Errorf("go-sarif Validate: %v", err)
			}
		})
	}
}

func TestEveryFormatIsDeterministic(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			opts := goldenCases()[0].opts
			first := render(t, format, opts, basicResult())
			for range 5 {
				if again := render(t, format, opts, basicResult()); !bytes.Equal(first, again) {
					t.Fatalf("two runs differ:\n%s", lineDiff(string(first), string(again)))
				}
			}
		})
	}
}

func TestEveryFormatDoesNotModifyTheResult(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			res := basicResult()
			res.Findings[0].Fingerprint = ""
			want := render(t, "json", Options{}, res)
			render(t, format, goldenCases()[0].opts, res)
			if res.Findings[0].Fingerprint != "" {
				t.Errorf("reporter filled the fingerprint of the caller's finding")
			}
			if got := render(t, "json", Options{}, res); !bytes.Equal(want, got) {
				t.Errorf("result changed:\n%s", lineDiff(string(want), string(got)))
			}
		})
	}
}

func TestEveryFormatReportsNilResultAsEmpty(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			got := render(t, format, Options{}, nil)
			want := render(t, format, Options{}, &finding.Result{})
			if !bytes.Equal(got, want) {
				t.Errorf("nil result:\n%s", lineDiff(string(want), string(got)))
			}
		})
	}
}

func TestFormatsAreSortedNames(t *testing.T) {
	want := []string{"github", "json", "sarif", "text"}
	if got := Formats(); !slices.Equal(got, want) {
		t.Errorf("Formats() = %q, want %q", got, want)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		wantErr string
	}{
		{name: "known format is accepted", format: "sarif"},
		{name: "format name is case-insensitive and trimmed", format: " JSON "},
		{name: "unknown format is refused with the list of formats", format: "xml", wantErr: `unknown report format "xml" (available: github, json, sarif, text)`},
		{name: "empty format is refused", format: "", wantErr: `unknown report format ""`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := New(tc.format, Options{})
			if tc.wantErr == "" {
				if err != nil || r == nil {
					t.Fatalf("New(%q) = %v, %v; want a reporter", tc.format, r, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("New(%q) error = %v, want it to contain %q", tc.format, err, tc.wantErr)
			}
		})
	}
}

func TestSummaryString(t *testing.T) {
	tests := []struct {
		name string
		in   summary
		want string
	}{
		{name: "no findings", in: summary{}, want: "no findings"},
		{name: "only suppressed findings", in: summary{suppressed: 2}, want: "no findings (2 suppressed)"},
		{name: "singular counts", in: summary{errors: 1, warnings: 1, notes: 1, files: 1}, want: "1 error, 1 warning, 1 note in 1 file"},
		{name: "plural and zero counts", in: summary{errors: 3, notes: 0, warnings: 2, files: 4, suppressed: 1}, want: "3 errors, 2 warnings, 0 notes in 4 files (1 suppressed)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}
