package testutil

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// PeakHeap runs op once, starting from a collected heap, and returns the
// largest growth of the heap's object bytes (live objects and garbage not
// yet swept) over the start, sampled every millisecond. Benchmarks report
// it as a multiple of their input size: measured on one operation rather
// than across b.Loop, it does not count the previous iterations' garbage.
func PeakHeap(op func()) uint64 {
	runtime.GC()
	base := heapObjectBytes()
	var peak uint64
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				if h := heapObjectBytes(); h > base && h-base > peak {
					peak = h - base
				}
			}
		}
	}()
	op()
	if h := heapObjectBytes(); h > base && h-base > peak {
		peak = h - base
	}
	close(quit)
	<-done
	return peak
}

func heapObjectBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
