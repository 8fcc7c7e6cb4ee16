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
	// Outcome is pass, fail or inconclusive (see Outcome).
	Outcome Outcome `json:"outcome"`
	// Pass is Outcome == Passed, for readers of the first schema.
	Pass bool `json:"pass"`
	// Measured is the figure taken from the run, in Unit: the middle of Band
	// when the figure is a band.
	Measured float64 `json:"measured"`
	// Band, when set, is every value the figure can take: the target decided
	// each request somewhere between its sending and its answer, and the band
	// runs from the placement of those decisions that gives the lowest figure
	// to the one that gives the highest.
	Band *Band `json:"band,omitempty"`
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
	// Models are the window models the documentation allows that the run's
	// evidence fits, every check of the run at once (with a fixed bucket's
	// phase, e.g. "fixed@0.25s"); empty when none does or the check does not
	// depend on the model.
	Models []string `json:"models,omitempty"`
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

// Band is the range of a figure over every placement of the target's
// decisions that the run's timings allow.
type Band struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Outcome is what a check concludes.
type Outcome string

// The outcomes of a check. Inconclusive is neither: the evidence is
// consistent with the documented figure but also with one off by more than
// the tolerance (the band is too wide), or the run never produced what the
// check needs; its Detail says why and what to do.
const (
	Passed       Outcome = "pass"
	Failed       Outcome = "fail"
	Inconclusive Outcome = "inconclusive"
)

// SetOutcome sets v's Outcome and Pass together.
func (v *Verdict) SetOutcome(o Outcome) {
	v.Outcome, v.Pass = o, o == Passed
}

// Failed reports whether v failed. A verdict read from a report of the first
// schema has no Outcome, only Pass.
func (v Verdict) Failed() bool { return v.Result() == Failed }

// Inconclusive reports whether v neither passed nor failed.
func (v Verdict) Inconclusive() bool { return v.Outcome == Inconclusive }

// Overall is the outcome of a set of verdicts: fail if any failed, else
// inconclusive if any was, else pass. A run with no verdicts (a scenario
// that expects nothing) passes.
func Overall(vs []Verdict) Outcome {
	o := Passed
	for _, v := range vs {
		switch {
		case v.Failed():
			return Failed
		case v.Inconclusive():
			o = Inconclusive
		}
	}
	return o
}

// Label is the word a report prints for an outcome: PASS, FAIL or INCONCLUSIVE.
func (o Outcome) Label() string {
	switch o {
	case Passed:
		return "PASS"
	case Inconclusive:
		return "INCONCLUSIVE"
	}
	return "FAIL"
}
