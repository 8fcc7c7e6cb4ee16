package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot/vg"

	"github.com/kvquota/kvquota/plots"
	"github.com/kvquota/kvquota/runner"
)

func newPlotCmd() *cobra.Command {
	var (
		out string
		fig figureFlags
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
			opts := fig.options()
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
	fig.add(cmd)
	return cmd
}

// figureFlags are the rendering flags plot and compare share.
type figureFlags struct {
	formats       string
	dpi           int
	width, height float64 // inches
}

func (f *figureFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.formats, "format", "png,svg", "figure formats, comma-separated: png, svg")
	cmd.Flags().IntVar(&f.dpi, "dpi", 96, "resolution of PNG figures")
	cmd.Flags().Float64Var(&f.width, "width", 10, "width of every figure, in inches")
	cmd.Flags().Float64Var(&f.height, "height", 5, "height of every figure, in inches")
}

// options turns the flags into options; plots checks their values.
func (f *figureFlags) options() []plots.Option {
	var fs []string
	for _, s := range strings.Split(f.formats, ",") {
		if s = strings.TrimSpace(s); s != "" {
			fs = append(fs, s)
		}
	}
	return []plots.Option{plots.WithFormats(fs...), plots.WithDPI(f.dpi), plots.WithSize(vg.Length(f.width)*vg.Inch, vg.Length(f.height)*vg.Inch)}
}
