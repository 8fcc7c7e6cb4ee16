package clientcheck

import (
	"time"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/scenarios"
)

// The checks clientcheck reports, as verdict check names.
const (
	// CheckFootprint holds the most transactions of one class in any window,
	// times the planned instances, against the class's documented limit.
	CheckFootprint scenarios.CheckName = "footprint"
	// CheckWeightedFootprint holds the largest weighted sum of any window,
	// times the planned instances, against 1.0 (the whole budget).
	CheckWeightedFootprint scenarios.CheckName = "footprint-weighted"
	// CheckImmediateRetry holds the shortest delay of any retry after a 429
	// against the guidance's first step (or the 429's Retry-After).
	CheckImmediateRetry scenarios.CheckName = "immediate-retry"
	// CheckBackoff holds the retry that fell furthest short of its step of
	// 1, 2, 4, 8, 16 s (or of its Retry-After) against that step.
	CheckBackoff scenarios.CheckName = "backoff"
	// CheckRetryStorm holds the most retries of all clients in any one
	// second against one per throttled client.
	CheckRetryStorm scenarios.CheckName = "retry-storm"
)

// Guidance is the throttling guidance's back-off: wait 1, 2, 4, 8, then
// 16 s between retries (16 s from then on).
var Guidance = []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}

// DelayTolerance is how far below its step a retry delay may fall and still
// pass: 40%, so a delay of at least 0.6 x the step. The Azure SDK for Go's
// default first delay is 0.8 s x jitter in [0.8, 1.3), 0.64-1.04 s, below
// the guidance's 1 s; a well-behaved jittered client must pass, and a client
// that retries at once (milliseconds) must not.
const DelayTolerance = 0.4

// step returns the guidance's delay before the n-th retry (n from 1).
func step(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	return Guidance[min(n, len(Guidance))-1]
}

// settle sets v's Outcome (and Pass) from its figures by assert's rule, the
// one every kvquota verdict follows: a Band that holds values on both sides
// of the tolerance makes the verdict inconclusive.
func settle(v *assert.Verdict) { v.SetOutcome(assert.Settle(*v)) }
