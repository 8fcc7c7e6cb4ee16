package discover

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/internal/version"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// The checks a discovery reports, one of each per class.
const (
	// CheckModel holds the best model's lead (margin) against TieMargin: it
	// fails when the finding is ambiguous.
	CheckModel scenarios.CheckName = "discover-model"
	// CheckLimit holds the found limit against the reference profile's.
	CheckLimit scenarios.CheckName = "discover-limit"
	// CheckWindow holds the found window length against the reference
	// profile's.
	CheckWindow scenarios.CheckName = "discover-window"
)

// FindingsFile holds every finding with its evidence, as JSON.
const FindingsFile = "findings.json"

// Verdicts turns findings into verdicts: per class, the model's lead, and
// the limit and the window against ref, the documented profile the target is
// held to (its figures scaled when the target was).
//
// An ambiguous finding's model verdict is inconclusive with the reason in
// its detail, and its limit and window verdicts hold the documented figure
// against the band of fits instead of one figure: inconclusive when some fit
// allows it (the evidence does not speak against the target), failed when
// none does.
func Verdicts(fs []Finding, ref *limits.Profile) []assert.Verdict {
	var out []assert.Verdict
	for _, f := range fs {
		model := assert.Verdict{
			Check: CheckModel, Class: f.Class, Measured: f.Margin, Expected: TieMargin, Tolerance: 0,
			Comparison: assert.AtLeast, Unit: "lead over the next model (share of outcomes)", Window: f.Model,
			Detail: fmt.Sprintf("%s, %d per %s, explains %.1f%% of %d outcomes; the best %s explains %.1f%%: a lead of %.1f points (%s confidence)",
				f.Model, f.Limit, f.Window.Round(time.Millisecond), 100*f.Agreement, f.Requests, f.RunnerUp.Kind, 100*f.RunnerUp.Agreement, 100*f.Margin, f.Confidence),
		}
		model.SetOutcome(assert.Passed)
		if f.Ambiguous() {
			model.SetOutcome(assert.Inconclusive)
			model.Detail = "ambiguous (inconclusive, not a fault of the target): " + f.Why()
		}
		out = append(out, model)
		lim := assert.Verdict{
			Check: CheckLimit, Class: f.Class, Measured: float64(f.Limit), Expected: float64(ref.Limit(f.Class)),
			Tolerance: LimitTolerance, Comparison: assert.Within, Unit: "transactions per window", Window: f.Model,
			Detail: fmt.Sprintf("found %d per %s (%s); %s", f.Limit, f.Window.Round(time.Millisecond), f.Model, f.Verdict()),
		}
		lim.SetOutcome(outcome(within(lim.Measured, lim.Expected, lim.Tolerance)))
		win := assert.Verdict{
			Check: CheckWindow, Class: f.Class, Measured: f.Window.Seconds(), Expected: ref.Window.Seconds(),
			Tolerance: WindowTolerance, Comparison: assert.Within, Unit: "seconds", Window: f.Model,
			Detail: fmt.Sprintf("found a %s window of %s; profile %s documents %s", f.Model, f.Window.Round(time.Millisecond), ref.Name, ref.Window),
		}
		win.SetOutcome(outcome(within(win.Measured, win.Expected, win.Tolerance)))
		if f.Ambiguous() {
			limOK, winOK, limDetail, winDetail := bandVerdicts(&f, ref)
			lim.SetOutcome(ambiguous(limOK))
			win.SetOutcome(ambiguous(winOK))
			lim.Detail, win.Detail = limDetail, winDetail
		}
		out = append(out, lim, win)
	}
	return out
}

// versions records the build that made a discovery (package version, as a
// run's run.json does).
func versions() results.Versions {
	v := version.Read()
	return results.Versions{Kvquota: v.Short(), Go: v.Go, Vegeta: v.Vegeta}
}

