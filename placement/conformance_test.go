package placement

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// expectedPod is one line of cases/expected.jsonl: the real v1.37
// scheduler's outcome for one pod.
type expectedPod struct {
	Case          string   `json:"case"`
	Pod           string   `json:"pod"`
	Node          string   `json:"node"`
	FeasibleNodes []string `json:"feasibleNodes"`
	Message       string   `json:"message"`
	Status        string   `json:"status"`
}

// TestConformance simulates every scenario of
// ../shared/conformance/placement and compares each pod's status,
// feasible nodes and message with upstream's, in input order up to the
// first pod whose node differs (after that both sides simulate different
// clusters).
func TestConformance(t *testing.T) {
	dir := filepath.Join(sharedDir(t, "conformance"), "placement", "cases")
	f, err := os.Open(filepath.Join(dir, "expected.jsonl"))
	if err != nil {
		t.Skipf("no expected.jsonl: %v", err)
	}
	defer f.Close()
	byCase := map[string][]expectedPod{}
	var cases []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e expectedPod
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if _, ok := byCase[e.Case]; !ok {
			cases = append(cases, e.Case)
		}
		byCase[e.Case] = append(byCase[e.Case], e)
	}
	agree, total := 0, 0
	for _, name := range cases {
		want := byCase[name]
		total += len(want)
		t.Run(name, func(t *testing.T) {
			res := Simulate(context.Background(), loadModel(t, filepath.Join(dir, name+".yaml")), Options{})
			for _, w := range want {
				got := res.ByPod(w.Pod)
				if got == nil {
					t.Errorf("%s: pod missing", w.Pod)
					return
				}
				ok := got.Status == w.Status && got.Message == w.Message && slices.Equal(got.FeasibleNodes, w.FeasibleNodes)
				if !ok {
					t.Errorf("%s:\n got  %s %v %q\n want %s %v %q", w.Pod, got.Status, got.FeasibleNodes, got.Message, w.Status, w.FeasibleNodes, w.Message)
				} else {
					agree++
				}
				if got.Node != w.Node {
					t.Logf("%s: node %q, upstream %q: later pods not compared", w.Pod, got.Node, w.Node)
					return
				}
			}
			if len(res.Pods) != len(want) {
				var names []string
				for _, p := range res.Pods {
					names = append(names, p.Pod)
				}
				t.Errorf("simulated %d pods, upstream %d: %s", len(res.Pods), len(want), strings.Join(names, " "))
			}
		})
	}
	t.Logf("conformance: %d/%d pods agree", agree, total)
}
