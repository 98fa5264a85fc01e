package pss

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/pod-security-admission/api"
)

// psaTestdata finds k8s.io/pod-security-admission's generated fixtures
// (test/testdata/<level>/v1.<minor>/{pass,fail}/*.yaml) in the module cache.
func psaTestdata(t *testing.T) string {
	t.Helper()
	version := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "k8s.io/pod-security-admission" {
				version = d.Version
			}
		}
	}
	if version == "" {
		version = "v0.37.2"
	}
	var roots []string
	if c := os.Getenv("GOMODCACHE"); c != "" {
		roots = append(roots, c)
	}
	if p := os.Getenv("GOPATH"); p != "" {
		roots = append(roots, filepath.Join(p, "pkg", "mod"))
	}
	if h, err := os.UserHomeDir(); err == nil {
		roots = append(roots, filepath.Join(h, "go", "pkg", "mod"))
	}
	for _, r := range roots {
		dir := filepath.Join(r, "k8s.io", "pod-security-admission@"+version, "test", "testdata")
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
	}
	t.Skip("pod-security-admission test fixtures not in the module cache")
	return ""
}

func readPod(t *testing.T, path string) *corev1.Pod {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pod corev1.Pod
	if err := utilyaml.NewYAMLOrJSONDecoder(f, 4096).Decode(&pod); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &pod
}

// TestUpstreamFixtures pins agreement with the PodSecurity admission
// plugin's own fixtures: every pass/ pod is allowed and every fail/ pod is
// rejected at its level and version.
func TestUpstreamFixtures(t *testing.T) {
	dir := psaTestdata(t)
	ev, err := NewEvaluator("latest")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "v1.*", "*", "*.yaml"))
	sort.Strings(files)
	if len(files) < 100 {
		t.Fatalf("found only %d fixtures under %s", len(files), dir)
	}
	for _, file := range files {
		rel, _ := filepath.Rel(dir, file)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		level, version, outcome := parts[0], parts[1], parts[2]
		t.Run(rel, func(t *testing.T) {
			v, err := api.ParseVersion(version)
			if err != nil {
				t.Fatal(err)
			}
			pod := readPod(t, file)
			got := ev.Evaluate(api.LevelVersion{Level: api.Level(level), Version: v}, &pod.ObjectMeta, &pod.Spec)
			if outcome == "pass" && len(got) != 0 {
				t.Errorf("want allowed, got %v", got)
			}
			if outcome == "fail" && len(got) == 0 {
				t.Errorf("want rejected, got allowed")
			}
		})
	}
}

func TestPolicyFor(t *testing.T) {
	ev, _ := NewEvaluator("v1.30")
	tests := []struct {
		name     string
		labels   map[string]string
		mode     Mode
		want     string
		labelled bool
	}{
		{name: "no labels means privileged at the default version", labels: nil, mode: Enforce, want: "privileged:v1.30"},
		{name: "enforce label without version uses the default version", labels: map[string]string{api.EnforceLevelLabel: "baseline"}, mode: Enforce, want: "baseline:v1.30", labelled: true},
		{name: "version label pins the version", labels: map[string]string{api.EnforceLevelLabel: "restricted", api.EnforceVersionLabel: "v1.25"}, mode: Enforce, want: "restricted:v1.25", labelled: true},
		{name: "warn defaults to the enforce level when unset (upstream PolicyToEvaluate)", labels: map[string]string{api.EnforceLevelLabel: "baseline"}, mode: Warn, want: "baseline:v1.30", labelled: true},
		{name: "an invalid level falls back to restricted", labels: map[string]string{api.EnforceLevelLabel: "strict"}, mode: Enforce, want: "restricted:v1.30", labelled: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ev.PolicyFor(tc.labels)
			if got := p.For(tc.mode).String(); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if p.Labelled != tc.labelled {
				t.Errorf("labelled = %v, want %v", p.Labelled, tc.labelled)
			}
		})
	}
}

func TestSysctlAllowed(t *testing.T) {
	ev, _ := NewEvaluator("")
	tests := []struct {
		name   string
		sysctl string
		minor  int
		want   bool
	}{
		{name: "kernel.shm_rmid_forced is safe since v1.0", sysctl: "kernel.shm_rmid_forced", minor: 20, want: true},
		{name: "tcp_keepalive_time became safe in v1.29", sysctl: "net.ipv4.tcp_keepalive_time", minor: 28, want: false},
		{name: "tcp_keepalive_time is safe at v1.29", sysctl: "net.ipv4.tcp_keepalive_time", minor: 29, want: true},
		{name: "kernel.msgmax is never safe", sysctl: "kernel.msgmax", minor: 37, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ev.SysctlAllowed(tc.sysctl, tc.minor); got != tc.want {
				t.Errorf("SysctlAllowed(%q, %d) = %v, want %v", tc.sysctl, tc.minor, got, tc.want)
			}
		})
	}
	_ = metav1.ObjectMeta{}
}
