package limits

import "maps"

// epsilon absorbs float rounding when a window is filled exactly to 1, as in the
// documentation's 248/250 + 16/2000 example.
const epsilon = 1e-9

// Usage is what a window holds: how many transactions of each class it admitted.
// It is kept as integer counts rather than a running float so that adding and
// removing transactions (a sliding window) never drifts.
type Usage struct {
	counts map[Class]int
}

// Add records n transactions of class c (n may be negative to remove them).
func (u *Usage) Add(c Class, n int) {
	if u.counts == nil {
		u.counts = make(map[Class]int)
	}
	u.counts[c] += n
	if u.counts[c] <= 0 {
		delete(u.counts, c)
	}
}

// Count returns the transactions of class c held.
func (u *Usage) Count(c Class) int { return u.counts[c] }

// Total returns the transactions of every class held.
func (u *Usage) Total() int {
	t := 0
	for _, n := range u.counts {
		t += n
	}
	return t
}

// Reset empties the usage.
func (u *Usage) Reset() { clear(u.counts) }

// Clone returns an independent copy.
func (u *Usage) Clone() Usage { return Usage{counts: maps.Clone(u.counts)} }

// Cost returns the weighted sum of the usage against p scaled by factor (1 for
// a vault, p.SubscriptionFactor for a subscription): 1.0 means the window is full.
func (u *Usage) Cost(p *Profile, factor int) float64 {
	s := 0.0
	for c, n := range u.counts {
		if l := p.Limits[c]; l > 0 {
			s += float64(n) / float64(l*factor)
		}
	}
	return s
}

// Fits reports whether one more transaction of class c fits in the window under
// weighted enforcement: the summed cost, with it, may not pass 1.
func (u *Usage) Fits(p *Profile, factor int, c Class) bool {
	l := p.Limits[c]
	if l <= 0 {
		return true // a class the profile does not limit
	}
	return u.Cost(p, factor)+1/float64(l*factor) <= 1+epsilon
}
