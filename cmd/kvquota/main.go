// Command kvquota load-tests Azure Key Vault (or its built-in emulated vault)
// and checks that throttling begins where the documented limits say. Each
// command only parses its flags and calls the packages that do the work.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Exit codes: the CI gate's contract.
const (
	exitPass        = 0 // every check passed
	exitFail        = 1 // a check failed
	exitUsage       = 2 // bad flags or a bad scenario file
	exitUnreachable = 3 // the target could not be reached at all
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

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}

// execute runs the command line args and returns the exit code.
func execute(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitPass
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != errGateFailed {
			fmt.Fprintln(stderr, "kvquota:", ee.err)
		}
		return ee.code
	}
	// cobra's own errors: unknown flags and commands, wrong argument counts.
	fmt.Fprintln(stderr, "kvquota:", err)
	return exitUsage
}

// errGateFailed is returned when checks failed; the verdicts were printed already.
var errGateFailed = errors.New("checks failed")
