package main

import (
	"os"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/bench"
)

func newBenchCmd() *cobra.Command {
	var o bench.Options
	cmd := &cobra.Command{
		Use:   "bench [throughput|pacing|report|kvtest|all]...",
		Short: "Measure the emulator, the attack's pacing and the report against their targets",
		Long: `Measure, on this machine and in one run, each figure kvquota sets a target for:

  throughput  the emulator's authenticated, quota-accounted secret GETs per second over
              a bare net/http handler's, both under vegeta at its maximum rate (>= 0.6)
  pacing      the rate kvquota's attack really sends at 200, 2000 and 10000/s, second by
              second (every whole second within 1%)
  report      kvquota report over a stored run of 1,000,000 results (< 3 s, < 300 MB)
  kvtest      one Go test's use of package kvtest, per window model: start a vault, fill
              a window through the Azure SDK, step past it, keys and a certificate (< 2 s)

All traffic stays on 127.0.0.1. Run it on a quiet machine: the figures are what this
machine did. Exits 1 when a figure misses its target.`,
		Example: `  kvquota bench
  kvquota bench pacing --rates 200,2000,10000 --duration 10s
  kvquota bench report --results 1000000`,
		ValidArgs: append(slices.Clone(bench.Names), "all"),
		Args:      cobra.OnlyValidArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := interruptible(cmd)
			defer stop()
			self, err := os.Executable()
			if err != nil {
				return err
			}
			o.Report.Command = []string{self, "report"}
			o.Log = cmd.ErrOrStderr()
			figs, err := bench.Run(ctx, args, o)
			bench.WriteTable(cmd.OutOrStdout(), figs)
			if err != nil {
				return err
			}
			return gate(bench.Passed(figs))
		},
	}
	f := cmd.Flags()
	f.DurationVar(&o.Throughput.Duration, "duration", 5*time.Second, "length of each measured attack (throughput: per round and target; pacing: per rate)")
	f.IntVar(&o.Throughput.Rounds, "rounds", 3, "rounds of the throughput benchmark, each target measured once a round")
	f.Uint64Var(&o.Throughput.Workers, "workers", 64, "requests in flight at once in the throughput benchmark")
	f.Float64SliceVar(&o.Pacing.Rates, "rates", []float64{200, 2000, 10000}, "constant rates the pacing benchmark tries, requests/s")
	f.IntVar(&o.Report.Results, "results", 1_000_000, "results in the stored run the report benchmark judges")
	f.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of this process (emulator, attack; the report child has its own) to `FILE`")
	cmd.PreRun = func(*cobra.Command, []string) { o.Pacing.Duration = o.Throughput.Duration }
	return cmd
}
