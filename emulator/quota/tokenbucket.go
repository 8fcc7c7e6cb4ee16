package quota

import (
	"math"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// tokenBucket holds one window's worth of weighted quota: what it holds is a
// summed cost (limits.Usage.Cost), full at 1.0, that drains continuously at
// 1.0 per window length. A quiet bucket therefore admits a whole window at
// once, and an overloaded one admits at exactly the limit's rate, with no
// bucket edges: the third model of where Key Vault's window starts.
//
// What it holds is kept per class as fractional transactions (held), all
// classes draining in proportion to their share, so that the usage the
// Limiter reads stays a per-class count. That count is each class's held
// amount rounded up: for a single class this is exact (one more fits when
// held <= limit-1, which for whole limits is the same as ceil(held) <=
// limit-1); with several classes at once it is conservative by less than one
// transaction of each class held.
type tokenBucket struct {
	width  time.Duration
	p      *limits.Profile
	factor int // 1 for a vault, the subscription factor for the subscription
	held   map[limits.Class]float64
	last   time.Time // the last advance; zero before the first
	u      limits.Usage
}

func newTokenBucket(width time.Duration, p *limits.Profile, factor int) *tokenBucket {
	return &tokenBucket{width: width, p: p, factor: max(1, factor), held: make(map[limits.Class]float64)}
}

// level is the summed cost held: 1.0 is a full bucket.
func (b *tokenBucket) level() float64 {
	s := 0.0
	for c, h := range b.held {
		s += h / float64(b.p.Limits[c]*b.factor)
	}
	return s
}

// drainedBy returns what each class would hold after d more of draining,
// without changing the bucket.
func (b *tokenBucket) drainedBy(d time.Duration) map[limits.Class]float64 {
	lvl := b.level()
	out := make(map[limits.Class]float64, len(b.held))
	drain := float64(d) / float64(b.width)
	if lvl <= 0 || drain >= lvl {
		return out
	}
	s := 1 - drain/lvl
	for c, h := range b.held {
		out[c] = h * s
	}
	return out
}

// countsOf is the per-class usage of held amounts, each rounded up (a hair of
// float rounding is forgiven so that 99.000000000001 counts as 99, while a
// nanosecond of draining, at least 1e-9 of a transaction at a limit of 10
// per 10 s, still counts).
func countsOf(held map[limits.Class]float64) limits.Usage {
	var u limits.Usage
	for c, h := range held {
		if n := int(math.Ceil(h - 1e-11)); n > 0 {
			u.Add(c, n)
		}
	}
	return u
}

func (b *tokenBucket) advance(now time.Time) {
	if b.last.IsZero() {
		b.last = now
		return
	}
	d := now.Sub(b.last)
	if d <= 0 {
		return
	}
	b.last = now
	b.held = b.drainedBy(d)
	b.u = countsOf(b.held)
}

func (b *tokenBucket) usage() *limits.Usage { return &b.u }

// add records one transaction of class c. A class the profile does not limit
// costs nothing and is counted but never held.
func (b *tokenBucket) add(now time.Time, c limits.Class) {
	if b.last.IsZero() {
		b.last = now
	}
	if b.p.Limits[c] > 0 {
		b.held[c]++
	}
	b.u.Add(c, 1)
}

// fits decides on what the bucket holds, fractions of transactions
// included: one more of class c fits while the summed cost with it is at
// most 1. (The rounded-up counts of usage are for reading: with several
// classes they over-count by up to one transaction of each, and a bucket
// that refused on them would refuse a weighted mix early.)
func (b *tokenBucket) fits(p *limits.Profile, factor int, c limits.Class) bool {
	return heldFits(b.held, p, factor, c)
}

func heldFits(held map[limits.Class]float64, p *limits.Profile, factor int, c limits.Class) bool {
	l := p.Limits[c]
	if l <= 0 {
		return true
	}
	lvl := 0.0
	for k, h := range held {
		if lk := p.Limits[k]; lk > 0 {
			lvl += h / float64(lk*factor)
		}
	}
	return lvl+1/float64(l*factor) <= 1+1e-12
}

// roomAt is exact to the nanosecond: the earliest drain at which one more
// transaction of class c fits (fits), found by bisection (fitting only gets
// easier as the bucket drains).
func (b *tokenBucket) roomAt(now time.Time, p *limits.Profile, factor int, c limits.Class) time.Time {
	fitsAfter := func(d time.Duration) bool {
		return heldFits(b.drainedBy(d), p, factor, c)
	}
	if fitsAfter(0) {
		return now
	}
	// Once drained to empty everything fits; the drain to empty takes the
	// level times the width.
	hi := time.Duration(math.Ceil(b.level()*float64(b.width))) + 1
	lo := time.Duration(0) // does not fit
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if fitsAfter(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return now.Add(hi)
}
