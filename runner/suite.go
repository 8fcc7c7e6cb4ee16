package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// Suites lists the named suites and the built-in scenarios each runs.
var Suites = map[string]func() []string{
	// conformance is every built-in scenario: every row of the limits
	// tables, the weighted example, the subscription spill, and the rest.
	"conformance": scenarios.BuiltinNames,
	// quota is the built-ins that judge throttling (onset, no-throttle,
	// goodput, subscription-onset): the limits tables alone.
	"quota": quotaBuiltins,
}

// quotaBuiltins lists the built-ins that expect a throttling check.
func quotaBuiltins() []string {
	var out []string
	for _, n := range scenarios.BuiltinNames() {
		s, err := scenarios.Builtin(n)
		if err != nil {
			continue
		}
		for _, x := range s.Expect {
			switch x.Check {
			case scenarios.CheckOnset, scenarios.CheckNoThrottle, scenarios.CheckGoodput, scenarios.CheckSubscriptionOnset:
				out = append(out, n)
			default:
				continue
			}
			break
		}
	}
	return out
}

// SuiteNames lists the suites, sorted.
func SuiteNames() []string {
	out := make([]string, 0, len(Suites))
	for n := range Suites {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// SuiteConfig is a run of every scenario of a suite, one after another, each
// against its own embedded emulator (or the given target), with the same
// options.
type SuiteConfig struct {
	Suite string
	// Profile, when set, replaces every scenario's profile.
	Profile string
	// Run holds what every run shares: target, --limit, time scale, log.
	// Its Scenario and Out are set per scenario; Out is taken as the suite's
	// directory, under which each scenario gets its own.
	Run Config
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
	list, ok := Suites[sc.Suite]
	if !ok {
		return nil, fmt.Errorf("unknown suite %q (known: %s)", sc.Suite, strings.Join(SuiteNames(), ", "))
	}
	if sc.Profile != "" {
		if _, err := limits.Get(sc.Profile); err != nil {
			return nil, err
		}
	}
	root := sc.Run.Out
	if root == "" {
		root = filepath.Join("kvquota-runs", fmt.Sprintf("suite-%s-%s", sc.Suite, time.Now().Format("20060102-150405")))
	}
	var out []SuiteResult
	for _, name := range list() {
		s, err := scenarios.Builtin(name)
		if err != nil {
			return out, err
		}
		if sc.Profile != "" {
			s.Profile = sc.Profile
		}
		c := sc.Run
		c.Scenario = s
		c.Out = filepath.Join(root, name)
		if c.Log != nil {
			fmt.Fprintf(c.Log, "== %s\n", name)
		}
		began := time.Now()
		o, err := Run(ctx, c)
		r := SuiteResult{Scenario: name, Dir: c.Out, Err: err, Took: time.Since(began)}
		if o != nil {
			r.Report = o.Report
		}
		out = append(out, r)
		if errors.Is(err, context.Canceled) || ctx.Err() != nil {
			return out, ctx.Err()
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
