// Package runner carries out one kvquota run from end to end: it brings up the
// target (the embedded emulated vault, or a real vault's URL), runs the
// scenario's setup, attacks with vegeta while every result streams into the run
// directory, and then judges the stored run (assert, plots, report.json,
// junit.xml). Judge works on any stored run, which is how `kvquota report`
// re-checks an old run without attacking again.
//
// It is the one place where the packages meet, so that cmd/kvquota only parses
// flags, and tests can drive a whole run without a process.
package runner
