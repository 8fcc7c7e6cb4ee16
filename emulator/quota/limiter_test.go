package quota

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/limits"
)

// t0 is three seconds into an epoch-aligned 10 s bucket.
var t0 = time.Date(2026, 3, 1, 12, 0, 3, 0, time.UTC)

const get, set = limits.Secrets, limits.SecretsCreate

// profile returns the 2021 profile with the given secret limits.
func profile(t *testing.T, gets, sets int) *limits.Profile {
	t.Helper()
	p, err := limits.MustGet("2021").WithOverrides(map[limits.Class]int{get: gets, set: sets})
	require.NoError(t, err)
	return p
}

func admitN(t *testing.T, l *Limiter, vault string, c limits.Class, n int) {
	t.Helper()
	for i := range n {
		d := l.Admit(vault, c)
		require.True(t, d.Admitted, "request %d of %d", i+1, n)
		require.Zero(t, d.RetryAfter)
		require.Empty(t, d.Bucket)
	}
}

func TestSlidingFreesOneSlotWhenTheOldestEventLeaves(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(profile(t, 5, 5), limits.Sliding, clk)
	for range 5 { // one request a second: t0, t0+1s, ... t0+4s
		admitN(t, l, "v", get, 1)
		clk.Advance(time.Second)
	}
	// now t0+5s: the window holds five.
	d := l.Admit("v", get)
	assert.False(t, d.Admitted)
	assert.Equal(t, BucketVault, d.Bucket)
	assert.Equal(t, 5*time.Second, d.RetryAfter, "the t0 event leaves at t0+10s")

	for range 10 { // a burst of refusals uses no quota
		require.False(t, l.Admit("v", get).Admitted)
	}
	clk.Set(t0.Add(10*time.Second - time.Nanosecond))
	d = l.Admit("v", get)
	require.False(t, d.Admitted, "not a nanosecond early")
	assert.Equal(t, time.Nanosecond, d.RetryAfter)

	clk.Set(t0.Add(10 * time.Second))
	admitN(t, l, "v", get, 1)
	d = l.Admit("v", get)
	assert.False(t, d.Admitted, "only one slot was freed")
	assert.Equal(t, time.Second, d.RetryAfter, "the t0+1s event leaves at t0+11s")
	assert.Equal(t, 5, usageTotal(l, "v"))
}

func usageTotal(l *Limiter, vault string) int {
	u := l.Usage(vault)
	return u.Total()
}

func subTotal(l *Limiter) int {
	u := l.SubscriptionUsage()
	return u.Total()
}

func TestFixedFreesEverythingAtTheBucketBoundaryButNotBefore(t *testing.T) {
	clk := clock.NewFake(t0) // bucket [12:00:00, 12:00:10)
	l := New(profile(t, 5, 5), limits.Fixed, clk)
	admitN(t, l, "v", get, 5)
	d := l.Admit("v", get)
	assert.False(t, d.Admitted)
	assert.Equal(t, BucketVault, d.Bucket)
	assert.Equal(t, 7*time.Second, d.RetryAfter, "until 12:00:10")

	clk.Set(time.Date(2026, 3, 1, 12, 0, 9, 999999999, time.UTC))
	d = l.Admit("v", get)
	assert.False(t, d.Admitted, "a nanosecond before the boundary the bucket is still full")
	assert.Equal(t, time.Nanosecond, d.RetryAfter)

	clk.Set(time.Date(2026, 3, 1, 12, 0, 10, 0, time.UTC))
	admitN(t, l, "v", get, 5) // the whole limit again, at once
	assert.False(t, l.Admit("v", get).Admitted)
	assert.Equal(t, 5, usageTotal(l, "v"), "refused requests used nothing")
}

func TestSlidingAllowsNoMoreThanTheLimitInAnyWindowAcrossABoundary(t *testing.T) {
	// Where a fixed window would allow 2N around a boundary, a sliding one
	// allows N.
	for model, want := range map[limits.WindowModel]int{limits.Fixed: 10, limits.Sliding: 5} {
		clk := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 9, 0, time.UTC))
		l := New(profile(t, 5, 5), model, clk)
		n := 0
		for range 20 {
			if l.Admit("v", get).Admitted {
				n++
			}
			clk.Advance(100 * time.Millisecond) // 12:00:09.0 .. 12:00:10.9
		}
		assert.Equal(t, want, n, model)
	}
}

func TestWeightedMixesShareTheWindow(t *testing.T) {
	// The documentation's example: 248 RSA-4096 HSM GETs plus 16 RSA-2048 HSM
	// GETs fill one window exactly.
	for _, model := range []limits.WindowModel{limits.Sliding, limits.Fixed} {
		l := New(limits.MustGet("2021"), model, clock.NewFake(t0))
		big := limits.KeyClass(limits.RSA4096, true, false)
		small := limits.KeyClass(limits.RSA2048, true, false)
		admitN(t, l, "v", big, 248)
		admitN(t, l, "v", small, 16)
		assert.False(t, l.Admit("v", small).Admitted, model)
		assert.False(t, l.Admit("v", big).Admitted, model)
		assert.False(t, l.Admit("v", get).Admitted, "every class shares the sum: %s", model)
		u := l.Usage("v")
		assert.Equal(t, 248, u.Count(big))
		assert.Equal(t, 16, u.Count(small))
	}

	// Secrets in the 2021 text: 150 sets (half of 300) and 2000 gets (half of
	// 4000) fill the window.
	l := New(limits.MustGet("2021"), limits.Sliding, clock.NewFake(t0))
	admitN(t, l, "v", set, 150)
	admitN(t, l, "v", get, 2000)
	assert.False(t, l.Admit("v", get).Admitted)
	assert.False(t, l.Admit("v", set).Admitted)
}

