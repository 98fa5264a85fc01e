//go:build unix

package manifest

import "syscall"

// cpuTime is the CPU time (user and system) the process has used, in
// nanoseconds: on a shared machine it measures a benchmark's own work,
// where wall time also measures the neighbours'.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
