package clientcheck

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/kvquota/kvquota/assert"
)

const (
	// stormSpan is how close together retries must arrive to count as one
	// burst.
	stormSpan = 100 * time.Millisecond
	// stormLookback is how far back a burst's throttled operations are
	// counted: longer than the SDK's first two delays together.
	stormLookback = 2 * time.Second
	// stormFloor is the burst always allowed: two retries may meet by chance.
	stormFloor = 2
)

// stormVerdict looks for synchronised retries: more than half of the
// calls throttled in the last 2 s (and more than 2) retrying within the
// same 100 ms. Clients that back off by a fixed step without jitter (every
// instance retrying at once), or one that re-sends at once, pile load on a
// vault that is already refusing it; jittered delays (azcore's spread its
// first retries over 0.4 s) do not. The calls throttled are counted from
// the 429s, so that calls still waiting out their back-off count too.
//
// A burst over half the calls fails for certain when it holds more retries
// than calls were throttled (a call retrying twice within 100 ms), or more
// than three quarters of at least stormMinCalls calls. Anything else over
// half is inconclusive: a burst of fewer calls, or of up to three quarters,
// may be a chance meeting of jittered retries, and one made of pairings by
// arrival that may be wrong (see Retry.Ambiguous) may be no retries at all.
func stormVerdict(retries []Retry, throttled []throttledCall, j *Judging) assert.Verdict {
	ts := slices.Clone(throttled)
	slices.SortFunc(ts, func(a, b throttledCall) int { return cmp.Compare(a.at, b.at) })
	v := assert.Verdict{
		Check: CheckRetryStorm, Expected: stormFloor, Comparison: assert.AtMost,
		Unit: "retries within 100 ms", Window: j.Model, Detail: "no retries: nothing to storm",
	}
	all := worstBurst(retries, ts)
	if all.burst == 0 {
		settle(&v)
		return v
	}
	v.Measured, v.Expected = float64(all.burst), float64(all.bound())
	v.Detail = all.describe(len(retries))
	settle(&v)
	if !v.Failed() {
		return v
	}
	sure := worstBurst(slices.DeleteFunc(slices.Clone(retries), func(r Retry) bool { return r.Ambiguous }), ts)
	switch {
	case sure.burst <= sure.bound():
		v.SetOutcome(assert.Inconclusive)
		v.Detail += ". Inconclusive: the burst is made of pairings by order of arrival of a client with calls in flight at once, which may be other calls rather than retries; send a request id kept across retries to tell"
	case sure.burst <= sure.calls && sure.calls < stormMinCalls:
		v.Measured, v.Expected, v.Detail = float64(sure.burst), float64(sure.bound()), sure.describe(len(retries))
		v.SetOutcome(assert.Inconclusive)
		v.Detail += fmt.Sprintf(". Inconclusive: with fewer than %d calls throttled, jittered retries may meet by chance; throttle more calls (a lower --limit, more calls in flight) to tell", stormMinCalls)
	case sure.burst <= chanceBound(sure.calls):
		v.Measured, v.Expected, v.Detail = float64(sure.burst), float64(sure.bound()), sure.describe(len(retries))
		v.SetOutcome(assert.Inconclusive)
		v.Detail += fmt.Sprintf(". Inconclusive: more than half but at most %d of the %d calls throttled, which jittered retries reach by chance (azcore's 0.64-1.04 s first delays put more than half of 5-20 calls throttled together into one 100 ms in 7-30%% of runs, simulated); more than three quarters fails", chanceBound(sure.calls), sure.calls)
	default:
		v.Measured, v.Expected, v.Detail = float64(sure.burst), float64(sure.bound()), sure.describe(len(retries))
	}
	return v
}

// chanceBound is the most retries of calls throttled calls that jittered
// retries put into one 100 ms by chance often enough that a burst up to it
// proves nothing: three quarters of them (under 2% of runs of azcore's
// first delays with 5-20 calls throttled together, simulated).
func chanceBound(calls int) int { return max(stormFloor, (3*calls+3)/4) }

// stormMinCalls is how many calls must have been throttled for a burst
// within their number to be a storm rather than chance.
const stormMinCalls = 5

// burst is the burst of retries furthest over its bound.
type burst struct {
	burst, calls int
	at           time.Duration
}

// bound is how many retries of the calls throttled may meet.
func (b burst) bound() int { return max(stormFloor, (b.calls+1)/2) }

func (b burst) describe(retries int) string {
	return fmt.Sprintf("largest burst: %d retries within 100 ms, %.1f s in, of %d calls throttled in the 2 s before (at most half of them, and at least %d, may meet); %d retries in all",
		b.burst, b.at.Seconds(), b.calls, stormFloor, retries)
}

// worstBurst finds the burst of retries furthest over its bound; ts are the
// 429s in answer order.
func worstBurst(retries []Retry, ts []throttledCall) burst {
	rs := slices.Clone(retries)
	slices.SortFunc(rs, func(a, b Retry) int { return cmp.Compare(a.At, b.At) })
	var worst burst
	ratio := -1.0
	for i, r := range rs {
		n := 0
		calls := map[string]bool{}
		for k := i; k < len(rs) && rs[k].At < r.At+stormSpan; k++ {
			n++
			calls[rs[k].of] = true // a call waiting longer than the look-back
		}
		lo, _ := slices.BinarySearchFunc(ts, r.At-stormLookback, func(t throttledCall, at time.Duration) int { return cmp.Compare(t.at, at) })
		for k := lo; k < len(ts) && ts[k].at <= r.At; k++ {
			calls[ts[k].call] = true
		}
		b := burst{burst: n, calls: len(calls), at: r.At}
		if q := float64(n) / float64(b.bound()); q > ratio {
			worst, ratio = b, q
		}
	}
	return worst
}
