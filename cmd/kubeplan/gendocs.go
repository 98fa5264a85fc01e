package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// manDate is the fixed date in generated man pages, so they are
// reproducible.
var manDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// genCLIDocs writes docs/cli/*.md and docs/man/*.1 for the whole command
// tree into dir (docs/cli and docs/man below it).
func genCLIDocs(dir string) error {
	var sink bytes.Buffer
	a := &app{stdin: &bytes.Buffer{}, stdout: io.Discard, stderr: &sink}
	root := newRootCmd(a)
	root.DisableAutoGenTag = true
	disableAutoGen(root)
	cliDir, manDir := filepath.Join(dir, "cli"), filepath.Join(dir, "man")
	for _, d := range []string{cliDir, manDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := doc.GenMarkdownTree(root, cliDir); err != nil {
		return fmt.Errorf("markdown docs: %w", err)
	}
	hdr := &doc.GenManHeader{Title: "KUBEPLAN", Section: "1", Date: &manDate, Source: "kubeplan", Manual: "kubeplan manual"}
	if err := doc.GenManTree(root, hdr, manDir); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	return nil
}

func disableAutoGen(c *cobra.Command) {
	c.DisableAutoGenTag = true
	for _, sub := range c.Commands() {
		disableAutoGen(sub)
	}
}
