// Package plan turns what a user asked for into one resolved plan of a run:
// which scenarios, judged against which documented profile, under which window
// model, scaled how, against which target, signed in how, written where.
//
// Every command that talks to a vault (run, run --suite, discover,
// clientcheck, emulate) parses its flags into a Request and calls Resolve;
// nothing else in kvquota decides these things. Before this package the same
// decisions were written four times and had drifted (a suite ignored
// $KVQUOTA_CLIENT_SECRET; discover could not sign in with a credential).
//
// A Plan is checked as a whole: a combination the target cannot honour (a
// --limit for a real vault, a --token for the embedded emulator, which signs
// its own) is refused with an error wrapping ErrUsage that names the flags.
// Resolve reads the environment only through Request.Getenv, so the table
// tests see exactly what a user would.
package plan
