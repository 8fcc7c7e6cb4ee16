package runner

import (
	"context"
	"errors"
	"fmt"
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
}

// SuiteResult is one scenario's outcome.
type SuiteResult struct {
	Scenario string
	Dir      string
	Report   *results.Report
	Err      error
	Took     time.Duration
}

// Pass reports whether the scenario ran and passed every check.
func (r SuiteResult) Pass() bool { return r.Err == nil && r.Report != nil && r.Report.Pass }

// RunSuite runs the suite's scenarios in order. A scenario that fails or
// cannot run does not stop the others; a cancelled ctx does.
func RunSuite(ctx context.Context, sc SuiteConfig) ([]SuiteResult, error) {
	var out []SuiteResult
	for _, s := range sc.Plan.Scenarios {
		c := Config{Plan: sc.Plan, Scenario: s, Out: filepath.Join(sc.Plan.Out, s.Name), Log: sc.Log, ProgressEvery: sc.ProgressEvery}
		if c.Log != nil {
			fmt.Fprintf(c.Log, "== %s\n", s.Name)
		}
		began := time.Now()
		o, err := Run(ctx, c)
		r := SuiteResult{Scenario: s.Name, Dir: c.Out, Err: err, Took: time.Since(began)}
		if o != nil {
			r.Report = o.Report
		}
		out = append(out, r)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		if errors.Is(err, plan.ErrSignIn) {
			return out, err // every other scenario would fail alike
		}
	}
	return out, nil
}

// WriteSuiteTable prints one line per verdict of every scenario: the figure
// measured next to the one expected and, for a time-scaled run, the
// documented limit it was scaled from; then the scenarios that failed.
func WriteSuiteTable(w io.Writer, profile string, rs []SuiteResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tSCENARIO\tCHECK\tCLASS\tMEASURED\tEXPECTED\tDOCUMENTED\tUNIT")
	var failed []string
	for _, r := range rs {
		if !r.Pass() {
			failed = append(failed, r.Scenario)
		}
		if r.Report == nil {
			fmt.Fprintf(tw, "ERROR\t%s\t-\t-\t-\t-\t-\t%v\n", r.Scenario, r.Err)
			continue
		}
		for _, v := range r.Report.Verdicts {
			res := "PASS"
			if !v.Pass {
				res = "FAIL"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", res, r.Scenario, v.Check, dash(string(v.Class)),
				num(v.Measured), num(v.Expected), documented(r.Report, v), v.Unit)
		}
	}
	tw.Flush()
	if len(rs) > 0 && rs[0].Report != nil && rs[0].Report.TimeScale > 0 {
		fmt.Fprintf(w, "time-scaled x%g: windows of %s; EXPECTED is the scaled limit, DOCUMENTED the documentation's per 10 s\n",
			rs[0].Report.TimeScale, time.Duration(rs[0].Report.WindowLength))
	}
	if len(failed) == 0 {
		fmt.Fprintf(w, "PASS: all %d scenarios against profile %s\n", len(rs), profile)
	} else {
		fmt.Fprintf(w, "FAIL: %d of %d scenarios against profile %s: %s\n", len(failed), len(rs), profile, strings.Join(failed, ", "))
	}
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

// SuitePassed reports whether every scenario of a suite ran and passed.
func SuitePassed(rs []SuiteResult) bool {
	for _, r := range rs {
		if !r.Pass() {
			return false
		}
	}
	return true
}
