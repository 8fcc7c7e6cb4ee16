package discover

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"
)

// decisionSlack widens every request's interval on both sides. The bounds
// themselves are causal (the target cannot decide before the request had a
// connection, nor after its answer began), but a target reads its clock a
// moment before it takes its lock: two requests racing for one lock may be
// counted in the other order than their clock readings, by microseconds.
const decisionSlack = 200 * time.Microsecond

// evidence is a schedule's outcomes as intervals: request i was decided at
// some time in [lo[i], hi[i]], and was admitted (ok[i]) or refused.
//
// The fit judges a candidate model on it request by request, GIVEN what the
// target admitted: a refusal is consistent with the model if some placement
// of the admitted requests within their intervals, and of this decision
// within its own, puts the model's window over its limit; an admission if
// some placement leaves room. This replaces replaying the model over one time
// per request (Predict), for two reasons. A replay that mistimes one decision
// carries the mistake into every later one (the old fit forgave swaps of
// neighbours for that), while a check conditioned on the admitted requests
// judges each outcome on its own. And a wide interval then costs a right
// model nothing: it makes the check permissive (weak evidence), never wrong,
// so a right model keeps (nearly) every outcome and wrong ones are told
// apart exactly as far as the intervals allow.
//
// The checks are per request, each free to choose its own placement of the
// others, and where the exact count needs more than two sorted lists they use
// a bound on the permissive side; both only ever widen what is consistent.
type evidence struct {
	lo, hi []time.Duration
	ok     []bool
	// admLo and admHi are the admitted requests' bounds, each sorted.
	admLo, admHi []time.Duration
	// width and median are the 90th and 50th percentiles of the intervals'
	// widths.
	width, median time.Duration
}

// shortestJudged is the shortest window the evidence can judge: twice the
// median interval, at least 10 ms. A window shorter than the intervals
// holds, for some placement, whatever a 429 needs and, for another, room for
// every admission: "8 per 12 ms" explains a busy machine's view of a 120 per
// second token bucket as well as the truth does. Such candidates are not
// scored, which is a limit of the method, not a finding: a target with
// windows that short cannot be measured from that far away.
func (e *evidence) shortestJudged() time.Duration {
	return max(10*time.Millisecond, 2*e.median)
}

func newEvidence(obs []Obs) *evidence {
	obs = slices.Clone(obs)
	slices.SortStableFunc(obs, func(a, b Obs) int { return cmp.Compare(a.At, b.At) })
	e := &evidence{lo: make([]time.Duration, len(obs)), hi: make([]time.Duration, len(obs)), ok: make([]bool, len(obs))}
	for i, o := range obs {
		lo, hi := o.Sent, o.Answered
		if hi < lo { // an observation without bounds (built by hand): its guess
			lo, hi = o.At, o.At
		}
		e.lo[i], e.hi[i], e.ok[i] = lo-decisionSlack, hi+decisionSlack, o.OK
		if o.OK {
			e.admLo = append(e.admLo, e.lo[i])
			e.admHi = append(e.admHi, e.hi[i])
		}
	}
	slices.Sort(e.admLo)
	slices.Sort(e.admHi)
	ws := make([]time.Duration, len(obs))
	for i := range ws {
		ws[i] = e.hi[i] - e.lo[i]
	}
	slices.Sort(ws)
	if len(ws) > 0 {
		e.width, e.median = ws[len(ws)*9/10], ws[len(ws)/2]
	}
	return e
}

// count returns how many of sorted are below x (or, with orEqual, at most x).
func count(sorted []time.Duration, x time.Duration, orEqual bool) int {
	if orEqual {
		return sort.Search(len(sorted), func(i int) bool { return sorted[i] > x })
	}
	return sort.Search(len(sorted), func(i int) bool { return sorted[i] >= x })
}

// cursor counts, like count, how many of sorted are below x, searching from
// its last answer: the requests are taken in order of their guessed time,
// so their bounds (and the times derived from them) are nearly sorted, and
// the answer is usually a step or two away. It gallops there (steps of 1,
// 2, 4, ... then a binary search), so a jump of d costs log d: fixedBounds
// asks about each bucket an interval spans, in turn, and a walk back and
// forth across whole buckets made slow targets' fits quadratic.
type cursor struct {
	ts      []time.Duration
	k       int
	orEqual bool
}

