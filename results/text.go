package results

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// WriteText prints a report for a person: one line per verdict with its
// figures, the totals, and the overall result.
func WriteText(w io.Writer, r *Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tCHECK\tAT\tFIGURES")
	for _, v := range r.Verdicts {
		res := v.Result().Label()
		at := "-"
		if v.At != nil {
			at = fmt.Sprintf("%.1fs", v.At.Seconds())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", res, CaseName(v), at, Figure(v))
	}
	tw.Flush()
	for _, v := range r.Verdicts {
		if v.Result() != Passed && v.Detail != "" {
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
		allowance := ""
		if r.TimingAllowance > 0 {
			allowance = fmt.Sprintf(", and the window checks' tolerances include a timing allowance of %s", time.Duration(r.TimingAllowance))
		}
		fmt.Fprintf(w, "time-scaled x%.3g: a %s window, and the limits per window scaled as report.json's scaled_limits say; every figure is per scaled window%s\n",
			r.TimeScale, time.Duration(r.WindowLength), allowance)
	}
	switch sc := r.SelfCheck; {
	case sc != nil && len(sc.Outside) > 0:
		fmt.Fprintf(w, "!! KVQUOTA BUG: the emulator's own record lies outside the client's band in %d of %d figures (the verdicts are not to be trusted; please report it):\n", len(sc.Outside), sc.Checked)
		for _, o := range sc.Outside {
			fmt.Fprintf(w, "!!   %s\n", o)
		}
	case sc != nil:
		fmt.Fprintf(w, "self-check: the emulator's own record of its decisions lies inside the client's band in all %d figures\n", sc.Checked)
	}
	fmt.Fprintf(w, "%s: %s against profile %s (%s)\n", r.Result().Label(), r.Scenario, r.Profile, r.WindowWords())
	if r.Result() == Inconclusive {
		fmt.Fprintln(w, "inconclusive: the evidence cannot tell the documented limits from limits off by the tolerance (see each inconclusive check's detail for why and what to do); exit code 4")
	}
}

// Result is v's Outcome, read from Pass for a report of the first schema.
func (v Verdict) Result() Outcome { return outcomeOf(v.Outcome, v.Pass) }

// Result is r's Outcome, read from Pass for a report of the first schema.
func (r *Report) Result() Outcome { return outcomeOf(r.Outcome, r.Pass) }

// outcomeOf is an outcome as stored, or, for a report of the first schema
// (no outcome), what its pass says.
func outcomeOf(o Outcome, pass bool) Outcome {
	switch {
	case o != "":
		return o
	case pass:
		return Passed
	}
	return Failed
}

// WindowWords names the window models a report judged under: "any window
// model the documentation allows" or "sliding window".
func (r *Report) WindowWords() string {
	if r.Window == "" || r.Window == limits.AnyModel {
		return "any window model the documentation allows"
	}
	return string(r.Window) + " window"
}
