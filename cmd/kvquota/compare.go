package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/runner"
)

func newCompareCmd() *cobra.Command {
	var (
		out string
		fig figureFlags
	)
	cmd := &cobra.Command{
		Use:   "compare RUNDIR RUNDIR...",
		Short: "Overlay the throughput of several stored runs on one figure",
		Long: `Draw the successes and 429s per second of several stored runs on one figure,
each against time since its own start, with the documented limit rate dashed:
a run against a target with the wrong limit stands off the line. Writes
compare.png and compare.svg into --out.`,
		Example: `  kvquota run secrets-onset --out runs/right
  kvquota run secrets-onset --limit secrets=4800 --out runs/wrong
  kvquota compare runs/right runs/wrong --out runs`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := fig.options()
			files, err := runner.Compare(out, args, opts...)
			if err != nil {
				return withCode(exitUsage, err)
			}
			for _, f := range files {
				fmt.Fprintf(cmd.OutOrStdout(), "plot: %s\n", f)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", ".", "directory for compare.png and compare.svg")
	fig.add(cmd)
	return cmd
}
