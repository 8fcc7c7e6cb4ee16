package assert

import (
	"math"

	"github.com/kvquota/kvquota/limits"
)

// sweep moves a window over the time-sorted records and knows, at any moment,
// how many successes of each class it holds. Both ends only move forward, so a
// pass over the whole run is linear in its length.
type sweep struct {
	j          *judge
	head, tail int // records [tail, head) are in the window
	counts     []int
	usage      limits.Usage // the same counts, for weighted costs
}

func (j *judge) newSweep() *sweep {
	return &sweep{j: j, counts: make([]int, len(j.classes))}
}

// advance moves the window so that it is the one holding time t: every
// success sent at or before t, back to the window's start.
func (s *sweep) advance(t int64) {
	recs := s.j.recs
	for s.head < len(recs) && recs[s.head].at <= t {
		if r := recs[s.head]; r.success() {
			s.add(r.class, 1)
		}
		s.head++
	}
	lo := s.j.windowStart(t)
	for s.tail < s.head && recs[s.tail].at < lo {
		if r := recs[s.tail]; r.success() {
			s.add(r.class, -1)
		}
		s.tail++
	}
}

func (s *sweep) add(c uint16, n int) {
	s.counts[c] += n
	if s.j.weighted {
		s.usage.Add(s.j.classes[c], n)
	}
}

// figure is what the window holds as judged for class c: its count of
// successes or, weighted, the summed cost of every class (limits.Usage.Cost,
// the arithmetic the emulator enforces).
func (s *sweep) figure(c int) float64 {
	if s.j.weighted {
		return s.usage.Cost(s.j.profile, 1)
	}
	return float64(s.counts[c])
}

// throttleStats is what onset, no-early-throttle and no-throttle read of a class.
type throttleStats struct {
	n429 int
	// first is the send time of the first 429, firstFig the window's figure
	// then and firstCounts its successes by class.
	first       int64
	firstFig    float64
	firstCounts []int
	// low is the lowest figure at any 429, lowAt when.
	low   float64
	lowAt int64
	// peak is the highest figure the window reached, peakAt when.
	peak   float64
	peakAt int64
}

// throttleStats walks the run once and returns the figures of every class.
func (j *judge) throttleStats() []throttleStats {
	if j.throttles != nil {
		return j.throttles
	}
	st := make([]throttleStats, len(j.classes))
	for i := range st {
		st[i].low = math.Inf(1)
	}
	s := j.newSweep()
	for _, r := range j.recs {
		s.advance(r.at)
		c := int(r.class)
		switch {
		case r.throttled():
			fig := s.figure(c)
			t := &st[c]
			if t.n429 == 0 {
				t.first, t.firstFig = r.at, fig
				t.firstCounts = append([]int(nil), s.counts...)
			}
			t.n429++
			if fig < t.low {
				t.low, t.lowAt = fig, r.at
			}
		case r.success():
			// Weighted, every class's figure is the same summed cost, so
			// every class shares the peak.
			if j.weighted {
				if fig := s.figure(c); fig > j.peakCost {
					j.peakCost = fig
					for i := range st {
						st[i].peak, st[i].peakAt = fig, r.at
					}
				}
			} else if fig := s.figure(c); fig > st[c].peak {
				st[c].peak, st[c].peakAt = fig, r.at
			}
		}
	}
	j.throttles = st
	return st
}
