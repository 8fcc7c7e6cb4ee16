// Package quota is the emulated vault's throttle: windowed, weighted accounting
// of transactions per vault and per subscription, enforcing a limits.Profile.
//
// Every request is counted against its vault's bucket (the profile's limits)
// and against the one subscription bucket that all vaults of an emulator share
// (the limits times the profile's SubscriptionFactor). A request is admitted
// only if both have room under weighted enforcement (limits.Usage.Fits), and
// then it uses room in both; a refused request uses none, as the
// documentation says of Key Vault's 429s.
package quota

import (
	"sync"
	"time"

	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/limits"
)

// The buckets a Decision can name.
const (
	BucketVault        = "vault"
	BucketSubscription = "subscription"
)

// Decision is the answer for one request.
type Decision struct {
	// Admitted is true when the request may proceed (and has been counted).
	Admitted bool
	// Bucket names the bucket that refused: BucketVault, or BucketSubscription
	// when the vault had room but the subscription did not. Empty if admitted.
	Bucket string
	// RetryAfter is how long until the request would be admitted if nothing
	// else arrived: until every full bucket has room for one more transaction
	// of its class. Zero if admitted.
	RetryAfter time.Duration
	// At is the moment the decision was made, by the limiter's clock.
	// Decisions are made one at a time in the order of their At.
	At time.Time
}

// Limiter enforces a profile over time. It is safe for concurrent use.
type Limiter struct {
	profile *limits.Profile
	model   limits.WindowModel
	clock   clock.Clock
	subFac  int

	mu     sync.Mutex
	vaults map[string]window
	sub    window
}

// New returns a limiter enforcing p with the given window model, reading time
// from clk. A model other than limits.Fixed or limits.TokenBucket counts as
// limits.Sliding; a subscription factor below 1 counts as 1.
func New(p *limits.Profile, model limits.WindowModel, clk clock.Clock) *Limiter {
	if clk == nil {
		clk = clock.Real()
	}
	if model != limits.Fixed && model != limits.TokenBucket {
		model = limits.Sliding
	}
	l := &Limiter{
		profile: p,
		model:   model,
		clock:   clk,
		subFac:  max(1, p.SubscriptionFactor),
		vaults:  make(map[string]window),
	}
	l.sub = l.newWindow(l.subFac)
	return l
}

// Model returns the window model enforced.
func (l *Limiter) Model() limits.WindowModel { return l.model }

// Profile returns the profile enforced.
func (l *Limiter) Profile() *limits.Profile { return l.profile }

// newWindow returns an empty bucket of the limiter's model; factor is the
// bucket's multiple of the limits (1 for a vault), which a token bucket needs
// to know how fast it drains.
func (l *Limiter) newWindow(factor int) window {
	switch l.model {
	case limits.Fixed:
		return &fixedWindow{width: l.profile.Window}
	case limits.TokenBucket:
		return newTokenBucket(l.profile.Window, l.profile, factor)
	}
	return &slidingWindow{width: l.profile.Window}
}

// Admit decides on one transaction of class c against vault, and counts it if
// admitted.
func (l *Limiter) Admit(vault string, c limits.Class) Decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	// The clock is read under the lock, so decisions happen in the order of
	// their times and a record of them replays exactly.
	now := l.clock.Now()
	v, ok := l.vaults[vault]
	if !ok {
		v = l.newWindow(1)
		l.vaults[vault] = v
	}
	v.advance(now)
	l.sub.advance(now)
	vaultFits := v.fits(l.profile, 1, c)
	subFits := l.sub.fits(l.profile, l.subFac, c)
	if vaultFits && subFits {
		v.add(now, c)
		l.sub.add(now, c)
		return Decision{Admitted: true, At: now}
	}
	d := Decision{Bucket: BucketSubscription, At: now}
	if !vaultFits {
		d.Bucket = BucketVault
		d.RetryAfter = v.roomAt(now, l.profile, 1, c).Sub(now)
	}
	if !subFits {
		d.RetryAfter = max(d.RetryAfter, l.sub.roomAt(now, l.profile, l.subFac, c).Sub(now))
	}
	return d
}

// Usage returns what vault's current window holds (a copy).
func (l *Limiter) Usage(vault string) limits.Usage {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	v, ok := l.vaults[vault]
	if !ok {
		return limits.Usage{}
	}
	v.advance(now)
	return v.usage().Clone()
}

// SubscriptionUsage returns what the subscription's current window holds (a
// copy).
func (l *Limiter) SubscriptionUsage() limits.Usage {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sub.advance(now)
	return l.sub.usage().Clone()
}

// Reset empties every bucket, as if no transaction had ever been made.
func (l *Limiter) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.vaults)
	l.sub = l.newWindow(l.subFac)
}
