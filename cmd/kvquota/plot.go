package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/plots"
	"github.com/kvquota/kvquota/runner"
)

func newPlotCmd() *cobra.Command {
	var (
		out     string
		formats string
		dpi     int
	)
	cmd := &cobra.Command{
		Use:   "plot RUNDIR",
		Short: "Redraw the plots of a stored run",
		Long: `Redraw the figures of a stored run from its results.bin, without judging it
again: throughput, window usage, latency percentiles and status codes over time,
as PNG and SVG, into RUNDIR/plots (or --out). See docs/reading-plots.md.`,
		Example: `  kvquota plot kvquota-runs/secrets-onset-20261122-101500
  kvquota plot RUNDIR --format svg --out /tmp/figures`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := plotOptions(formats, dpi)
			files, err := runner.Plot(args[0], out, opts...)
			if err != nil {
				return withCode(exitUsage, err)
			}
			for _, f := range files {
				fmt.Fprintf(cmd.OutOrStdout(), "plot: %s\n", f)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "directory for the figures (default RUNDIR/plots)")
	plotFlags(cmd, &formats, &dpi)
	return cmd
}

// plotFlags adds the rendering flags plot and compare share.
func plotFlags(cmd *cobra.Command, formats *string, dpi *int) {
	cmd.Flags().StringVar(formats, "format", "png,svg", "figure formats, comma-separated: png, svg")
	cmd.Flags().IntVar(dpi, "dpi", 96, "resolution of PNG figures")
}

// plotOptions turns the flags into options; plots checks their values.
func plotOptions(formats string, dpi int) []plots.Option {
	var fs []string
	for _, f := range strings.Split(formats, ",") {
		if f = strings.TrimSpace(f); f != "" {
			fs = append(fs, f)
		}
	}
	return []plots.Option{plots.WithFormats(fs...), plots.WithDPI(dpi)}
}
