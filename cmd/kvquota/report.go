package main

import (
	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/runner"
)

func newReportCmd() *cobra.Command {
	var o runner.JudgeOptions
	cmd := &cobra.Command{
		Use:   "report RUNDIR",
		Short: "Re-check a stored run without attacking again",
		Long: `Re-run the checks on a stored run directory, optionally against another limits
profile or tolerance, and rewrite its report.json, junit.xml and plots. A run that
was cut short is judged on what it received.`,
		Example: `  kvquota report kvquota-runs/secrets-onset-20261122-101500
  kvquota report RUNDIR --profile 2018 --tolerance 2%`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := runner.Judge(args[0], o)
			if err != nil {
				return withCode(exitUsage, err)
			}
			printOutcome(cmd, args[0], rep)
			return verdictGate(rep.Outcome)
		},
	}
	cmd.Flags().StringVar(&o.Profile, "profile", "", "limits profile to judge against (default: the run's)")
	cmd.Flags().Var((*toleranceFlag)(&o.Tolerance), "tolerance", "replace every check's tolerance, e.g. 2% or 0.02")
	cmd.Flags().BoolVar(&o.NoPlots, "no-plots", false, "do not redraw the plots")
	return cmd
}