func TestSlidingRetryAfterIsUntilEnoughWeightLeaves(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(profile(t, 4, 2), limits.Sliding, clk) // a get weighs 1/4, a set 1/2
	admitN(t, l, "v", get, 1)                       // t0
	clk.Advance(time.Second)
	admitN(t, l, "v", set, 1) // t0+1
	clk.Advance(time.Second)
	admitN(t, l, "v", get, 1) // t0+2: full (1/4+1/2+1/4)
	clk.Advance(time.Second)  // t0+3

	d := l.Admit("v", get)
	require.False(t, d.Admitted)
	assert.Equal(t, 7*time.Second, d.RetryAfter, "a get fits once the t0 get leaves at t0+10")
	d = l.Admit("v", set)
	require.False(t, d.Admitted)
	assert.Equal(t, 8*time.Second, d.RetryAfter, "a set needs the t0+1 set gone too, at t0+11")

	assert.Equal(t, 3, usageTotal(l, "v"), "computing RetryAfter leaves the usage as it was")
	clk.Set(t0.Add(10 * time.Second))
	admitN(t, l, "v", get, 1)
	assert.False(t, l.Admit("v", set).Admitted)
}

func TestTheSubscriptionIsSharedByEveryVault(t *testing.T) {
	clk := clock.NewFake(t0)
	p := profile(t, 5, 5) // a subscription holds 5 x 5 = 25 gets
	require.Equal(t, 5, p.SubscriptionFactor)
	l := New(p, limits.Fixed, clk)
	for _, v := range []string{"a", "b", "c", "d", "e"} {
		admitN(t, l, v, get, 5)
	}
	d := l.Admit("f", get)
	assert.False(t, d.Admitted, "vault f is empty but the subscription is full")
	assert.Equal(t, BucketSubscription, d.Bucket)
	assert.Equal(t, 7*time.Second, d.RetryAfter)
	assert.Equal(t, 0, usageTotal(l, "f"))
	assert.Equal(t, 25, subTotal(l))

	d = l.Admit("a", get)
	assert.False(t, d.Admitted)
	assert.Equal(t, BucketVault, d.Bucket, "a full vault is named even when the subscription is full too")

	clk.Advance(7 * time.Second)
	admitN(t, l, "f", get, 5)
}

func TestRetryAfterIsTheLaterOfTwoFullBuckets(t *testing.T) {
	clk := clock.NewFake(t0)
	p := profile(t, 2, 2)
	p.SubscriptionFactor = 2 // subscription: 4 gets
	l := New(p, limits.Sliding, clk)
	admitN(t, l, "a", get, 2) // t0: a full; subscription at 2
	clk.Advance(5 * time.Second)
	admitN(t, l, "b", get, 2) // t0+5: b full, subscription full
	clk.Advance(time.Second)  // t0+6

	d := l.Admit("b", get)
	require.False(t, d.Admitted)
	assert.Equal(t, BucketVault, d.Bucket)
	assert.Equal(t, 9*time.Second, d.RetryAfter, "b has room at t0+15; the subscription earlier, at t0+10")

	d = l.Admit("c", get)
	assert.Equal(t, BucketSubscription, d.Bucket)
	assert.Equal(t, 4*time.Second, d.RetryAfter)
}

func TestResetEmptiesEveryBucket(t *testing.T) {
	for _, model := range []limits.WindowModel{limits.Sliding, limits.Fixed} {
		l := New(profile(t, 3, 3), model, clock.NewFake(t0))
		admitN(t, l, "a", get, 3)
		require.False(t, l.Admit("a", get).Admitted)
		l.Reset()
		assert.Equal(t, 0, usageTotal(l, "a"))
		assert.Equal(t, 0, subTotal(l))
		admitN(t, l, "a", get, 3)
	}
}

func TestConcurrentAdmitsNeverOvershoot(t *testing.T) {
	for _, model := range []limits.WindowModel{limits.Sliding, limits.Fixed} {
		l := New(profile(t, 100, 100), model, clock.NewFake(t0))
		var admitted atomic.Int64
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					if l.Admit("v", get).Admitted {
						admitted.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		assert.EqualValues(t, 100, admitted.Load(), model)
	}
}

func TestUnknownModelsCountAsSliding(t *testing.T) {
	assert.Equal(t, limits.Sliding, New(profile(t, 1, 1), "", nil).Model())
	assert.Equal(t, limits.Sliding, New(profile(t, 1, 1), "bogus", nil).Model())
	assert.Equal(t, limits.Fixed, New(profile(t, 1, 1), limits.Fixed, nil).Model())
}

func TestBucketsAreAlignedToTheUnixEpoch(t *testing.T) {
	for _, tc := range []struct {
		at    time.Time
		width time.Duration
		want  time.Time
	}{
		{time.Unix(15, 0), 10 * time.Second, time.Unix(10, 0)},
		{time.Unix(15, 0), 7 * time.Second, time.Unix(14, 0)},
		{time.Unix(14, 0), 7 * time.Second, time.Unix(14, 0)},
		{time.Unix(-1, 0), 10 * time.Second, time.Unix(-10, 0)},
		{time.Unix(-10, 0), 10 * time.Second, time.Unix(-10, 0)},
	} {
		assert.True(t, tc.want.Equal(bucketStart(tc.at, tc.width)), "%v/%v", tc.at.Unix(), tc.width)
	}
}

func TestAdmitDoesNotAllocateOnceWarm(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(limits.MustGet("2021"), limits.Sliding, clk)
	for range 200 {
		l.Admit("v", get)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		clk.Advance(time.Millisecond)
		l.Admit("v", get)
	})
	assert.LessOrEqual(t, allocs, 0.1, "the ring buffer grows rarely; nothing else allocates")
}
