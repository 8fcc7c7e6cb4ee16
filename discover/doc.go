// Package discover finds what a target really enforces, per transaction
// class, from nothing but its HTTP answers: the limit per window, the window
// model (fixed buckets, a sliding window or a token bucket) and the window's
// length. The documentation gives the limits but not the model, and a proxy or
// a vault with raised limits may differ from both; discovery measures instead
// of assuming.
//
// The method has two halves. Probe (schedule.go) sends a schedule designed to
// tell the models apart, spending few requests: a burst until the first 429,
// probes spaced ever wider until the target recovers, then a steady overload
// at about 1.5x the rate the burst suggests until about two and a half
// windows' worth have been admitted; and, only when fixed and sliding fit
// equally well, a second burst placed half a window away from where a fixed
// bucket would begin. Every request's time and outcome is kept. Fit (fit.go)
// then replays those same times through each candidate model with candidate
// limits and lengths and scores each by the share of outcomes it predicts: the
// best is the finding, its share the evidence, and its lead over the best of
// another model the confidence. A small lead is reported as ambiguous rather
// than guessed.
package discover
