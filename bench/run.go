package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"time"
)

// Names are the benchmarks, in the order "all" runs them.
var Names = []string{"throughput", "pacing", "report", "kvtest"}

// Options are the settings of every benchmark of a `kvquota bench`.
type Options struct {
	Throughput ThroughputOptions
	Pacing     PacingOptions
	Report     JudgeOptions
	Kvtest     KvtestOptions
	// CPUProfile, when set, is where this process's CPU profile goes (the
	// emulator and the attack; the report benchmark's child has its own).
	CPUProfile string
	// Log is told when each benchmark starts and how long it took.
	Log io.Writer
}

// Run runs the named benchmarks (all of them for none or "all") in order,
// and returns every figure measured, also those of a benchmark that failed.
func Run(ctx context.Context, names []string, o Options) ([]Figure, error) {
	if len(names) == 0 || slices.Contains(names, "all") {
		names = Names
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	run := map[string]func(context.Context) ([]Figure, error){
		"throughput": func(ctx context.Context) ([]Figure, error) { return Throughput(ctx, o.Throughput) },
		"pacing":     func(ctx context.Context) ([]Figure, error) { return Pacing(ctx, o.Pacing) },
		"report":     func(ctx context.Context) ([]Figure, error) { return Judge(ctx, o.Report) },
		"kvtest":     func(ctx context.Context) ([]Figure, error) { return Kvtest(ctx, o.Kvtest) },
	}
	var figs []Figure
	for _, n := range names {
		fn, ok := run[n]
		if !ok {
			return figs, fmt.Errorf("unknown benchmark %q (known: %v)", n, Names)
		}
		fmt.Fprintf(o.Log, "bench %s...\n", n)
		began := time.Now()
		f, err := fn(ctx)
		figs = append(figs, f...)
		if err != nil {
			return figs, fmt.Errorf("bench %s: %w", n, err)
		}
		fmt.Fprintf(o.Log, "bench %s took %s\n", n, time.Since(began).Round(time.Second))
	}
	return figs, nil
}

// Passed reports whether every figure met its target.
func Passed(figs []Figure) bool {
	for _, f := range figs {
		if !f.Pass {
			return false
		}
	}
	return true
}
