package clientcheck

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"time"
)

// stopGrace is how long an application told to stop (SIGINT at --duration
// or Ctrl-C) has before it is killed.
const stopGrace = 5 * time.Second

// errStart wraps an application that could not be started at all.
type errStart struct{ err error }

func (e *errStart) Error() string { return "starting the application: " + e.err.Error() }
func (e *errStart) Unwrap() error { return e.err }

// runApp runs argv with the emulator's environment added to ours, until it
// exits, limit passes (0: no limit) or ctx ends; an application stopped at
// the limit is not an error.
func runApp(ctx context.Context, argv []string, env Env, limit time.Duration, stdout, stderr io.Writer) error {
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env.Vars(true)...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = stopGrace
	if err := cmd.Start(); err != nil {
		return &errStart{err}
	}
	err := cmd.Wait()
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil
	}
	return err
}
