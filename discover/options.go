package discover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
)

// Options are the settings of `kvquota discover` beyond its plan.
type Options struct {
	// Plan is the resolved request (plan.Discover): the target and how to
	// sign in, or the embedded emulator's profile, window, limits and time
	// scale (settings discovery itself never sees); the profile also
	// decides what the findings are compared with, and Out where the report
	// goes.
	Plan *plan.Plan
	// Classes to probe, as given (default secrets).
	Classes []string
	// ExpectProfile, when set, makes a difference from that profile a
	// failure (exit 1); without it differences are reported, not failed.
	ExpectProfile string
	Settle        time.Duration
	MaxRate       float64
	Log           func(format string, args ...any)
}

// Outcome is a finished discovery.
type Outcome struct {
	Findings []Finding
	Report   *Report
	Dir      string
	// Failed says why the discovery should exit 1: a finding (not an
	// ambiguous one) that differs from ExpectProfile. Nil when none did.
	Failed error
	// Inconclusive says which findings were ambiguous and why (it wraps
	// ErrInconclusive): the evidence could not tell, which says nothing
	// against the target. Nil when every finding named its figures.
	Inconclusive error
}

// ErrInconclusive marks a discovery whose evidence could not tell: a
// finding was ambiguous (wide intervals on a busy machine, or a target no
// model explains), or the client could not overload the target at all.
// `kvquota discover` exits 4 on it, as `run` does on an inconclusive verdict.
var ErrInconclusive = errors.New("inconclusive")

// Discover checks o, opens the plan's target (starting the embedded emulator
// if it is one), probes every class, and writes the report into the plan's
// output directory.
func Discover(ctx context.Context, o Options) (*Outcome, error) {
	p := o.Plan
	classes, err := parseClasses(o.Classes)
	if err != nil {
		return nil, err
	}
	ref := p.Judged()
	if o.ExpectProfile != "" {
		e, err := limits.Get(o.ExpectProfile)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", plan.ErrUsage, err)
		}
		ref = p.Scale.Profile(e, e)
	}
	cfg := Config{Classes: classes, Compare: compared(p.Scale), Settle: o.Settle, Log: o.Log}
	if o.MaxRate > 0 {
		cfg.Plan = DefaultPlan()
		cfg.Plan.MaxRate = o.MaxRate
	}
	closeTarget, err := openTarget(p, &cfg)
	if err != nil {
		return nil, err
	}
	defer closeTarget()
	start := time.Now()
	fs, err := Run(ctx, cfg)
	if errors.Is(err, ErrNotOverloaded) {
		err = fmt.Errorf("%w: %w", ErrInconclusive, err)
	}
	if err != nil {
		return &Outcome{Findings: fs}, err
	}
	out := &Outcome{Findings: fs, Report: NewReport(cfg.Target, p.Target.Embedded(), fs, ref, start, time.Now()), Dir: p.Out}
	if sc := p.Scale.Limits(); sc != nil {
		out.Report.Meta.Scaling = sc
		out.Report.Report.TimeScale, out.Report.Report.ScaledLimits = sc.TimeScale, ref.Limits
		out.Report.Meta.ScaledLimits = ref.Limits
	}
	if err := out.Report.Write(out.Dir); err != nil {
		return out, err
	}
	out.Failed, out.Inconclusive = failure(fs, o.ExpectProfile, out.Report, ref)
	return out, nil
}

// parseClasses reads --class: comma-separated or repeated class names, each
// one discovery can probe.
func parseClasses(items []string) ([]limits.Class, error) {
	var classes []limits.Class
	for _, item := range items {
		for _, s := range strings.Split(item, ",") {
			c, err := limits.ParseClass(s)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", plan.ErrUsage, err)
			}
			if _, err := requestFor(c, "x"); err != nil {
				return nil, fmt.Errorf("%w: %w", plan.ErrUsage, err)
			}
			classes = append(classes, c)
		}
	}
	return classes, nil
}

// compared are the documented profiles every finding is compared with,
// scaled as the plan is.
func compared(s *plan.Scale) []*limits.Profile {
	var out []*limits.Profile
	for _, n := range limits.Names() {
		p := limits.MustGet(n)
		out = append(out, s.Profile(p, p))
	}
	return out
}

// failure says why a finished discovery exits 1 (a finding that names its
// figures and differs from the expected profile), and which findings were
// inconclusive (exit 4 when nothing failed). An ambiguous finding never
// fails: its figures were not found, so they cannot differ.
func failure(fs []Finding, expect string, r *Report, ref *limits.Profile) (failed, inconclusive error) {
	var amb []string
	ambiguous := map[limits.Class]bool{}
	for _, f := range fs {
		if f.Ambiguous() {
			ambiguous[f.Class] = true
			amb = append(amb, fmt.Sprintf("%s: ambiguous: %s", f.Class, f.Why()))
		}
	}
	if expect != "" {
		for _, v := range r.Report.Verdicts {
			if !v.Pass && !ambiguous[v.Class] {
				failed = fmt.Errorf("the target differs from profile %s", ref.Name)
				break
			}
		}
	}
	if len(amb) > 0 {
		inconclusive = fmt.Errorf("%w: %s", ErrInconclusive, strings.Join(amb, "; "))
	}
	return failed, inconclusive
}
