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
	"github.com/kvquota/kvquota/limits"
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
	// Profile is the limits profile judged against and emulated
	// (limits.DefaultProfile when empty); Window the window model (sliding
	// when empty).
	Profile string
	Window  limits.WindowModel
	// Limits change the emulator's limits (per documented window, like
	// `kvquota run --limit`), never what the footprint is judged against.
	Limits map[limits.Class]int
	// TimeScale shrinks the window and scales the limits as `kvquota run
	// --time-scale` does (0: none). Back-off steps stay in real seconds.
	TimeScale float64
	// RetryAfter makes the emulator send Retry-After on 429.
	RetryAfter bool
	// Instances multiplies the measured footprint to the planned load
	// (0 or 1: as measured).
	Instances float64
	// Addr is where the emulator listens (127.0.0.1 on a free port when empty).
	Addr string
	// Out is the directory for the reports (default
	// ./kvquota-runs/clientcheck-<time>).
	Out string
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
	sc, err := newSetup(cfg)
	if err != nil {
		return nil, err
	}
	dir := cfg.Out
	if dir == "" {
		dir = filepath.Join("kvquota-runs", "clientcheck-"+time.Now().Format("20060102-150405"))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	rec := emulator.NewRecorder(cfg.MaxRecords)
	v, err := emulator.New(emulator.Config{Profile: sc.emulated, Window: sc.model, RetryAfter: cfg.RetryAfter, Observer: rec})
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
