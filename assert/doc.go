// Package assert judges a stored run against the documented Key Vault limits.
//
// Check reads a stream of vegeta results once, reduces every result to a small
// fixed-size record (send time, transaction class, status code, a flag for an
// error body that is not in Key Vault's shape) and keeps only those records, so
// a run of a million results is judged in well under a second and a few tens
// of megabytes. The records are sorted by send time, because vegeta emits
// results as they complete, not as they were sent.
//
// Every check yields one Verdict per transaction class seen in the run, with
// the measured figure, the documented figure and the tolerance between them, so
// a failed gate says by how much. The window a figure assumes is a parameter
// (limits.Sliding or limits.Fixed): the documentation does not say how Key Vault
// counts, and the same run gives different figures under the two models, which
// is how a reader can tell which one a target implements.
//
// The checks (scenarios.Check* names):
//
//   - onset: at the first 429 of a class, the window held the limit.
//   - no-early-throttle: no 429 came while the window held less than the limit.
//   - no-throttle: no 429 at all (a load below the limit).
//   - goodput: under sustained overload, successes settle at the limit rate,
//     because refused requests use no quota.
//   - error-shape: every 429 carries Key Vault's JSON error body.
//
// The documentation says enforcement is on the weighted sum of all classes
// (each transaction costs 1/limit of its class). When a run mixes several
// classes, onset, no-early-throttle and goodput therefore report the summed
// cost of the window (1.0 is a full window) rather than one class's count,
// unless Input.PerClass says the target limits each class on its own.
package assert
