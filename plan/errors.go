package plan

import (
	"errors"
	"fmt"
)

// ErrUsage marks a request that cannot be carried out as asked: bad flags, a
// bad scenario file, a combination the target cannot honour. Commands map it
// to exit code 2.
var ErrUsage = errors.New("usage")

// ErrUnreachable means the target answered none of a run's requests.
// Commands map it to exit code 3.
var ErrUnreachable = errors.New("the target could not be reached")

// ErrSignIn means no token could be had for the target: a wrong secret, an
// expired token refused at once, no credential available. Every scenario of
// a suite would fail alike, so a suite stops at it.
var ErrSignIn = errors.New("signing in failed")

// usage wraps err as a usage error; its text stays err's.
func usage(err error) error { return &usageError{err} }

func usagef(format string, a ...any) error { return usage(fmt.Errorf(format, a...)) }

type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() []error {
	return []error{ErrUsage, e.err}
}
