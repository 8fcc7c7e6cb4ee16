package assert

import (
	"fmt"

	"github.com/kvquota/kvquota/results"
)

// Verdict is the outcome of one check (results.Verdict: the record report.json
// keeps). It always carries figures, never a bare pass or fail.
type Verdict = results.Verdict

// The outcomes of a check (results.Passed, ...).
const (
	Passed       = results.Passed
	Failed       = results.Failed
	Inconclusive = results.Inconclusive
)

// The ways a Verdict holds Measured against Expected (results.Within, ...).
const (
	Within  = results.Within
	AtLeast = results.AtLeast
	AtMost  = results.AtMost
)

// slack absorbs float rounding at the edge of a tolerance (a cost of exactly
// 1.0 summed from thirds must not fail a 0% tolerance).
const slack = 1e-9

// holds reports whether Measured stands to Expected as Comparison allows.
func holds(v Verdict) bool {
	m, e, tol := v.Measured, v.Expected, v.Tolerance
	eps := slack * max(1, e)
	switch v.Comparison {
	case Within:
		d := m - e
		if d < 0 {
			d = -d
		}
		return d <= tol*e+eps
	case AtLeast:
		return m >= e*(1-tol)-eps
	case AtMost:
		return m <= e*(1+tol)+eps
	}
	return false
}

// settle is the outcome of v's figures: with a band, pass when every value in
// it is accepted, fail when none is, inconclusive when it holds both; a
// point figure passes or fails as holds says.
func settle(v Verdict) results.Outcome {
	if v.Band == nil {
		if holds(v) {
			return Passed
		}
		return Failed
	}
	lo, hi := v, v
	lo.Measured, hi.Measured = v.Band.Low, v.Band.High
	switch okLo, okHi := holds(lo), holds(hi); {
	case okLo && okHi:
		return Passed
	case v.Comparison == AtLeast && !okHi, v.Comparison == AtMost && !okLo:
		return Failed
	case v.Comparison == Within && (v.Band.High < v.Expected*(1-v.Tolerance)-slack || v.Band.Low > v.Expected*(1+v.Tolerance)+slack):
		return Failed
	}
	return Inconclusive
}

// setBand sets v's figure to the band b: Measured is its middle.
func setBand(v *Verdict, b band) {
	v.Band = &results.Band{Low: b.lo, High: b.hi}
	v.Measured = b.mid()
}

// heldBand describes a band of window figures, e.g. "98-101 successes" or
// "a summed cost of 0.985-1.003 (weighted over every class)".
func (j *judge) heldBand(b band) string {
	if b.hi-b.lo < 1e-6*max(1, b.hi) {
		return j.held(b.lo)
	}
	if j.weighted {
		return fmt.Sprintf("a summed cost of %.3f to %.3f (weighted over every class)", b.lo, b.hi)
	}
	return fmt.Sprintf("%.0f to %.0f successes", b.lo, b.hi)
}

// bandNote says, for an inconclusive verdict, why and what to do: what
// widened the band is the answer times and, when there were any, the
// requests that may or may not have used quota.
func (j *judge) bandNote(b band, v Verdict) string {
	return j.inconclusiveNote(v, j.heldBand(b), j.held(v.Expected), "")
}

// inconclusiveNote is bandNote for a figure given as text: the band, the
// expected figure, and a further cause of the width (empty for none).
func (j *judge) inconclusiveNote(v Verdict, figure, expected, also string) string {
	if !v.Inconclusive() {
		return ""
	}
	slowest, uncertain := j.widening()
	why := fmt.Sprintf("answers took up to %.0f ms here against a %v window", float64(slowest)/1e6, j.profile.Window)
	if uncertain > 0 {
		why += fmt.Sprintf(", and %d request(s) of the run that got no answer or were answered neither a success nor a 429 may or may not have used quota", uncertain)
	}
	if also != "" {
		why += ", and " + also
	}
	return fmt.Sprintf(" Inconclusive: the target decided each request between its sending and its answer, %s, so the figure lies anywhere in %s, which cannot tell %s ±%.1f%% from a figure outside it. Run from a less busy machine, closer to the target, or for longer.",
		why, figure, expected, 100*v.Tolerance)
}

// widening is what widens the run's bands: the longest time an answer
// took (requests that got none do not count: they have no answer time) and
// how many requests may or may not have used quota (record.span).
func (j *judge) widening() (slowest int64, uncertain int) {
	for _, r := range j.recs {
		if r.code >= 100 {
			slowest = max(slowest, r.ans-r.at)
		}
		if it, ok := r.span(0, 0); ok && it.maybe {
			uncertain++
		}
	}
	return slowest, uncertain
}
