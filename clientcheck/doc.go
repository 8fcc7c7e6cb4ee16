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
// A retry is a request of the same client that arrived after a 429 was
// answered and repeats it: the request with the 429's
// x-ms-client-request-id (ByRequestID), or, for requests without one, the
// first later request of the same method and path not already paired
// (ByArrival; ambiguous for a client with calls in flight at once, whose
// failing figures are inconclusive, not failures). A new call (new request
// id) after a 429 its SDK gave up on is counted apart, not as a retry. Its
// delay is from the 429's answer to the retry's
// arrival. The guidance's steps are wall-clock seconds and are never time
// scaled: a client's retry policy does not know the emulator's window.
package clientcheck
