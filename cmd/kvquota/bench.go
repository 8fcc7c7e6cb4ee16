package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/bench"
)

// benchNames are the benchmarks, in the order `all` runs them.
var benchNames = []string{"throughput", "pacing", "report"}

func newBenchCmd() *cobra.Command {
	var (
		tput       bench.ThroughputOptions
		pace       bench.PacingOptions
		judge      bench.JudgeOptions
		cpuProfile string
	)
	cmd := &cobra.Command{
		Use:   "bench [throughput|pacing|report|all]...",
		Short: "Measure the emulator, the attack's pacing and the report against their targets",
		Long: `Measure, on this machine and in one run, each figure issue 6 sets a target for:

  throughput  the emulator's authenticated, quota-accounted secret GETs per second over
              a bare net/http handler's, both under vegeta at its maximum rate (>= 0.6)
  pacing      the rate kvquota's attack really sends at 200, 2000 and 10000/s, second by
              second (every whole second within 1%)
  report      kvquota report over a stored run of 1,000,000 results (< 3 s, < 300 MB)

All traffic stays on 127.0.0.1. Run it on a quiet machine: the figures are what this
machine did. Exits 1 when a figure misses its target.`,
		Example: `  kvquota bench
  kvquota bench pacing --rates 200,2000,10000 --duration 10s
  kvquota bench report --results 1000000`,
		ValidArgs: append(slices.Clone(benchNames), "all"),
		Args:      cobra.OnlyValidArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			self, err := os.Executable()
			if err != nil {
				return err
			}
			judge.Command = []string{self, "report"}
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return withCode(exitUsage, err)
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return withCode(exitUsage, err)
				}
				defer pprof.StopCPUProfile()
			}
			run := map[string]func(context.Context) ([]bench.Figure, error){
				"throughput": func(ctx context.Context) ([]bench.Figure, error) { return bench.Throughput(ctx, tput) },
				"pacing":     func(ctx context.Context) ([]bench.Figure, error) { return bench.Pacing(ctx, pace) },
				"report":     func(ctx context.Context) ([]bench.Figure, error) { return bench.Judge(ctx, judge) },
			}
			names := args
			if len(names) == 0 || slices.Contains(names, "all") {
				names = benchNames
			}
			var figs []bench.Figure
			for _, n := range names {
				fmt.Fprintf(cmd.ErrOrStderr(), "bench %s...\n", n)
				began := time.Now()
				f, err := run[n](ctx)
				figs = append(figs, f...)
				if err != nil {
					bench.WriteTable(cmd.OutOrStdout(), figs)
					return withCode(exitUsage, fmt.Errorf("bench %s: %w", n, err))
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "bench %s took %s\n", n, time.Since(began).Round(time.Second))
			}
			bench.WriteTable(cmd.OutOrStdout(), figs)
			for _, f := range figs {
				if !f.Pass {
					return withCode(exitFail, errGateFailed)
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.DurationVar(&tput.Duration, "duration", 5*time.Second, "length of each measured attack (throughput: per round and target; pacing: per rate)")
	f.IntVar(&tput.Rounds, "rounds", 3, "rounds of the throughput benchmark, each target measured once a round")
	f.Uint64Var(&tput.Workers, "workers", 64, "requests in flight at once in the throughput benchmark")
	f.Float64SliceVar(&pace.Rates, "rates", []float64{200, 2000, 10000}, "constant rates the pacing benchmark tries, requests/s")
	f.IntVar(&judge.Results, "results", 1_000_000, "results in the stored run the report benchmark judges")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of this process (emulator, attack; the report child has its own) to `FILE`")
	cmd.PreRun = func(*cobra.Command, []string) { pace.Duration = tput.Duration }
	return cmd
}
