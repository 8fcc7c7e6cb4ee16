package assert

import "github.com/kvquota/kvquota/scenarios"

// UnseenLoad makes inconclusive every verdict of vs that reads what the
// target's windows held (onset, no-early-throttle, no-throttle, goodput and
// the bucket checks), and says why: the target counted requests in those
// windows that no result holds (a shard's setup that ran into the attack,
// results.SetupOverruns), so a window figure may be low by any amount and
// a verdict, passed or failed, says nothing. The other checks (error
// shapes, authentication, answered) judge each answer on its own and stand.
func UnseenLoad(vs []Verdict, why string) []Verdict {
	out := make([]Verdict, len(vs))
	for i, v := range vs {
		if readsWindows(v.Check) {
			v.SetOutcome(Inconclusive)
			v.Detail += " Inconclusive: " + why + "."
		}
		out[i] = v
	}
	return out
}

func readsWindows(c scenarios.CheckName) bool {
	switch c {
	case scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle, scenarios.CheckNoThrottle,
		scenarios.CheckGoodput, scenarios.CheckSubscriptionOnset, scenarios.CheckVaultOnset:
		return true
	}
	return false
}
