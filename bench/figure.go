package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Figure is one measured figure against its target.
type Figure struct {
	// Name says what was measured, e.g. "pacing at 2000/s".
	Name string
	// Measured and Target are in Unit; Pass says whether Measured met Target
	// in the sense of Comparison ("≥" or "≤").
	Measured   float64
	Target     float64
	Comparison string
	Unit       string
	Pass       bool
	// Detail gives the raw numbers the figure was computed from.
	Detail string
}

// atLeast and atMost make a Figure that passes when measured is at least, or
// at most, target.
func atLeast(name string, measured, target float64, unit, detail string) Figure {
	return Figure{Name: name, Measured: measured, Target: target, Comparison: "≥", Unit: unit, Pass: measured >= target, Detail: detail}
}

func atMost(name string, measured, target float64, unit, detail string) Figure {
	return Figure{Name: name, Measured: measured, Target: target, Comparison: "≤", Unit: unit, Pass: measured <= target, Detail: detail}
}

// WriteTable prints figures as an aligned table.
func WriteTable(w io.Writer, figs []Figure) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tBENCHMARK\tMEASURED\tTARGET\tDETAIL")
	for _, f := range figs {
		res := "PASS"
		if !f.Pass {
			res = "MISS"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s %s %s\t%s\n", res, f.Name, num(f.Measured), f.Unit, f.Comparison, num(f.Target), f.Unit, f.Detail)
	}
	tw.Flush()
}

func num(f float64) string {
	switch {
	case f >= 100:
		return fmt.Sprintf("%.0f", f)
	case f >= 10:
		return fmt.Sprintf("%.1f", f)
	default:
		return fmt.Sprintf("%.3g", f)
	}
}
