package quota

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/limits"
)

func TestTokenBucketAdmitsAFullWindowThenRefillsAtTheLimitRate(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(profile(t, 10, 10), limits.TokenBucket, clk)
	require.Equal(t, limits.TokenBucket, l.Model())
	admitN(t, l, "v", get, 10) // a quiet bucket admits a whole window at once
	d := l.Admit("v", get)
	require.False(t, d.Admitted)
	assert.Equal(t, BucketVault, d.Bucket)
	// 10 per 10 s: one transaction's worth comes back every second, exactly.
	assert.Equal(t, time.Second, d.RetryAfter)

	clk.Advance(time.Second - time.Nanosecond)
	require.False(t, l.Admit("v", get).Admitted, "not a nanosecond early")
	clk.Advance(time.Nanosecond)
	admitN(t, l, "v", get, 1)
	require.False(t, l.Admit("v", get).Admitted, "one second refills one transaction")

	// No bucket edges: 2.5 s later two and a half have come back, so two fit.
	clk.Advance(2500 * time.Millisecond)
	admitN(t, l, "v", get, 2)
	d = l.Admit("v", get)
	require.False(t, d.Admitted)
	assert.Equal(t, 500*time.Millisecond, d.RetryAfter)

	// A refused request uses nothing: a storm of them does not delay the refill.
	for range 50 {
		require.False(t, l.Admit("v", get).Admitted)
	}
	clk.Advance(500 * time.Millisecond)
	admitN(t, l, "v", get, 1)
}

func TestTokenBucketRefillsToOneWindowAndNoMore(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(profile(t, 10, 10), limits.TokenBucket, clk)
	admitN(t, l, "v", get, 4)
	clk.Advance(time.Hour) // a long quiet spell still holds only one window
	admitN(t, l, "v", get, 10)
	assert.False(t, l.Admit("v", get).Admitted)
	u := l.Usage("v")
	assert.Equal(t, 10, u.Count(get))
}

func TestTokenBucketIsWeightedAcrossClasses(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(profile(t, 100, 10), limits.TokenBucket, clk)
	admitN(t, l, "v", get, 50) // half the bucket
	admitN(t, l, "v", set, 5)  // the other half
	assert.False(t, l.Admit("v", get).Admitted)
	d := l.Admit("v", set)
	require.False(t, d.Admitted)
	// Draining 1/10 of the bucket per second, in proportion: after one second
	// 45 gets and 4.5 sets are held (cost 0.9), so a set (0.1) fits again. The
	// decision is on the fractions held, not on their counts rounded up
	// (45 and 5, cost 0.95), which would keep the set out for 2 s.
	assert.Equal(t, time.Second, d.RetryAfter)
	clk.Advance(time.Second)
	admitN(t, l, "v", set, 1)
	assert.False(t, l.Admit("v", set).Admitted, "the bucket is full again")
}

func TestTokenBucketSubscriptionDrainsAtItsOwnFactor(t *testing.T) {
	clk := clock.NewFake(t0)
	p := profile(t, 10, 10)
	p.SubscriptionFactor = 2
	l := New(p, limits.TokenBucket, clk)
	admitN(t, l, "a", get, 10)
	admitN(t, l, "b", get, 10) // the subscription (20) is now full
	d := l.Admit("c", get)
	require.False(t, d.Admitted)
	assert.Equal(t, BucketSubscription, d.Bucket)
	// The subscription refills 20 per 10 s: one every half second.
	assert.Equal(t, 500*time.Millisecond, d.RetryAfter)
	clk.Advance(500 * time.Millisecond)
	admitN(t, l, "c", get, 1)
}

func TestParseWindowModelAcceptsTokenBucket(t *testing.T) {
	m, err := limits.ParseWindowModel("token-bucket")
	require.NoError(t, err)
	assert.Equal(t, limits.TokenBucket, m)
	_, err = limits.ParseWindowModel("leaky")
	assert.ErrorContains(t, err, "token-bucket")
}
