package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress shows the current stage on stderr, only when stderr is a
// terminal and the run has taken over a second, and erases it when done.
type progress struct {
	w       io.Writer
	start   time.Time
	mu      sync.Mutex
	stage   string
	shown   bool
	stop    chan struct{}
	stopped sync.WaitGroup
}

// newProgress starts a progress line on w; a nil w gives a progress that
// prints nothing.
func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now(), stop: make(chan struct{})}
	if w == nil {
		return p
	}
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				if time.Since(p.start) > time.Second {
					p.draw()
				}
			}
		}
	}()
	return p
}

// set records the stage the run is in.
func (p *progress) set(stage string) {
	p.mu.Lock()
	p.stage = stage
	p.mu.Unlock()
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stage == "" {
		return
	}
	fmt.Fprintf(p.w, "\r\033[Kkubeplan: %s (%.0fs)", p.stage, time.Since(p.start).Seconds())
	p.shown = true
}

// done stops the progress line and erases it.
func (p *progress) done() {
	if p.w == nil {
		return
	}
	close(p.stop)
	p.stopped.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