func (c *cursor) below(x time.Duration) int {
	// The fields are read once into locals and the test is written out, not
	// a closure: under -race every read through a pointer costs a call into
	// the detector, and a fit asks this millions of times.
	ts, k := c.ts, c.k
	// Find the length of the prefix of ts below x: ts[i] < x, or with
	// orEqual ts[i] <= x. Moving x by one makes both one test.
	if c.orEqual && x < math.MaxInt64 {
		x++
	}
	var lo, hi int // the answer lies in [lo, hi]
	if k > 0 && ts[k-1] >= x {
		hi = k - 1
		for step := 1; ; step *= 2 {
			lo = hi - step
			if lo <= 0 || ts[lo] < x {
				lo = max(lo, 0)
				break
			}
			hi = lo
		}
	} else {
		lo = k
		for step := 1; ; step *= 2 {
			hi = lo + step
			if hi >= len(ts) || ts[hi] >= x {
				hi = min(hi, len(ts))
				break
			}
			lo = hi
		}
	}
	for lo < hi { // ts[hi] >= x, or hi is the end
		m := int(uint(lo+hi) >> 1)
		if ts[m] >= x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	c.k = lo
	return lo
}

// A request's bound on the limit: for a refusal the highest limit its
// outcome allows (the most that could have been admitted in its window), for
// an admission the lowest (one more than the fewest that certainly were).
// scoreLimits turns them into the number of outcomes each limit explains.

// slidingBounds: a window of length w holds the admissions decided in
// (t-w, t). Possibly, for some t in [lo, hi]: those with hi_j > lo-w and
// lo_j < hi. Certainly, for every t: those with lo_j > hi-w and hi_j < lo,
// which are at least the hi_j < lo less the lo_j <= hi-w.
//
// An admission also bounds the k windows before it: (t-k*w, t) holds at most
// k*L-1. One window whose length is near the intervals' width certainly
// holds almost nothing, and a limit of 1 per 2 ms would explain a burst of
// hundreds; k windows together, k up to spans(w), do not.
func (e *evidence) slidingBounds(w time.Duration) []int {
	out := make([]int, len(e.lo))
	spans := e.spans(w)
	possLo, possHi := &cursor{ts: e.admLo}, &cursor{ts: e.admHi, orEqual: true}
	certHi := &cursor{ts: e.admHi}
	certLo := make([]cursor, spans+1)
	for k := range certLo {
		certLo[k] = cursor{ts: e.admLo, orEqual: true}
	}
	los, his, oks := e.lo, e.hi, e.ok // locals: see cursor.below
	for i, lo := range los {
		hi := his[i]
		if !oks[i] {
			out[i] = possLo.below(hi) - possHi.below(lo-w)
			continue
		}
		certain := certHi.below(lo)
		b := 1
		for k := 1; k <= spans; k++ {
			c := max(0, certain-certLo[k].below(hi-time.Duration(k)*w))
			b = max(b, ceilDiv(c+1, k))
		}
		out[i] = b
	}
	return out
}

// spans is how many windows of length w an admission's bound looks back
// over: enough that they are four times the width of a typical (90th
// percentile) interval, at most 8.
func (e *evidence) spans(w time.Duration) int {
	return int(min(8, max(1, (4*e.width+w-1)/w)))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// maxBucketsSpanned bounds the buckets one interval is checked in: an
// interval wider than that many buckets allows any outcome.
const maxBucketsSpanned = 4

// fixedBounds: buckets of length w begin at phase + k*w; a decision at t in
// bucket [s, s+w) sees the admissions of that bucket decided before t.
// Possibly: hi_j >= s and lo_j < min(hi, s+w); certainly: at least the
// hi_j < max(lo, s) less the lo_j < s. An interval across a bucket edge may
// take either bucket.
func (e *evidence) fixedBounds(w, phase time.Duration) []int {
	out := make([]int, len(e.lo))
	spans := e.spans(w)
	var c struct {
		possLo, possHi, certHi cursor
		certLo                 []cursor
	}
	c.possLo, c.possHi, c.certHi = cursor{ts: e.admLo}, cursor{ts: e.admHi}, cursor{ts: e.admHi}
	c.certLo = make([]cursor, spans+1)
	for k := range c.certLo {
		c.certLo[k] = cursor{ts: e.admLo}
	}
	los, his, oks := e.lo, e.hi, e.ok // locals: see cursor.below
	for i, lo := range los {
		hi, ok := his[i], oks[i]
		b0 := floorDiv(int64(lo-phase), int64(w))
		b1 := floorDiv(int64(hi-phase), int64(w))
		if b1-b0 >= maxBucketsSpanned {
			if ok {
				out[i] = 1
			} else {
				out[i] = len(e.admLo)
			}
			continue
		}
		best := -1
		for b := b0; b <= b1; b++ {
			s := phase + time.Duration(b)*w
			if !ok {
				best = max(best, c.possLo.below(min(hi, s+w))-c.possHi.below(s))
				continue
			}
			// An admission in bucket b: the k buckets up to it hold at most
			// k*L-1 before it.
			certain, low := c.certHi.below(max(lo, s)), 1
			for k := 1; k <= spans; k++ {
				n := max(0, certain-c.certLo[k].below(s-time.Duration(k-1)*w))
				low = max(low, ceilDiv(n+1, k))
			}
			if best < 0 || low < best {
				best = low
			}
		}
		out[i] = best
	}
	return out
}

// tokenEps is the float rounding a token count is allowed (as in Predict).
const tokenEps = 1e-9

// tokenBounds, for a token bucket refilling rate per nanosecond from full at
// the schedule's start: before a decision at t it holds
// min over s in [0, t] of L + rate*(t-s) - A[s, t), A counting the admissions
// decided in [s, t), and admits when that is at least 1. So a refusal needs
// some s with A[s, t) - rate*(t-s) > L-1, and an admission none.
//
// Possibly A[s, t) = #(lo_j < hi) - #(hi_j < s); taking the count at hi and
// the refill at lo bounds the best placement, and the minimum over s of
// #(hi_j < s) - rate*s is a prefix minimum over the sorted hi_j. Certainly A
// >= #(hi_j < lo) - #(lo_j < s) with the refill at hi, by the same prefix
// minimum over the lo_j.
func (e *evidence) tokenBounds(rate float64) []int {
	pmHi, pmLo := prefixMin(e.admHi, rate), prefixMin(e.admLo, rate)
	out := make([]int, len(e.lo))
	for i := range e.lo {
		lo, hi := e.lo[i], e.hi[i]
		if e.ok[i] {
			y := float64(count(e.admHi, lo, false)) - rate*float64(hi) - pmLo.at(lo)
			out[i] = max(1, int(math.Ceil(y+1-tokenEps)))
		} else {
			x := float64(count(e.admLo, hi, false)) - rate*float64(lo) - pmHi.at(lo)
			out[i] = int(math.Ceil(x - tokenEps))
		}
	}
	return out
}

// prefixMins holds, over sorted times ts, the running minimum of
// #(ts < s) - rate*s at each s = ts[k] (where it is least on the step before
// ts[k] counts), for s >= 0.
type prefixMins struct {
	ts   []time.Duration
	mins []float64
	rate float64
}

func prefixMin(ts []time.Duration, rate float64) prefixMins {
	p := prefixMins{ts: ts, mins: make([]float64, len(ts)), rate: rate}
	m := float64(count(ts, 0, false)) // s = 0
	for k, t := range ts {
		if t >= 0 {
			m = min(m, float64(count(ts, t, false))-rate*float64(t))
		}
		p.mins[k] = m
	}
	return p
}

// at is the minimum of #(ts < s) - rate*s over s in [0, x].
func (p prefixMins) at(x time.Duration) float64 {
	if x < 0 {
		return float64(count(p.ts, 0, false))
	}
	m := float64(count(p.ts, x, false)) - p.rate*float64(x)
	if k := count(p.ts, x, true); k > 0 {
		m = min(m, p.mins[k-1])
	} else {
		m = min(m, float64(count(p.ts, 0, false)))
	}
	return m
}

// scoreLimits returns, for every limit 0..len(admitted)+1, how many outcomes
// it explains given bounds b (see slidingBounds): a refusal explains the
// limits up to its bound, an admission those from its bound up.
func (e *evidence) scoreLimits(b []int) []int {
	top := len(e.admLo) + 1
	diff := make([]int, top+2)
	oks := e.ok
	for i, v := range b {
		v = min(max(v, 0), top+1)
		if oks[i] {
			diff[v]++ // [v, top]
		} else {
			diff[1]++ // [1, v]
			diff[v+1]--
		}
	}
	out := make([]int, top+1)
	run := 0
	for l := 0; l <= top; l++ {
		run += diff[l]
		out[l] = run
	}
	out[0] = 0 // a limit of 0 admits nothing
	return out
}
