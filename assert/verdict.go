package assert

import "github.com/kvquota/kvquota/results"

// Verdict is the outcome of one check (results.Verdict: the record report.json
// keeps). It always carries figures, never a bare pass or fail.
type Verdict = results.Verdict

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
