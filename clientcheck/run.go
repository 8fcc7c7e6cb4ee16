package clientcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
)

// Config is one clientcheck.
type Config struct {
	// Command is the application and its arguments; empty with Watch.
	Command []string
	// Watch serves the emulator for this long instead of running a command,
	// for applications started by hand.
	Watch time.Duration
	// Duration stops the Command (SIGINT, then a kill after 5 s) if it is
	// still running; 0 waits for it to exit.
	Duration time.Duration
	// Plan is the resolved request (plan.Clientcheck): the profile judged
	// against and emulated, the window model, the emulator's limits (per
	// documented window, like `kvquota run --limit`, never what the footprint
	// is judged against), the time scale (back-off steps stay in real
	// seconds), Retry-After, and the output directory.
	Plan *plan.Plan
	// Instances multiplies the measured footprint to the planned load
	// (0 or 1: as measured).
	Instances float64
	// Addr is where the emulator listens (127.0.0.1 on a free port when empty).
	Addr string
	// MaxRecords caps the requests kept (emulator.DefaultMaxRecords when 0).
	MaxRecords int
	// Stdout and Stderr receive the application's output (discarded when nil).
	Stdout, Stderr io.Writer
	// Ready is told where the emulator is once it serves (for --watch to
	// print it); may be nil.
	Ready func(Env)
}

// Outcome is a finished clientcheck.
type Outcome struct {
	Dir      string
	Report   *results.Report
	Findings Findings
	// Dropped counts requests past Config.MaxRecords, not judged.
	Dropped int
	// AppErr is how the application ended, when not with exit status 0.
	AppErr error
}

// ErrNoCommand is returned for a Config with neither a command nor Watch.
var ErrNoCommand = errors.New("clientcheck needs an application to run (after --) or --watch DURATION")

// ErrNoRequests is returned when the emulator recorded nothing: there is
// nothing to judge, and the application most likely did not find the vault.
var ErrNoRequests = fmt.Errorf("the emulated vault received no request: does the application read %s (and trust %s)?", EnvVaultURL, EnvSSLCertFile)

// Run starts the emulator, runs or watches the application, judges what it
// recorded and writes the reports into the output directory.
func Run(ctx context.Context, cfg Config) (*Outcome, error) {
	if len(cfg.Command) == 0 && cfg.Watch <= 0 {
		return nil, ErrNoCommand
	}
	if len(cfg.Command) > 0 && cfg.Watch > 0 {
		return nil, errors.New("give an application to run or --watch, not both")
	}
	if cfg.Instances == 0 {
		cfg.Instances = 1
	}
	if cfg.Instances < 0 {
		return nil, fmt.Errorf("instances %g: want a positive multiplier", cfg.Instances)
	}
	sc := newSetup(cfg.Plan)
	dir := cfg.Plan.Out
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	rec := emulator.NewRecorder(cfg.MaxRecords)
	ecfg := cfg.Plan.EmulatorConfig(sc.emulated, sc.model)
	ecfg.Observer = rec
	v, err := emulator.New(ecfg)
	if err != nil {
		return nil, err
	}
	srv, err := emulator.Start(v, cfg.Addr)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	caFile, err := filepath.Abs(filepath.Join(dir, "emulator-ca.pem"))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(caFile, srv.CACertPEM, 0o644); err != nil {
		return nil, err
	}
	env := newEnv(srv, caFile)
	if cfg.Ready != nil {
		cfg.Ready(env)
	}
	start := time.Now()
	out := &Outcome{Dir: dir}
	if cfg.Watch > 0 {
		select {
		case <-time.After(cfg.Watch):
		case <-ctx.Done():
		}
	} else {
		out.AppErr = runApp(ctx, cfg.Command, env, cfg.Duration, orDiscard(cfg.Stdout), orDiscard(cfg.Stderr))
		var se *errStart
		if errors.As(out.AppErr, &se) {
			return nil, se
		}
	}
	_ = srv.Close() // nothing more is recorded
	end := time.Now()

	reqs := rec.Requests()
	out.Dropped = rec.Dropped()
	out.Findings = Judge(reqs, Judging{Profile: sc.judged, Model: sc.model, Instances: cfg.Instances, Allowance: sc.allowance})
	out.Report = sc.report(srv.URL, start, end, ctx.Err() != nil, reqs, out.Findings)
	if err := write(dir, out, reqs); err != nil {
		return out, err
	}
	if len(reqs) == 0 && ctx.Err() == nil {
		return out, ErrNoRequests
	}
	return out, ctx.Err()
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
