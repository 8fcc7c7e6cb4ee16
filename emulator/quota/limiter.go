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
	"strings"
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
	faults  Faults

	mu     sync.Mutex
	vaults map[string]window // by Faults.vaultKey
	subs   map[string]window // by Faults.subKey
}

// New returns a limiter enforcing p with the given window model, reading time
// from clk. A model other than limits.Fixed or limits.TokenBucket counts as
// limits.Sliding; a subscription factor below 1 counts as 1.
func New(p *limits.Profile, model limits.WindowModel, clk clock.Clock) *Limiter {
	return NewWithFaults(p, model, clk, Faults{})
}

// NewWithFaults is New for a limiter that counts wrong on purpose (see
// Faults).
func NewWithFaults(p *limits.Profile, model limits.WindowModel, clk clock.Clock, f Faults) *Limiter {
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
		faults:  f,
		vaults:  make(map[string]window),
		subs:    make(map[string]window),
	}
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
	w := l.faults.width(l.profile.Window)
	switch l.model {
	case limits.Fixed:
		return &fixedWindow{width: w}
	case limits.TokenBucket:
		return newTokenBucket(w, l.profile, factor)
	}
	return &slidingWindow{width: w}
}

// Admit decides on one transaction of class c against vault, and counts it if
// admitted.
func (l *Limiter) Admit(vault string, c limits.Class) Decision {
	return l.AdmitFrom(vault, "", c)
}

// AdmitFrom is Admit for a transaction made by client (the token's appid).
// A faithful limiter ignores the client: quota is per vault.
func (l *Limiter) AdmitFrom(vault, client string, c limits.Class) Decision {
	c = l.faults.class(c)
	l.mu.Lock()
	defer l.mu.Unlock()
	// The time is read under the lock, so that decisions are made in the
	// order of their times: read before it, a request that waited for the
	// lock would be counted at an earlier time than requests decided before
	// it, which a sliding window has already evicted up to, and on a busy
	// machine the vault admitted more than its limit in some window.
	now := l.clock.Now()
	v := bucket(l.vaults, l.faults.vaultKey(vault, client, c), func() window { return l.newWindow(1) })
	sub := bucket(l.subs, l.faults.subKey(c), func() window { return l.newWindow(l.subFac) })
	v.advance(now)
	sub.advance(now)
	vaultFits := v.fits(l.profile, 1, c)
	subFits := sub.fits(l.profile, l.subFac, c)
	if vaultFits && subFits || l.faults.CountRefused {
		v.add(now, c)
		sub.add(now, c)
	}
	if vaultFits && subFits {
		return Decision{Admitted: true, At: now}
	}
	d := Decision{Bucket: BucketSubscription, At: now}
	if !vaultFits {
		d.Bucket = BucketVault
		d.RetryAfter = v.roomAt(now, l.profile, 1, c).Sub(now)
	}
	if !subFits {
		d.RetryAfter = max(d.RetryAfter, sub.roomAt(now, l.profile, l.subFac, c).Sub(now))
	}
	return d
}

// bucket returns m[key], made by mk if there is none yet.
func bucket(m map[string]window, key string, mk func() window) window {
	w, ok := m[key]
	if !ok {
		w = mk()
		m[key] = w
	}
	return w
}

// sumOf adds up what the buckets of m whose key is key, or starts with key and
// a fault's separator, hold at now: the whole vault or subscription, however
// Faults split it.
func sumOf(m map[string]window, key string, now time.Time) limits.Usage {
	var u limits.Usage
	for k, w := range m {
		if k != key && !strings.HasPrefix(k, key+"\x00") && key != "" {
			continue
		}
		w.advance(now)
		held := w.usage()
		for _, c := range limits.AllClasses() {
			if n := held.Count(c); n > 0 {
				u.Add(c, n)
			}
		}
	}
	return u
}

// Usage returns what vault's current window holds (a copy).
func (l *Limiter) Usage(vault string) limits.Usage {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	return sumOf(l.vaults, vault, now)
}

// SubscriptionUsage returns what the subscription's current window holds (a
// copy).
func (l *Limiter) SubscriptionUsage() limits.Usage {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	return sumOf(l.subs, "", now)
}

// Reset empties every bucket, as if no transaction had ever been made.
func (l *Limiter) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.vaults)
	clear(l.subs)
}
