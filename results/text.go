package results

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteText prints a report for a person: one line per verdict with its
// figures, the totals, and the overall result.
func WriteText(w io.Writer, r *Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tCHECK\tAT\tFIGURES")
	for _, v := range r.Verdicts {
		res := "PASS"
		if !v.Pass {
			res = "FAIL"
		}
		at := "-"
		if v.At != nil {
			at = fmt.Sprintf("%.1fs", v.At.Seconds())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", res, CaseName(v), at, Figure(v))
	}
	tw.Flush()
	for _, v := range r.Verdicts {
		if !v.Pass && v.Detail != "" {
			fmt.Fprintf(w, "  %s: %s\n", CaseName(v), v.Detail)
		}
	}
	t := r.Totals
	fmt.Fprintf(w, "requests %d: %d succeeded, %d throttled (429), %d unauthorized, %d forbidden, %d other status, %d unanswered\n",
		t.Requests, t.Succeeded, t.Throttled, t.Unauthorized, t.Forbidden, t.OtherStatus, t.Unreached)
	writeShardsText(w, r.Shards)
	if r.Interrupted {
		fmt.Fprintln(w, "the run was cut short: the verdicts judge only what it received")
	}
	if r.TimeScale > 0 {
		fmt.Fprintf(w, "time-scaled x%g: a %s window, and the limits per window scaled as report.json's scaled_limits say; every figure is per scaled window, and the window checks' tolerances include a timing allowance of %s\n",
			r.TimeScale, time.Duration(r.WindowLength), time.Duration(r.TimingAllowance))
	}
	if r.Pass {
		fmt.Fprintf(w, "PASS: %s against profile %s (%s window)\n", r.Scenario, r.Profile, r.Window)
	} else {
		fmt.Fprintf(w, "FAIL: %s against profile %s (%s window)\n", r.Scenario, r.Profile, r.Window)
	}
}
