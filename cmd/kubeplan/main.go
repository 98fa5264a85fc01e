// Command kubeplan shows what a Kubernetes cluster would do with a set of
// manifests before they are applied: lint findings, who can do what (RBAC),
// where pods would be scheduled, and what policies say — offline, from files.
package main

import (
	"context"
	"os"
	"os/signal"
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
