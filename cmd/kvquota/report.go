package main

import (
	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/runner"
)

func newReportCmd() *cobra.Command {
	var (
		o   runner.JudgeOptions
		out string
	)
	cmd := &cobra.Command{
		Use:   "report RUNDIR [RUNDIR...]",
		Short: "Re-check a stored run, or judge the shards of one run together, without attacking again",
		Long: `Re-run the checks on a stored run directory, optionally against another limits
profile or tolerance, and rewrite its report.json, junit.xml and plots. A run that
was cut short is judged on what it received.

Given the directories of every shard of one run (kvquota run --shard i/N), it
judges them as one run: their results merged by send time, against the whole
run's schedule; the report names each shard, its host and its clock offset.
The report files go into the first directory given, or --out.

Exit codes: 0 all checks passed, 1 a check failed, 2 usage error or not a run
directory, 4 inconclusive (no check failed, but one could not tell; its
detail says why).`,
		Example: `  kvquota report kvquota-runs/secrets-onset-20261122-101500
  kvquota report RUNDIR --profile 2018 --tolerance 2%
  kvquota report runs/shard-1 runs/shard-2 runs/shard-3 runs/shard-4 --out runs/merged`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, dir, err := runner.JudgeDirs(args, out, o)
			if err != nil {
				return withCode(exitUsage, err)
			}
			printOutcome(cmd, dir, rep)
			return verdictGate(rep.Outcome)
		},
	}
	cmd.Flags().StringVar(&o.Profile, "profile", "", "limits profile to judge against (default: the run's)")
	cmd.Flags().Var((*toleranceFlag)(&o.Tolerance), "tolerance", "replace every check's tolerance, e.g. 2% or 0.02")
	cmd.Flags().BoolVar(&o.NoPlots, "no-plots", false, "do not redraw the plots")
	cmd.Flags().StringVar(&out, "out", "", "write the report files into this directory (default: the first run directory given)")
	return cmd
}
