// Package plots draws the figures of a stored run with gonum/plot.
//
// Draw writes two figures, each as PNG and SVG:
//
//   - throughput: per second, the requests offered (sent), succeeded (2xx),
//     throttled (429) and failed otherwise (any other status, or no response),
//     with each class's documented limit rate as a dashed line. Under overload
//     a conforming target's "succeeded" line settles on the limit line.
//   - window: what the target's window held over time: the successes per
//     class in the trailing window (sliding model) or in the current
//     epoch-aligned bucket (fixed model), against the limit, dashed. A reader
//     sees the count climb to the limit and stay there (sliding) or saw-tooth
//     up to it in every bucket (fixed). When a run mixes classes the figure is
//     in percent of each class's limit, with their weighted sum, which is what
//     Key Vault enforces.
//
// Like package assert, Draw reads results once and keeps a 16-byte record of
// each, sorted by send time, so a run of a million results plots in about a
// second. An empty run is an error (ErrNoResults) rather than an empty figure:
// a blank chart in a report reads as "nothing happened", while the caller can
// say why there is none.
package plots
