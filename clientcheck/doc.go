// Package clientcheck judges an application against the emulated vault: it
// starts the embedded emulator with a request recorder, runs the application
// (or waits while one started by hand uses it), and reports
//
//   - the application's Key Vault footprint: per client and transaction class,
//     the most and the mean transactions per window and the window's weighted
//     sum, multiplied to the planned load (Config.Instances) and held against
//     the documented limits profile, not against the emulator's (--limit
//     lowers the emulator's limits so that the application meets 429s, as
//     `kvquota run --limit` changes only the target);
//   - its back-off after 429s as Key Vault's throttling guidance asks: no
//     immediate retries, delays growing at least as 1, 2, 4, 8, 16 s or
//     following Retry-After when the vault sends one, and no retry storm
//     across clients.
//
// Each finding is an assert.Verdict with its figures and goes out through
// the results package's formats (report.json, junit.xml, summary.md, the
// text table), with clients.json and requests.jsonl beside them as evidence.
//
// A retry is a request from the same client (token appid and source
// address) with the same method and path, or the same
// x-ms-client-request-id, as a request answered 429, before that operation
// got any other answer. Its delay is from the 429's answer to the retry's
// arrival. The guidance's steps are wall-clock seconds and are never time
// scaled: a client's retry policy does not know the emulator's window.
package clientcheck
