package assert

import (
	"fmt"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// windowModel is one way a target may count a window, with what it needs to
// say what the window held when the target decided a request. The
// documentation says "maximum transactions allowed in 10 seconds" and nothing
// about how they are counted, so a run is judged under every model it allows
// (sliding; fixed buckets of any phase; a token bucket holding one window's
// worth) and conforms when one of them explains every check at once.
//
// Figures are in the series' costs (interval.go): a class on its own counts
// its successes, a weighted mix sums 1/limit for each.
type windowModel struct {
	kind limits.WindowModel
	// window is the window's length in nanoseconds.
	window int64
	// phase is where fixed buckets begin, in nanoseconds from the start of the
	// attack, modulo window.
	phase int64
	// epoch says the phase is the Unix epoch's, the one the emulator uses.
	epoch bool
}

// name is the model as verdicts list it: "sliding", "token-bucket" or
// "fixed@0.250s" (the phase from the start of the attack).
func (m windowModel) name() string {
	if m.kind != limits.Fixed {
		return string(m.kind)
	}
	return fmt.Sprintf("fixed@%.3fs", time.Duration(m.phase).Seconds())
}

// bucketStart is the start of the fixed bucket holding t.
func (m windowModel) bucketStart(t int64) int64 {
	return floorDiv(t-m.phase, m.window)*m.window + m.phase
}

// held is the band of what the window held when the target decided a
// request somewhere in [t1, t2].
func (m windowModel) held(s *probe, t1, t2 int64) band {
	switch m.kind {
	case limits.Fixed:
		return m.heldFixed(s, t1, t2)
	case limits.TokenBucket:
		return m.heldBucket(s, t1, t2)
	}
	// Sliding: the successes decided in (t-W, t]. Certainly: answered by t1
	// and sent after t2-W; possibly: sent by t2 and answered after t1-W.
	return band{
		lo: max(0, s.answeredBy(fAnsLo, t1)-s.sentBy(fSentLo, t2-m.window)),
		hi: max(0, s.sentBy(fSentHi, t2)-s.answeredBy(fAnsHi, t1-m.window)),
	}
}

// heldFixed: the successes decided from the start of the bucket up to the
// decision. A decision that may fall on either side of a bucket's edge takes
// the lowest of the two sides and the highest.
func (m windowModel) heldFixed(s *probe, t1, t2 int64) band {
	b1, b2 := m.bucketStart(t1), m.bucketStart(t2)
	in := func(b, from, to int64) band { // decided in [b, d] for d in [from, to]
		return band{
			lo: max(0, s.answeredBy(fAnsLo, from)-s.sentBefore(fSentLo, b)),
			hi: max(0, s.sentBy(fSentHi, to)-s.answeredBefore(fAnsHi, b)),
		}
	}
	if b1 == b2 {
		return in(b1, t1, t2)
	}
	first, last := in(b1, t1, b1+m.window-1), in(b2, b2, t2)
	return band{lo: min(first.lo, last.lo), hi: max(first.hi, last.hi)}
}

// heldBucket: a token bucket that starts full and drains at one window's
// worth per window holds, at d, the most that any interval (u, d] admitted
// beyond what it refilled: max over u of N(u,d] - (d-u)/W, and never less
// than nothing. Certainly N(u,d] >= answered by t1 - sent by u, possibly
// N(u,d] <= sent by t2 - answered by u.
func (m windowModel) heldBucket(s *probe, t1, t2 int64) band {
	rho := s.full / float64(m.window)
	lo := s.answeredBy(fAnsLo, t1) - rho*float64(t2) - s.minSent(t1, rho)
	hi := s.sentBy(fSentHi, t2) - rho*float64(t1) - s.minAnswered(t2, rho)
	return band{lo: max(0, lo), hi: max(0, hi)}
}

// minSent is the least of (sent by u) - rho*u over u in [0, t]: the send
// curve's lowest point below the refill line. It is taken just before a send
// or at t itself.
func (s *probe) minSent(t int64, rho float64) float64 {
	c := s.curve(fMinSent)
	return minBelow(c.sends, c.sendCum, c.sendMins(rho), t, rho, &s.fingers[fMinSent])
}

// minAnswered is minSent for the answer curve.
func (s *probe) minAnswered(t int64, rho float64) float64 {
	c := s.curve(fMinAns)
	return minBelow(c.answers, c.ansCum, c.ansMins(rho), t, rho, &s.fingers[fMinAns])
}

func minBelow(ts []int64, cum, mins []float64, t int64, rho float64, finger *int) float64 {
	k := gallop(ts, t, finger)
	return min(mins[k], cum[k]-rho*float64(t))
}

// prefixMins returns mins[k], the least of cum[j] - rho*ts[j] over j < k,
// and 0 (the start, before anything was sent) for k = 0.
func prefixMins(ts []int64, cum []float64, rho float64) []float64 {
	mins := make([]float64, len(ts)+1)
	for j, t := range ts {
		mins[j+1] = min(mins[j], cum[j]-rho*float64(t))
	}
	return mins
}
