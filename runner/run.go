package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// Config is one run of a plan's scenario.
type Config struct {
	// Plan is the resolved request (package plan).
	Plan *plan.Plan
	// Scenario is one of Plan.Scenarios; nil is the first.
	Scenario *scenarios.Scenario
	// Out is the run directory; empty is Plan.Out.
	Out string
	// Log receives status lines (nil: discarded).
	Log io.Writer
	// ProgressEvery is how often a progress line is written (0: 5 s).
	ProgressEvery time.Duration
	// NoPlots skips drawing (tests that need only the verdicts).
	NoPlots bool
}

// Outcome is what a run leaves.
type Outcome struct {
	Dir    string
	Report *results.Report
	// Shard is set, and Report nil, for one shard of several: a shard is
	// judged only with the others (JudgeDirs). Totals then count its
	// results.
	Shard  *plan.Shard
	Totals results.Totals
}

// ErrUnreachable means the target answered none of the attack's requests.
var ErrUnreachable = plan.ErrUnreachable

// Run carries out one scenario of a plan and judges it: it resolves the
// scenario, opens the target, creates the run directory, sends the setup,
// attacks, and judges what was stored. A cancelled ctx cuts the attack short;
// what was received is kept and judged all the same, and the outcome is
// returned with ctx's error.
func Run(ctx context.Context, c Config) (*Outcome, error) {
	r := &run{Config: c}
	if r.Scenario == nil {
		r.Scenario = c.Plan.Scenarios[0]
	}
	if r.Out == "" {
		r.Out = c.Plan.Out
	}
	steps := []func(context.Context) error{r.resolve, r.openTarget, r.signIn, r.createDir, r.setup, r.waitForStart}
	defer r.close()
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	sum, err := r.attack(ctx)
	if err != nil {
		return &Outcome{Dir: r.Out}, err
	}
	return r.judge(ctx, sum)
}

// run is the state of one Run, step by step.
type run struct {
	Config
	sr    *plan.ScenarioRun
	tg    *target
	w     *results.Writer
	meta  *results.Meta
	spans []scenarios.Span
}

func (r *run) logf(format string, a ...any) {
	if r.Log != nil {
		fmt.Fprintf(r.Log, format+"\n", a...)
	}
}

// resolve applies the plan to the scenario: its profiles and its scaling.
func (r *run) resolve(context.Context) error {
	sr, err := r.Plan.Scenario(r.Scenario)
	if err != nil {
		return err
	}
	r.sr, r.spans = sr, sr.Scenario.Schedule(sr.Judged)
	return nil
}

// openTarget starts the embedded emulator, or prepares the sign-in to a real
// vault (target.go).
func (r *run) openTarget(context.Context) error {
	tg, err := openTarget(r.Plan, r.sr, r.logf)
	r.tg = tg
	return err
}

// signIn gets the first token before anything is sent, so that a sign-in
// that cannot work is said once, as such (plan.ErrSignIn).
func (r *run) signIn(ctx context.Context) error {
	if _, err := r.tg.tokens.Token(ctx); err != nil {
		return fmt.Errorf("%w: %w", plan.ErrSignIn, err)
	}
	return nil
}

// createDir makes the run directory, with the scenario file beside results.
func (r *run) createDir(context.Context) error {
	w, err := results.Create(r.Out)
	if err != nil {
		return err
	}
	r.w = w
	s := r.sr.Scenario
	if len(s.Raw) > 0 {
		if err := os.WriteFile(filepath.Join(r.Out, results.ScenarioFile), s.Raw, 0o644); err != nil {
			return err
		}
	}
	r.meta = newMeta(r.Plan, r.sr, r.tg, r.spans)
	return nil
}

// setup sends the scenario's setup requests and clears the way for the
// attack.
func (r *run) setup(ctx context.Context) error {
	if err := runSetup(ctx, r.tg, r.sr.Scenario, setupShare(r.Plan)); err != nil {
		return err
	}
	if r.meta.Shard != nil {
		r.meta.Shard.SetupEnd = time.Now()
	}
	return r.tg.afterSetup(ctx)
}

// close stops the target and closes the results file (both may be nil).
func (r *run) close() {
	if r.w != nil {
		r.w.Close()
	}
	if r.tg != nil {
		r.tg.close()
	}
}

// judge records how the attack ended and judges the stored run.
func (r *run) judge(ctx context.Context, sum attack.Summary) (*Outcome, error) {
	if sum.Interrupted {
		r.logf("attack cut short after %s: %d results kept in %s", elapsed(sum.End.Sub(sum.Start)), sum.Results, r.Out)
	}
	if r.tg.decisions != nil {
		if kept, err := r.tg.decisions.write(r.Out); err != nil {
			return &Outcome{Dir: r.Out}, err
		} else if !kept {
			r.logf("the emulator's record of the run passed %d decisions and was not kept: no self-check", maxDecisions)
		}
	}
	if sh := r.Plan.Shard; sh != nil && sh.Count > 1 {
		return r.tallyShard(ctx, sum)
	}
	rep, err := Judge(r.Out, JudgeOptions{NoPlots: r.NoPlots})
	out := &Outcome{Dir: r.Out, Report: rep}
	if err != nil {
		return out, err
	}
	if rep.Totals.NoneReached() {
		return out, fmt.Errorf("%w: none of %d requests got an answer (first error: %s)", ErrUnreachable, rep.Totals.Requests, rep.Totals.FirstError)
	}
	if sum.Interrupted {
		return out, ctx.Err()
	}
	return out, nil
}

func overridden(p *limits.Profile) string {
	if len(p.Overridden) == 0 {
		return ""
	}
	s := "; limits changed from the documentation:"
	for _, c := range p.Overridden {
		s += fmt.Sprintf(" %s=%d", c, p.Limit(c))
	}
	return s
}

func describeSpans(spans []scenarios.Span) string {
	s := ""
	for i, sp := range spans {
		if i > 0 {
			s += ", "
		}
		if sp.StartRate == sp.EndRate {
			s += fmt.Sprintf("%.0f/s for %s", sp.StartRate, elapsed(sp.To-sp.From))
		} else {
			s += fmt.Sprintf("%.0f→%.0f/s over %s", sp.StartRate, sp.EndRate, elapsed(sp.To-sp.From))
		}
	}
	return s
}
