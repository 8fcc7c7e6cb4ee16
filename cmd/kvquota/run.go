package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/runner"
)

func newRunCmd() *cobra.Command {
	var (
		r     = plan.Request{Command: plan.Run}
		quiet bool
	)
	cmd := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "Run a scenario (a file or a built-in name) and check the verdicts",
		Long: `Run a scenario file, or a built-in scenario by name (see 'kvquota scenarios').
With no --target, the embedded emulated vault is started on a loopback port over
HTTPS for the run. The run directory receives every result as it arrives
(results.bin, readable by 'vegeta report'), run.json, report.json, junit.xml and
plots/.

Exit codes: 0 all checks passed, 1 a check failed, 2 usage or scenario error,
3 the target could not be reached, 4 inconclusive (no check failed, but one
could not tell the documented limit from one off by its tolerance; its detail
says why), 130 interrupted (results kept).`,
		Example: `  kvquota run secrets-onset
  kvquota run secrets-onset --limit secrets=4800     # a wrong target: the gate fails
  kvquota run my-scenario.yaml --target https://myvault.vault.azure.net
  kvquota run --suite conformance --profile 2018 --time-scale 0.1
  kvquota run secrets-onset --shard 2/4 --target URL --out runs/shard-2   # then: kvquota report runs/shard-*`,
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				r.Scenario = args[0]
			}
			p, err := plan.Resolve(r)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd)
			defer stop()
			log := cmd.ErrOrStderr()
			if quiet {
				log = nil
			}
			if p.Command == plan.Suite {
				rs, err := runner.RunSuite(ctx, runner.SuiteConfig{Plan: p, Log: log})
				runner.WriteSuiteTable(cmd.OutOrStdout(), p.Profile.Name, rs)
				if err != nil {
					return err
				}
				return verdictGate(runner.SuiteOutcome(rs))
			}
			out, err := runner.Run(ctx, runner.Config{Plan: p, Log: log})
			if out != nil && out.Shard != nil && out.Report == nil {
				runner.WriteShardOutcome(cmd.OutOrStdout(), out)
				return err
			}
			if out != nil && out.Report != nil {
				printOutcome(cmd, out.Dir, out.Report)
			}
			if err != nil {
				return err
			}
			return verdictGate(out.Report.Outcome)
		},
	}
	f := cmd.Flags()
	targetFlags(f, &r)
	profileFlags(f, &r, "limits profile to judge against and emulate (default: the scenario's; for a suite "+defaultProfile()+")")
	emulatorFlags(f, &r)
	faultFlag(f, &r)
	latencyFlags(f, &r)
	timeScaleFlag(f, &r)
	f.StringVar(&r.Out, "out", "", "run directory (default ./kvquota-runs/<scenario>-<time>)")
	f.StringVar(&r.Lax, "lax", "", "make the embedded emulator deliberately wrong about authentication, to see a gate fail: accept-any-token or no-challenge")
	f.BoolVarP(&quiet, "quiet", "q", false, "print only the verdicts")
	f.StringVar(&r.Shard, "shard", "", "send shard i of N of the scenario's rate (e.g. 2/4), to run one scenario from several machines; judge the shards together with 'kvquota report DIR1 DIR2 ...' (docs/sharding.md)")
	f.StringVar(&r.StartAt, "start-at", "", "start the attack at this RFC 3339 time, once the setup is done (give every shard the same, a minute or so ahead)")
	f.StringVar(&r.SourceAddr, "source-addr", "", "local IP address the attack's connections leave from, e.g. 127.0.0.2 for one of several shards on one machine")
	f.StringVar(&r.Suite, "suite", "", "run every scenario of a suite instead of one scenario (conformance: every built-in; quota: the limits tables)")
	return cmd
}

func printOutcome(cmd *cobra.Command, dir string, r *results.Report) {
	w := cmd.OutOrStdout()
	fmt.Fprintln(w)
	results.WriteText(w, r)
	fmt.Fprintf(w, "run directory: %s\n", dir)
	for _, p := range r.Plots {
		fmt.Fprintf(w, "plot: %s\n", filepath.Join(dir, p))
	}
}
