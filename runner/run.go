package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// Config is one run.
type Config struct {
	Scenario *scenarios.Scenario
	// Target is a vault URL; empty means the scenario's target, and if that is
	// empty too, the embedded emulator.
	Target string
	// Token is the bearer token for a real target.
	Token string
	// Credential signs in to a real target's tenant when Token is empty:
	// DefaultAzureCredential, or a client secret (attack.CredentialOptions).
	Credential attack.CredentialOptions
	// CAFile is a PEM file of extra roots to trust for a real target (for example
	// a standalone `kvquota emulate`).
	CAFile string
	// Out is the run directory; empty means ./kvquota-runs/<scenario>-<time>.
	Out string
	// TargetLimits are the embedded emulator's overrides: they change the target,
	// not the judgement, which is how the gate is shown to fail on a wrong vault.
	TargetLimits map[limits.Class]int
	// RetryAfter makes the embedded emulator send Retry-After on 429.
	RetryAfter bool
	// Lax makes the embedded emulator deliberately wrong about authentication
	// (emulator.LaxSettings), to show a conformance run fails against it.
	Lax string
	// Log receives status lines (nil: discarded).
	Log io.Writer
	// ProgressEvery is how often a progress line is written (0: 5 s).
	ProgressEvery time.Duration
	// TimeScale, between 0 and 1, shrinks the window and the stages for a
	// quick run (see timescale.go); 0 runs at full length.
	TimeScale float64
	// NoPlots skips drawing (a suite's quick runs need only the verdicts).
	NoPlots bool
}

// Outcome is what a run leaves.
type Outcome struct {
	Dir    string
	Report *results.Report
}

// ErrUnreachable means the target answered none of the attack's requests.
var ErrUnreachable = errors.New("the target could not be reached")

// Run carries out the run and judges it. A cancelled ctx cuts the attack short;
// what was received is kept and judged all the same, and the outcome is
// returned with ctx's error.
func Run(ctx context.Context, c Config) (*Outcome, error) {
	s := c.Scenario
	logf := func(format string, a ...any) {
		if c.Log != nil {
			fmt.Fprintf(c.Log, format+"\n", a...)
		}
	}
	judged, err := limits.Get(s.Profile)
	if err != nil {
		return nil, err
	}
	if judged, err = judged.WithOverrides(s.Limits); err != nil {
		return nil, err
	}
	documented := judged
	ts, err := newTimeScale(c.TimeScale, documented)
	if err != nil {
		return nil, err
	}
	judged, s = ts.profile(documented), ts.scenario(s)

	targetURL := c.Target
	if targetURL == "" {
		targetURL = s.Target
	}
	var tg *target
	if targetURL == "" {
		emulated, err := documented.WithOverrides(c.TargetLimits)
		if err != nil {
			return nil, err
		}
		emulated = ts.profile(emulated)
		if err := ts.prepareKeys(s); err != nil {
			return nil, err
		}
		start := startEmulator
		if s.IsAuthProbe() || c.Lax != "" {
			start = authEmulator(s.IsAuthProbe(), c.Lax) // authtarget.go
		}
		t, err := start(emulated, s.Window, c.RetryAfter, ts.sc != nil)
		if err != nil {
			return nil, err
		}
		tg = t
		logf("emulated vault at %s (profile %s, %s window%s)", t.url, emulated.Name, s.Window, overridden(emulated))
		if d := ts.describe(judged); d != "" {
			logf("%s", d)
		}
	} else {
		if len(c.TargetLimits) > 0 {
			return nil, errors.New("--limit changes the embedded emulator; it cannot change a real target")
		}
		if c.Lax != "" {
			return nil, errors.New("--lax changes the embedded emulator; it cannot change a real target")
		}
		if ts.sc != nil {
			return nil, errors.New("--time-scale shrinks the embedded emulator's windows; a real vault's are 10 s")
		}
		if s.Vaults() > 1 {
			return nil, fmt.Errorf("scenario %s spreads over %d vaults, which only the embedded emulator serves from one URL", s.Name, s.Vaults())
		}
		if tg, err = remoteTarget(targetURL, c.Token, c.CAFile, judged.Window, logf, c.Credential); err != nil {
			return nil, err
		}
	}
	defer tg.close()

	dir := c.Out
	if dir == "" {
		dir = filepath.Join("kvquota-runs", fmt.Sprintf("%s-%s", s.Name, time.Now().Format("20060102-150405")))
	}
	w, err := results.Create(dir)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	if len(s.Raw) > 0 {
		if err := os.WriteFile(filepath.Join(dir, results.ScenarioFile), s.Raw, 0o644); err != nil {
			return nil, err
		}
	}

	spans := s.Schedule(judged)
	meta := &results.Meta{
		Scenario:     s.Name,
		Source:       s.Source,
		Description:  s.Description,
		Target:       tg.url,
		Emulated:     tg.emulated,
		Profile:      judged.Name,
		Overrides:    s.Limits,
		TargetLimits: c.TargetLimits,
		Window:       s.Window,
		WindowLength: results.Duration(judged.Window),
		Seed:         s.Seed,
		Stages:       spans,
		Expect:       s.Expect,
		Versions:     versions(),
	}
	recordScale(meta, s, ts, judged)

	if err := runSetup(ctx, tg, s); err != nil {
		return nil, err
	}
	if err := tg.afterSetup(ctx); err != nil {
		return nil, err
	}

	logf("attacking %s for %s: %s", tg.url, elapsed(s.Duration()), describeSpans(spans))
	prog := newProgress(c.Log, c.ProgressEvery, s.Duration())
	sum, err := attack.Run(ctx, tg.url, s, spans, tg.tokens, w,
		func(t time.Time) {
			meta.Start = t
			prog.start(t)
			// Written before the first request so a run killed mid-way is
			// still a run directory that `kvquota report` can read.
			if err := results.WriteMeta(dir, meta); err != nil {
				logf("warning: %v", err)
			}
		},
		attack.WithTLSConfig(tg.tls),
		attack.WithObserver(prog.observe),
		attack.WithAuth(tg.auth),
	)
	prog.stop()
	meta.End = sum.End
	meta.Interrupted = sum.Interrupted
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if merr := results.WriteMeta(dir, meta); err == nil {
		err = merr
	}
	if err != nil {
		return &Outcome{Dir: dir}, err
	}
	if sum.Interrupted {
		logf("attack cut short after %s: %d results kept in %s", elapsed(sum.End.Sub(sum.Start)), sum.Results, dir)
	}

	rep, err := Judge(dir, JudgeOptions{NoPlots: c.NoPlots})
	out := &Outcome{Dir: dir, Report: rep}
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

// versions records the build that made a run.
func versions() results.Versions {
	v := results.Versions{Kvquota: "devel", Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v.Kvquota = bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/tsenart/vegeta/v12" {
				v.Vegeta = d.Version
			}
		}
		for _, st := range bi.Settings {
			if st.Key == "vcs.revision" && v.Kvquota == "devel" {
				v.Kvquota = "devel+" + st.Value[:min(12, len(st.Value))]
			}
		}
	}
	return v
}
