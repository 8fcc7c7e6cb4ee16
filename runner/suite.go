package runner

import (
	"context"
	"errors"
	"fmt"
	"github.com/kvquota/kvquota/scenarios"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
)

// SuiteConfig is a run of every scenario of a plan's suite, one after
// another, each against its own embedded emulator (or the plan's target).
type SuiteConfig struct {
	// Plan is the resolved suite (plan.Suite); its Out is the suite's
	// directory, under which each scenario gets its own.
	Plan *plan.Plan
	// Log receives status lines (nil: discarded).
	Log io.Writer
	// ProgressEvery is how often a progress line is written (0: 5 s).
	ProgressEvery time.Duration
	// NoPlots skips drawing (tests that need only the verdicts).
	NoPlots bool
}

// SuiteResult is one scenario's outcome.
type SuiteResult struct {
	Scenario string
	Dir      string
	Report   *results.Report
	Err      error
	Took     time.Duration
	// Rerun says the scenario was inconclusive and ran again, longer; the
	// result is the second run's.
	Rerun bool
}

// Outcome is the scenario's outcome: fail when it could not run.
func (r SuiteResult) Outcome() results.Outcome {
	if r.Err != nil || r.Report == nil {
		return results.Failed
	}
	return r.Report.Outcome
}

// RunSuite runs the suite's scenarios in order. A scenario that fails or
// cannot run does not stop the others; a cancelled ctx does.
func RunSuite(ctx context.Context, sc SuiteConfig) ([]SuiteResult, error) {
	var out []SuiteResult
	for _, s := range sc.Plan.Scenarios {
		c := Config{Plan: sc.Plan, Scenario: s, Out: filepath.Join(sc.Plan.Out, s.Name), Log: sc.Log, ProgressEvery: sc.ProgressEvery, NoPlots: sc.NoPlots}
		if c.Log != nil {
			fmt.Fprintf(c.Log, "== %s\n", s.Name)
		}
		r := runOne(ctx, c)
		if r.Outcome() == results.Inconclusive && ctx.Err() == nil {
			// Once more with more evidence: every stage twice as long.
			if c.Log != nil {
				fmt.Fprintf(c.Log, "== %s was inconclusive: once more, each stage twice as long\n", s.Name)
			}
			c.Scenario, c.Out = longer(s), c.Out+"-rerun"
			r = runOne(ctx, c)
			r.Rerun = true
		}
		out = append(out, r)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		if errors.Is(r.Err, plan.ErrSignIn) {
			return out, r.Err // every other scenario would fail alike
		}
	}
	return out, nil
}

// runOne runs one scenario of a suite.
func runOne(ctx context.Context, c Config) SuiteResult {
	began := time.Now()
	o, err := Run(ctx, c)
	r := SuiteResult{Scenario: c.Scenario.Name, Dir: c.Out, Err: err, Took: time.Since(began)}
	if o != nil {
		r.Report = o.Report
	}
	return r
}

// longer is s with every stage twice as long: more windows, more 429s, more
// evidence for a check whose band was too wide.
func longer(s *scenarios.Scenario) *scenarios.Scenario {
	c := *s
	c.Stages = append([]scenarios.Stage(nil), s.Stages...)
	for i := range c.Stages {
		c.Stages[i].Duration *= 2
	}
	return &c
}

// WriteSuiteTable prints one line per verdict of every scenario: the figure
// measured next to the one expected and, for a time-scaled run, the
// documented limit it was scaled from; then the scenarios that failed.
func WriteSuiteTable(w io.Writer, profile string, rs []SuiteResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tSCENARIO\tCHECK\tCLASS\tMEASURED\tEXPECTED\tDOCUMENTED\tUNIT")
	var failed, undecided, reran []string
	for _, r := range rs {
		switch r.Outcome() {
		case results.Failed:
			failed = append(failed, r.Scenario)
		case results.Inconclusive:
			undecided = append(undecided, r.Scenario)
		}
		if r.Rerun {
			reran = append(reran, r.Scenario)
		}
		if r.Report == nil {
			fmt.Fprintf(tw, "ERROR\t%s\t-\t-\t-\t-\t-\t%v\n", r.Scenario, r.Err)
			continue
		}
		for _, v := range r.Report.Verdicts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.Outcome.Label(), r.Scenario, v.Check, dash(string(v.Class)),
				measured(v), num(v.Expected), documented(r.Report, v), v.Unit)
		}
	}
	tw.Flush()
	if len(rs) > 0 && rs[0].Report != nil && rs[0].Report.TimeScale > 0 {
		fmt.Fprintf(w, "time-scaled x%g: windows of %s; EXPECTED is the scaled limit, DOCUMENTED the documentation's per 10 s\n",
			rs[0].Report.TimeScale, time.Duration(rs[0].Report.WindowLength))
	}
	if len(reran) > 0 {
		fmt.Fprintf(w, "re-run longer after an inconclusive first run: %s\n", strings.Join(reran, ", "))
	}
	writeFailures(w, rs)
	switch {
	case len(failed) > 0:
		fmt.Fprintf(w, "FAIL: %d of %d scenarios against profile %s: %s\n", len(failed), len(rs), profile, strings.Join(failed, ", "))
	case len(undecided) > 0:
		fmt.Fprintf(w, "INCONCLUSIVE: %d of %d scenarios against profile %s (none failed): %s\n", len(undecided), len(rs), profile, strings.Join(undecided, ", "))
	default:
		fmt.Fprintf(w, "PASS: all %d scenarios against profile %s\n", len(rs), profile)
	}
	fmt.Fprintf(w, "inconclusive: %d of %d scenarios\n", len(undecided), len(rs))
}

// writeFailures prints the sentence of every failed verdict, which says
// what the evidence was (answers' latency included): a CI log of a suite
// is often all that is left of a failed run.
func writeFailures(w io.Writer, rs []SuiteResult) {
	for _, r := range rs {
		if r.Report == nil {
			continue
		}
		for _, v := range r.Report.Verdicts {
			if v.Failed() {
				fmt.Fprintf(w, "  %s %s[%s]: %s\n", r.Scenario, v.Check, dash(string(v.Class)), v.Detail)
			}
		}
	}
}

// measured prints a verdict's figure: its band, e.g. "98..101", or its value.
func measured(v assert.Verdict) string {
	if v.Band != nil && num(v.Band.Low) != num(v.Band.High) {
		return num(v.Band.Low) + ".." + num(v.Band.High)
	}
	return num(v.Measured)
}

// documented is the documentation's limit of the verdict's class when the
// verdict's figure is a count of that class.
func documented(r *results.Report, v assert.Verdict) string {
	if v.Class == "" || !strings.Contains(v.Unit, "successes per window") {
		return "-"
	}
	p, err := limits.Get(r.Profile)
	if err != nil {
		return "-"
	}
	return fmt.Sprint(p.Limit(v.Class))
}

func num(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprint(int64(f))
	}
	return fmt.Sprintf("%.3f", f)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// SuiteOutcome is a suite's outcome: fail if any scenario failed or could
// not run, else inconclusive if any was, else pass.
func SuiteOutcome(rs []SuiteResult) results.Outcome {
	o := results.Passed
	for _, r := range rs {
		switch r.Outcome() {
		case results.Failed:
			return results.Failed
		case results.Inconclusive:
			o = results.Inconclusive
		}
	}
	return o
}
