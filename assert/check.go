package assert

import (
	"fmt"
	"iter"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
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
// a check is a Verdict with Outcome fail, not an error.
//
// The window checks are judged under every window model in.Window allows
// (models.go), and the verdicts are those of the model that explains the
// run best: fewest failures, then fewest inconclusive verdicts. Each window
// verdict names every model under which no check failed.
func Check(in Input, results iter.Seq[*vegeta.Result]) ([]Verdict, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	ans := newAnsweredPass()
	passes := []func(*vegeta.Result){ans.add}
	var sub *subscriptionPass
	if in.expects(scenarios.CheckSubscriptionOnset) || in.expects(scenarios.CheckVaultOnset) {
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
	base := newJudge(&in, r)
	var evals []evaluation
	for _, m := range base.candidates(in.Window) {
		vs, err := judgeUnder(&in, base.under(m), sub, auth, ans)
		if err != nil {
			return nil, err
		}
		evals = append(evals, newEvaluation(m, vs))
	}
	vs := choose(evals, in.Window == limits.AnyModel)
	// A target that stopped answering fails the run even when not asked
	// about (answered.go).
	if r.mayBeUnanswered() && !in.expects(scenarios.CheckAnswered) {
		if s := ans.stats(); s.stopped() {
			vs = append(vs, answered(&in, s, 0, r.start))
		}
	}
	return vs, nil
}

// judgeUnder returns every expected verdict with the window figures taken
// under j's model.
func judgeUnder(in *Input, j *judge, sub *subscriptionPass, auth *authPass, ans *answeredPass) ([]Verdict, error) {
	var vs []Verdict
	for _, e := range in.Expect {
		tol := e.Tolerance
		if tol == 0 {
			tol = defaultTolerance(e.Check)
		}
		switch e.Check {
		case scenarios.CheckSubscriptionOnset: // one verdict over all vaults (bucket.go)
			vs = append(vs, subscriptionOnset(in, sub, j.m, j.start, tol))
			continue
		case scenarios.CheckVaultOnset: // likewise, the other way (bucket.go)
			vs = append(vs, vaultOnset(in, sub, j.m, j.start, tol))
			continue
		case scenarios.CheckAnswered: // over all requests (answered.go)
			vs = append(vs, answered(in, ans.stats(), tol, j.start))
			continue
		case scenarios.CheckAuth: // per auth case, not per class (authcheck.go)
			av, err := checkAuth(in, auth)
			if err != nil {
				return nil, err
			}
			vs = append(vs, av...)
			continue
		}
		for _, c := range j.order() {
			switch e.Check {
			case scenarios.CheckOnset:
				vs = append(vs, j.onset(c, tol))
			case scenarios.CheckNoEarlyThrottle:
				vs = append(vs, j.noEarlyThrottle(c, tol))
			case scenarios.CheckNoThrottle:
				vs = append(vs, j.noThrottle(c, tol))
			case scenarios.CheckGoodput:
				vs = append(vs, j.goodput(in, e, c, tol))
			case scenarios.CheckErrorShape:
				vs = append(vs, j.errorShape(c, tol))
			}
		}
	}
	return vs, nil
}

// windowChecks are the checks whose figures depend on the window model.
var windowChecks = map[scenarios.CheckName]bool{
	scenarios.CheckOnset: true, scenarios.CheckNoEarlyThrottle: true, scenarios.CheckNoThrottle: true,
	scenarios.CheckGoodput: true, scenarios.CheckSubscriptionOnset: true, scenarios.CheckVaultOnset: true,
}

// evaluation is a run's verdicts under one model, with their count of
// failures and inconclusive window verdicts.
type evaluation struct {
	m                windowModel
	vs               []Verdict
	fails, undecided int
}

func newEvaluation(m windowModel, vs []Verdict) evaluation {
	e := evaluation{m: m, vs: vs}
	for _, v := range vs {
		if !windowChecks[v.Check] {
			continue
		}
		switch {
		case v.Failed():
			e.fails++
		case v.Inconclusive():
			e.undecided++
		}
	}
	return e
}

// choose returns the verdicts of the evaluation that explains the run best
// (the first of equals: candidates come sliding, fixed, token bucket), with
// each window verdict naming the models under which none failed. Judged
// under any model, a failed verdict says how each model fared.
func choose(evals []evaluation, anyModel bool) []Verdict {
	best := 0
	for i, e := range evals {
		b := evals[best]
		if e.fails < b.fails || e.fails == b.fails && e.undecided < b.undecided {
			best = i
		}
	}
	fits := fitting(evals)
	vs := evals[best].vs
	for i := range vs {
		if !windowChecks[vs[i].Check] {
			continue
		}
		vs[i].Models = fits
		if vs[i].Failed() && anyModel && len(evals) > 1 {
			vs[i].Detail += " " + standings(evals)
		}
	}
	return vs
}

// fitting names the models under which no window verdict failed, a fixed
// bucket once (its best phase).
func fitting(evals []evaluation) []string {
	var names []string
	fixed := false
	for _, e := range evals {
		if e.fails > 0 || (e.m.kind == limits.Fixed && fixed) {
			continue
		}
		fixed = fixed || e.m.kind == limits.Fixed
		names = append(names, e.m.name())
	}
	return names
}

// standings says how each model fared, e.g. "No window model the
// documentation allows explains every check: sliding 2 failed, fixed (best
// of 5 phases) 3 failed, token-bucket 1 failed."
func standings(evals []evaluation) string {
	var parts []string
	bestFixed, phases := -1, 0
	for i, e := range evals {
		if e.m.kind != limits.Fixed {
			continue
		}
		phases++
		if bestFixed < 0 || e.fails < evals[bestFixed].fails {
			bestFixed = i
		}
	}
	for i, e := range evals {
		switch {
		case e.m.kind != limits.Fixed:
			parts = append(parts, fmt.Sprintf("%s %d failed", e.m.name(), e.fails))
		case i == bestFixed:
			parts = append(parts, fmt.Sprintf("fixed (best of %d phases, %s) %d failed", phases, e.m.name(), e.fails))
		}
	}
	return "No window model the documentation allows explains every check: " + strings.Join(parts, ", ") + "."
}
