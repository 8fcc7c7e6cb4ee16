package assert

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// The client knows when it sent a request and when the answer came back; the
// target decided somewhere in between, and a busy machine (a slow client, a
// slow target, the race detector) can put tens of milliseconds there. So no
// figure is taken at one instant: every request counts with its interval
// [sent, answered], and a window's figure is a band, from what the window
// certainly held (requests decided in it however their decisions fall) to
// what it possibly held (requests whose interval touches it). A check fails
// only when no placement of the decisions within their intervals agrees with
// the documentation, and passes only when every placement does.

// band is the range of a figure over every placement of the decisions.
type band struct{ lo, hi float64 }

// mid is the middle of the band, the figure a verdict reports as Measured.
func (b band) mid() float64 { return (b.lo + b.hi) / 2 }

// scale multiplies the band by f (from a summed cost to a count, say).
func (b band) scale(f float64) band { return band{b.lo * f, b.hi * f} }

// series holds the successes a figure counts, each with its cost and its
// interval, indexed both by send and by answer time so that what was sent (or
// answered) by any time is a binary search away. Times are nanoseconds from
// the start of the attack.
//
// A request that was neither a success nor a 429 (no answer came back, or
// some other status) may or may not have used quota: the emulator counts a
// request before the operation answers 404, a real vault may count a request
// whose answer was lost. So a series keeps two curves: sure, the successes,
// which is what a window certainly held is read from; and all, the successes
// with those requests added, which is what it possibly held is read from.
type series struct {
	// full is what a full window holds in the series' costs: a class's limit
	// when each success costs 1, or 1.0 when each costs 1/limit.
	full      float64
	sure, all *curve
}

// curve is a set of intervals indexed by send and by answer time.
type curve struct {
	sends, answers []int64
	// sendCum[k] is the summed cost of the first k sends (by send time);
	// ansCum likewise by answer time.
	sendCum, ansCum []float64
	// rho and the prefix minima below the refill line at rho are what the
	// token bucket model reads (models.go), made on first use.
	rho          float64
	sMins, aMins []float64
}

func (c *curve) sendMins(rho float64) []float64 { c.minsAt(rho); return c.sMins }
func (c *curve) ansMins(rho float64) []float64  { c.minsAt(rho); return c.aMins }

func (c *curve) minsAt(rho float64) {
	if c.sMins != nil && c.rho == rho {
		return
	}
	c.rho = rho
	c.sMins = prefixMins(c.sends, c.sendCum, rho)
	c.aMins = prefixMins(c.answers, c.ansCum, rho)
}

// interval is one request a figure counts: its send and answer times and its
// cost. maybe marks a request that may or may not have been admitted; one
// that got no answer at all has answered never, since the target may have
// decided it at any time after it was sent.
type interval struct {
	sent, answered int64
	cost           float64
	maybe          bool
}

// never is the answer time of a request that got no answer.
const never = math.MaxInt64

// newSeries indexes the requests given (in any order), of which full make
// a full window.
func newSeries(items []interval, full float64) *series {
	s := &series{full: full, all: newCurve(items)}
	s.sure = s.all
	if slices.ContainsFunc(items, func(it interval) bool { return it.maybe }) {
		s.sure = newCurve(slices.DeleteFunc(slices.Clone(items), func(it interval) bool { return it.maybe }))
	}
	return s
}

func newCurve(items []interval) *curve {
	c := &curve{
		sends: make([]int64, len(items)), answers: make([]int64, len(items)),
		sendCum: make([]float64, len(items)+1), ansCum: make([]float64, len(items)+1),
	}
	slices.SortFunc(items, func(a, b interval) int { return cmp.Compare(a.sent, b.sent) })
	for i, it := range items {
		c.sends[i] = it.sent
		c.sendCum[i+1] = c.sendCum[i] + it.cost
	}
	slices.SortFunc(items, func(a, b interval) int { return cmp.Compare(a.answered, b.answered) })
	for i, it := range items {
		c.answers[i] = it.answered
		c.ansCum[i+1] = c.ansCum[i] + it.cost
	}
	return c
}

// upTo is the number of times in ts at or before t.
func upTo(ts []int64, t int64) int {
	return sort.Search(len(ts), func(i int) bool { return ts[i] > t })
}

// sentBefore is the cost sent before t.
func (c *curve) sentBefore(t int64) float64 { return c.sendCum[upTo(c.sends, t-1)] }

// answeredBefore is the cost answered before t.
func (c *curve) answeredBefore(t int64) float64 { return c.ansCum[upTo(c.answers, t-1)] }

// between is the band of the cost decided in [from, to): certainly, the
// successes sent at or after from and answered before to; possibly, every
// request that may have been admitted sent before to and answered at or
// after from.
func (s *series) between(from, to int64) band {
	return band{
		lo: max(0, s.sure.answeredBefore(to)-s.sure.sentBefore(from)),
		hi: max(0, s.all.sentBefore(to)-s.all.answeredBefore(from)),
	}
}

// probe asks a series many questions in nearly increasing time order, as the
// checks do: each kind of question keeps a finger where its last answer was
// and gallops from there, so a pass over a run is linear in its length, not
// n log n, however many window models it is judged under.
type probe struct {
	*series
	fingers [6]int
}

func (s *series) probe() *probe { return &probe{series: s} }

// The fingers, one per kind of question. The Lo ones and fMinSent ask what
// a window certainly held, so they read the sure curve; the others ask what
// it possibly held, and read the curve of everything that may have been
// admitted (series).
const (
	fSentLo = iota
	fSentHi
	fAnsLo
	fAnsHi
	fMinSent
	fMinAns
)

// curve is the curve finger f's questions read.
func (p *probe) curve(f int) *curve {
	if f == fSentLo || f == fAnsLo || f == fMinSent {
		return p.sure
	}
	return p.all
}

func (p *probe) sentBy(f int, t int64) float64 {
	c := p.curve(f)
	return c.sendCum[gallop(c.sends, t, &p.fingers[f])]
}
func (p *probe) sentBefore(f int, t int64) float64 {
	c := p.curve(f)
	return c.sendCum[gallop(c.sends, t-1, &p.fingers[f])]
}
func (p *probe) answeredBy(f int, t int64) float64 {
	c := p.curve(f)
	return c.ansCum[gallop(c.answers, t, &p.fingers[f])]
}
func (p *probe) answeredBefore(f int, t int64) float64 {
	c := p.curve(f)
	return c.ansCum[gallop(c.answers, t-1, &p.fingers[f])]
}

// gallop is upTo(ts, t) searched from *finger outward, doubling its steps,
// and leaves the finger at the answer.
func gallop(ts []int64, t int64, finger *int) int {
	n := len(ts)
	i := min(max(*finger, 0), n)
	var lo, hi int
	if i < n && ts[i] <= t { // the answer lies after i
		lo, hi = i+1, i+1
		for step := 1; hi < n && ts[hi] <= t; step *= 2 {
			lo, hi = hi+1, hi+1+step
		}
		hi = min(hi, n)
	} else { // the answer is at most i: ts[i] > t, or i == n
		lo, hi = i, i
		for step := 1; lo > 0 && ts[lo-1] > t; step *= 2 {
			hi, lo = lo-1, max(0, lo-step)
		}
	}
	k := lo + sort.Search(hi-lo, func(j int) bool { return ts[lo+j] > t })
	*finger = k
	return k
}