// bandVerdicts holds an ambiguous finding's band against ref: does some fit
// (of any model) allow the documented limit, and the documented window?
func bandVerdicts(f *Finding, ref *limits.Profile) (limOK, winOK bool, lim, win string) {
	l, w := float64(ref.Limit(f.Class)), ref.Window.Seconds()
	var fits []string
	for _, r := range f.Band.Fits {
		fits = append(fits, r.String())
		limOK = limOK || (float64(r.LimitLo) <= l*(1+LimitTolerance) && float64(r.LimitHi) >= l*(1-LimitTolerance))
		winOK = winOK || (r.WindowLo.Seconds() <= w*(1+WindowTolerance) && r.WindowHi.Seconds() >= w*(1-WindowTolerance))
	}
	among := func(ok bool) string {
		if ok {
			return "is among them"
		}
		return "is not among them"
	}
	all := strings.Join(fits, "; ")
	return limOK, winOK,
		fmt.Sprintf("ambiguous: the fits are %s; profile %s's %d %s", all, ref.Name, ref.Limit(f.Class), among(limOK)),
		fmt.Sprintf("ambiguous: the fits are %s; profile %s's %s %s", all, ref.Name, ref.Window, among(winOK))
}

// Report is a discovery in the run formats.
type Report struct {
	Meta     *results.Meta
	Report   *results.Report
	Findings []Finding
}

// NewReport assembles a discovery's report against ref.
func NewReport(target string, emulated bool, fs []Finding, ref *limits.Profile, start, end time.Time) *Report {
	m := &results.Meta{
		Scenario: "discover", Source: "kvquota discover", Target: target, Emulated: emulated,
		Profile: ref.Name, Start: start, End: end,
		Versions: versions(),
	}
	if len(fs) > 0 {
		m.Window, m.WindowLength = fs[0].Model, results.Duration(fs[0].Window)
	}
	var t results.Totals
	for _, f := range fs {
		t.Requests += f.Requests
		t.Throttled += f.Throttled
		t.Succeeded += f.Requests - f.Throttled
	}
	return &Report{Meta: m, Report: results.NewReport(m, t, Verdicts(fs, ref), nil), Findings: fs}
}

// Write writes run.json, report.json, junit.xml, summary.md and
// findings.json into dir.
func (r *Report) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, w := range []func() error{
		func() error { return results.WriteMeta(dir, r.Meta) },
		func() error { return results.WriteReport(dir, r.Report) },
		func() error { return results.WriteJUnit(dir, r.Report) },
		func() error { return results.WriteSummary(dir, r.Report) },
	} {
		if err := w(); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(r.Findings, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, FindingsFile), append(b, '\n'), 0o644)
}

// WriteTable prints one line per finding, for a person.
func WriteTable(w io.Writer, fs []Finding) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLASS\tMODEL\tLIMIT\tWINDOW\tAGREEMENT\tLEAD\tCONFIDENCE\tREQUESTS\tDOCUMENTATION")
	for _, f := range fs {
		doc := f.Verdict()
		if f.Ambiguous() {
			doc = "inconclusive (see below)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%.1f%%\t%.1f over %s\t%s\t%d (%d throttled)\t%s\n",
			f.Class, f.Model, f.Limit, f.Window.Round(time.Millisecond), 100*f.Agreement,
			100*f.Margin, f.RunnerUp.Kind, f.Confidence, f.Requests, f.Throttled, doc)
	}
	tw.Flush()
	for _, f := range fs {
		if f.Ambiguous() {
			fmt.Fprintf(w, "%s: ambiguous, so the row above is the best guess, not a finding: %s\n", f.Class, f.Why())
		}
	}
}

// outcome is a figure's outcome: pass or fail.
func outcome(ok bool) results.Outcome {
	if ok {
		return results.Passed
	}
	return results.Failed
}

// ambiguous is the outcome of a figure held against an ambiguous band:
// inconclusive when some fit allows the documented figure, failed when none
// does.
func ambiguous(someFitAllows bool) results.Outcome {
	if someFitAllows {
		return results.Inconclusive
	}
	return results.Failed
}
