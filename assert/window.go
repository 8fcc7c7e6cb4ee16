package assert

import (
	"math"
	"slices"
)

// successes returns the series a figure of class c counts, made on first use:
// the class's own successes (and the requests that may have used quota as
// well, record.span), each costing 1, or, weighted, every class's at their
// own costs of 1/limit (the arithmetic the emulator
// enforces, limits.Usage.Cost). Times are from the start of the attack.
func (j *judge) successes(c int) *series {
	key := c
	if j.weighted {
		key = -1
	}
	if s, ok := j.series[key]; ok {
		return s
	}
	var items []interval
	for _, r := range j.recs {
		if !j.weighted && int(r.class) != c {
			continue
		}
		cost := 1.0
		if j.weighted {
			cost = 1 / float64(j.limits[r.class])
		}
		if it, ok := r.span(j.start, cost); ok {
			items = append(items, it)
		}
	}
	s := newSeries(items, j.limitFigure(c))
	j.series[key] = s
	return s
}

// throttleStats is what onset, no-early-throttle and no-throttle read of a
// class under one window model, in the class's units (judge.limitFigure).
type throttleStats struct {
	n429 int
	// first is the earliest send of a 429 and firstDecided the latest time
	// the first 429 the target decided can have been decided (the earliest
	// answer of any 429): the onset is a decision in [first, firstDecided].
	first, firstDecided int64
	onset               band
	// lows holds each 429's band, in send order.
	lows []band
	// peak is the band of the most the window ever held.
	peak band
}

// lowest is the band of the emptiest window any 429 met: the least low and
// the least high (each may belong to a different 429), and the 429 whose
// high is least.
func (st *throttleStats) lowest() (band, int) {
	b, at := band{math.Inf(1), math.Inf(1)}, 0
	for i, l := range st.lows {
		b.lo = min(b.lo, l.lo)
		if l.hi < b.hi {
			b.hi, at = l.hi, i
		}
	}
	return b, at
}

// throttleStats walks the run once per class and returns the figures of
// every class under the judge's model.
func (j *judge) throttleStats() []throttleStats {
	if j.throttles != nil {
		return j.throttles
	}
	st := make([]throttleStats, len(j.classes))
	for c := range st {
		st[c] = j.classStats(c)
	}
	j.throttles = st
	return st
}

func (j *judge) classStats(c int) throttleStats {
	s := j.successes(c)
	p := s.probe()
	st := throttleStats{firstDecided: math.MaxInt64}
	for _, r := range j.recs {
		if int(r.class) != c || !r.throttled() {
			continue
		}
		t1, t2 := r.at-j.start, r.ans-j.start
		if st.n429 == 0 {
			st.first = t1
		}
		st.n429++
		st.firstDecided = min(st.firstDecided, t2)
		st.lows = append(st.lows, j.m.held(p, t1, t2))
	}
	if st.n429 > 0 {
		st.onset = j.m.held(s.probe(), st.first, st.firstDecided)
	}
	st.peak = j.m.peak(s)
	return st
}

// peak is the band of the most the window ever held: certainly, the most at
// any answer (where what is certainly held grows); possibly, the most at any
// send.
func (m windowModel) peak(s *series) band {
	var b band
	p := s.probe()
	for _, t := range s.sure.answers {
		b.lo = max(b.lo, m.held(p, t, t).lo)
	}
	p = s.probe()
	for _, t := range s.all.sends {
		b.hi = max(b.hi, m.held(p, t, t).hi)
	}
	return b
}

// possiblyEarly counts the 429s whose window may have held less than thr.
func possiblyEarly(lows []band, thr float64) int {
	n := 0
	for _, l := range lows {
		if l.lo < thr-slack {
			n++
		}
	}
	return n
}

// fixedPhases returns where fixed buckets may begin, from the start of the
// attack: the Unix epoch's phase (the emulator's), and the send of each
// success that followed a 429 of its class (a fixed bucket empties at its
// edge, so the first success after a run of 429s was decided in a new
// bucket, and nothing between its send and the edge was admitted), at most
// maxPhases in all, a millisecond apart at least.
func (j *judge) fixedPhases() []int64 {
	w := j.window
	phases := []int64{floorMod(-j.start, w)}
	throttled := make([]bool, len(j.classes))
	for _, r := range j.recs {
		switch {
		case r.throttled():
			throttled[r.class] = true
		case r.success() && throttled[r.class]:
			throttled[r.class] = false
			p := floorMod(r.at-j.start, w)
			if !slices.ContainsFunc(phases, func(q int64) bool { return circularGap(p, q, w) < 1e6 }) {
				phases = append(phases, p)
			}
			if len(phases) == maxPhases {
				return phases
			}
		}
	}
	return phases
}

// maxPhases bounds the fixed-bucket phases a run is judged under.
const maxPhases = 8

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// circularGap is the distance between phases p and q modulo w.
func circularGap(p, q, w int64) int64 {
	d := floorMod(p-q, w)
	return min(d, w-d)
}
