package assert

import (
	"iter"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/scenarios"
)

// Check judges a run: one Verdict per expectation and transaction class seen
// in the run, in the order of in.Expect and then of the profile's classes. It
// reads results once and keeps a small record of each, so results may come
// straight from a file. An error means the input could not be judged at all
// (no profile, an unknown check, a run with no results); a target that fails
// a check is a Verdict with Pass false, not an error.
func Check(in Input, results iter.Seq[*vegeta.Result]) ([]Verdict, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	r, err := reduce(&in, results)
	if err != nil {
		return nil, err
	}
	j := newJudge(&in, r)
	var vs []Verdict
	for _, e := range in.Expect {
		tol := e.Tolerance
		if tol == 0 {
			tol = defaultTolerance(e.Check)
		}
		if e.Check == scenarios.CheckSubscriptionOnset { // one verdict over all vaults (bucket.go)
			vs = append(vs, subscriptionOnset(&in, results, tol))
			continue
		}
		if e.Check == scenarios.CheckAuth {
			// Judged per auth case, not per class (authcheck.go).
			av, err := checkAuth(&in, results)
			if err != nil {
				return nil, err
			}
			vs = append(vs, av...)
			continue
		}
		for _, c := range r.order() {
			var v Verdict
			switch e.Check {
			case scenarios.CheckOnset:
				v = j.onset(c, tol)
			case scenarios.CheckNoEarlyThrottle:
				v = j.noEarlyThrottle(c, tol)
			case scenarios.CheckNoThrottle:
				v = j.noThrottle(c, tol)
			case scenarios.CheckGoodput:
				v = j.goodput(&in, e, c, tol)
			case scenarios.CheckErrorShape:
				v = j.errorShape(c, tol)
			}
			vs = append(vs, v)
		}
	}
	return vs, nil
}
