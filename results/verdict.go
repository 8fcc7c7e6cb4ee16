package results

import (
	"time"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// Verdict is the outcome of one check, as report.json keeps it (package
// assert makes them). It always carries figures, never a bare
// pass or fail: what was measured, what the documentation expects, and the
// tolerance between them, so that a failed gate says by how much.
type Verdict struct {
	Check scenarios.CheckName `json:"check"`
	// Class is the transaction class judged; empty for checks over all classes.
	Class limits.Class `json:"class,omitempty"`
	Pass  bool         `json:"pass"`
	// Measured is the figure taken from the run, in Unit.
	Measured float64 `json:"measured"`
	// Expected is the documented figure, in Unit.
	Expected float64 `json:"expected"`
	// Tolerance is relative: 0.01 accepts Measured within 1% of Expected (or on
	// the allowed side of it, as Comparison says).
	Tolerance float64 `json:"tolerance"`
	// Comparison is how Measured is held against Expected: "within" (|m-e| <=
	// tol*e), "at-least" (m >= e*(1-tol)), "at-most" (m <= e*(1+tol)).
	Comparison string `json:"comparison"`
	Unit       string `json:"unit"`
	// At is the moment the figure refers to (the first 429, say), as an offset
	// from the start of the attack; nil when the figure covers the whole run.
	At *time.Duration `json:"at,omitempty"`
	// Window is the window model the figure assumes.
	Window limits.WindowModel `json:"window"`
	// Detail is one sentence for a person.
	Detail string `json:"detail"`
}

// The ways a Verdict holds Measured against Expected.
const (
	// Within accepts |Measured-Expected| <= Tolerance*Expected.
	Within = "within"
	// AtLeast accepts Measured >= Expected*(1-Tolerance).
	AtLeast = "at-least"
	// AtMost accepts Measured <= Expected*(1+Tolerance).
	AtMost = "at-most"
)

// Passed reports whether every verdict passed. A run with no verdicts (a
// scenario that expects nothing) passes.
func Passed(vs []Verdict) bool {
	for _, v := range vs {
		if !v.Pass {
			return false
		}
	}
	return true
}
