package main

import (
	"context"
	"errors"
	"net"

	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
)

// Exit codes: the CI gate's contract, the same for every command.
const (
	exitPass        = 0 // every check passed
	exitFail        = 1 // a check failed
	exitUsage       = 2 // bad flags or a bad scenario file, or the work could not be done
	exitUnreachable = 3 // the target could not be reached at all
	// exitInconclusive: no check failed, but one could not tell the
	// documented limits from limits off by its tolerance (its detail says
	// why and what to do; discover: an ambiguous finding, or a target the
	// client could not overload). A gate that must be sure treats it as a
	// failure.
	exitInconclusive = 4
	exitInterrupted  = 130 // stopped by SIGINT or SIGTERM; what was received is kept and judged
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

// errGateFailed is returned when checks failed; the verdicts were printed already.
var errGateFailed = errors.New("checks failed")

// errGateInconclusive is returned when no check failed but one was
// inconclusive; the verdicts were printed already.
var errGateInconclusive = errors.New("checks inconclusive")

// gate is errGateFailed unless pass.
func gate(pass bool) error {
	if pass {
		return nil
	}
	return errGateFailed
}

// verdictGate is the gate of a run's or a suite's outcome.
func verdictGate(o results.Outcome) error {
	switch o {
	case results.Passed:
		return nil
	case results.Inconclusive:
		return errGateInconclusive
	}
	return errGateFailed
}

// exitCode is the one mapping from how a command ended to its exit code.
func exitCode(err error) int {
	var ee *exitError
	var operr *net.OpError
	var dnserr *net.DNSError
	switch {
	case err == nil:
		return exitPass
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errGateFailed):
		return exitFail
	case errors.Is(err, errGateInconclusive):
		return exitInconclusive
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, plan.ErrUsage):
		return exitUsage
	// A dial or a name that failed: the target could not be reached. (Not
	// any net.Error: an *fs.PathError has the same methods.)
	case errors.Is(err, plan.ErrUnreachable), errors.As(err, &operr), errors.As(err, &dnserr):
		return exitUnreachable
	}
	// cobra's own errors (unknown flags and commands, argument counts) and
	// anything that stopped the work.
	return exitUsage
}

// exitMessage is what is printed for err, if anything: a failed gate's
// verdicts were printed already, and an interrupted run says what was kept.
func exitMessage(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, errGateFailed), errors.Is(err, errGateInconclusive):
		return ""
	case errors.Is(err, context.Canceled):
		return "interrupted; what was received so far is kept and judged above"
	}
	return err.Error()
}
