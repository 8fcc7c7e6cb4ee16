package assert

import (
	"iter"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/scenarios"
)

// Check judges a run: one Verdict per expectation and transaction class seen
// in the run, in the order of in.Expect and then of the profile's classes. It
// reads results exactly once and keeps a small record of each, so results may
// come straight from a file, or from one read shared with other readers
// (package fanout); the checks that need more than the records (per vault,
// per auth case, unanswered requests) collect it in the same read. An error
// means the input could not be judged at all
// (no profile, an unknown check, a run with no results); a target that fails
// a check is a Verdict with Pass false, not an error.
func Check(in Input, results iter.Seq[*vegeta.Result]) ([]Verdict, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	ans := newAnsweredPass()
	passes := []func(*vegeta.Result){ans.add}
	var sub *subscriptionPass
	if in.expects(scenarios.CheckSubscriptionOnset) {
		sub = newSubscriptionPass(&in)
		passes = append(passes, sub.add)
	}
	var auth *authPass
	if in.expects(scenarios.CheckAuth) {
		auth = newAuthPass()
		passes = append(passes, auth.add)
	}
	r, err := reduce(&in, results, passes...)
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
			vs = append(vs, subscriptionOnset(&in, sub, tol))
			continue
		}
		if e.Check == scenarios.CheckAnswered { // over all requests (answered.go)
			vs = append(vs, answered(&in, ans.stats(), tol, r.start))
			continue
		}
		if e.Check == scenarios.CheckAuth {
			// Judged per auth case, not per class (authcheck.go).
			av, err := checkAuth(&in, auth)
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
	// A target that stopped answering fails the run even when not asked
	// about (answered.go).
	if r.mayBeUnanswered() && !in.expects(scenarios.CheckAnswered) {
		if s := ans.stats(); s.stopped() {
			vs = append(vs, answered(&in, s, 0, r.start))
		}
	}
	return vs, nil
}
