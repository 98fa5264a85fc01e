// Command kubeplan shows what a Kubernetes cluster would do with a set of
// manifests before they are applied: lint findings, who can do what (RBAC),
// where pods would be scheduled, and what policies say — offline, from files.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
)

// Set by the release build with -ldflags "-X main.version=... -X
// main.commit=... -X main.date=..."; `go install` builds fall back to the
// module version from the binary's build info.
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tuneGC trades memory for time unless the user set GOGC or GOMEMLIMIT: a
// run builds its whole model and then exits, so collecting every time the
// heap doubles from nothing is mostly wasted work (the corpus lints about
// 9% faster). The collector lets the heap grow to five times the live data
// but collects more often as the heap nears 2 GiB, so large inputs do not
// hold five times what they need.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(2 << 30)
}
