// Package bench measures kvquota against the ceilings it sets itself, each as a
// ratio taken in one run on the machine at hand, so that a figure never
// depends on how fast some other machine was:
//
//   - Throughput: authenticated, quota-accounted secret GETs served by the
//     emulator, against a bare net/http handler under the same vegeta load at
//     the maximum rate (target: at least 0.6 of the bare figure). The bare
//     handler is the ceiling that loopback HTTPS, vegeta and the Go runtime
//     leave on this machine; what the emulator adds (routing, token
//     validation, access, quota accounting, the store) is the gap.
//   - Pacing: the rate kvquota's attack actually sends at 200, 2000 and 10000
//     requests/s, through the same Pacer, Targeter and vegeta attacker a run
//     uses, against a bare handler so that the target is not what limits it
//     (target: within 1%).
//   - Judging: `kvquota report` (assert, tally, plots, every report file) over
//     a stored run of 1,000,000 results, timed as a child process so that its
//     peak resident memory is its own (target: under 3 s and 300 MB).
//   - Kvtest: what one Go test pays for package kvtest, under each window
//     model, timed by testing.Benchmark: a vault started, a secrets window
//     filled through the Azure SDK and stepped past on the fake clock, a key
//     used and a certificate issued (target: under 2 s a cycle).
//
// Figures are printed, never asserted in unit tests: timing on a shared
// machine belongs in a benchmark, not in a test that can fail on a busy day.
package bench
