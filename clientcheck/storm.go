package clientcheck

import (
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
// operations throttled in the last 2 s (and more than 2) retrying within
// the same 100 ms. Clients that back off by a fixed step without jitter
// (every instance retrying at once), or one that re-sends at once, pile
// load on a vault that is already refusing it; jittered delays (azcore's
// spread its first retries over 0.4 s) do not.
func stormVerdict(retries []Retry, j *Judging) assert.Verdict {
	rs := slices.Clone(retries)
	slices.SortFunc(rs, func(a, b Retry) int { return int(a.At - b.At) })
	v := assert.Verdict{
		Check: CheckRetryStorm, Expected: stormFloor, Comparison: assert.AtMost,
		Unit: "retries within 100 ms", Window: j.Model, Detail: "no retries: nothing to storm",
	}
	worst := -1.0
	for i, r := range rs {
		burst := 0
		for k := i; k < len(rs) && rs[k].At < r.At+stormSpan; k++ {
			burst++
		}
		ops := map[string]bool{}
		for k := i; k >= 0 && rs[k].At >= r.At-stormLookback; k-- {
			if t := rs[k].At - rs[k].Delay; t >= r.At-stormLookback && t <= r.At {
				ops[rs[k].call()] = true
			}
		}
		for k := i + 1; k < len(rs) && rs[k].At < r.At+stormSpan; k++ {
			if t := rs[k].At - rs[k].Delay; t >= r.At-stormLookback && t <= r.At {
				ops[rs[k].call()] = true
			}
		}
		bound := max(stormFloor, (len(ops)+1)/2)
		if ratio := float64(burst) / float64(bound); ratio > worst {
			worst = ratio
			v.Measured, v.Expected = float64(burst), float64(bound)
			v.Detail = fmt.Sprintf("largest burst: %d retries within 100 ms, %.1f s in, of %d operations throttled in the 2 s before (at most half of them, and at least %d, may meet); %d retries in all",
				burst, r.At.Seconds(), len(ops), stormFloor, len(rs))
		}
	}
	settle(&v)
	return v
}

// call names the call a retry belongs to: its client request id when it
// has one (concurrent calls of one operation are separate calls), else its
// client and operation.
func (r Retry) call() string {
	return r.Client + " " + r.Method + " " + r.Path + " " + r.ClientRequestID
}
