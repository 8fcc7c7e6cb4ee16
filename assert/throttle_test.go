package assert_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

var throttleChecks = []scenarios.CheckName{scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle, scenarios.CheckNoThrottle}

func TestNoThrottleBelowTheLimit(t *testing.T) {
	// 5 req/s for 30 s against a limit of 100 per 10 s (10/s): the window
	// peaks at 50 and nothing is throttled.
	s := &stream{}
	s.every(0, 200*time.Millisecond, 150, 200)
	vs := check(t, input(t, limits.Sliding, throttleChecks...), s.seq())
	require.Len(t, vs, 3)

	nt := only(t, vs, scenarios.CheckNoThrottle, limits.Secrets)
	require.True(t, nt.Pass, nt.Detail)
	require.Equal(t, 0.0, nt.Measured)
	require.Nil(t, nt.At)
	require.Contains(t, nt.Detail, "None of 150")

	on := only(t, vs, scenarios.CheckOnset, limits.Secrets)
	require.False(t, on.Pass, "a run that never throttled cannot show the onset")
	require.True(t, on.Inconclusive(), "the run never filled a window: %s", on.Detail)
	require.Equal(t, 50.0, on.Band.Low, "the highest window count the run certainly reached")
	require.Equal(t, 51.0, on.Band.High, "a success sent 10 s before another and answered 5 ms later may have been decided in the same window")
	require.Equal(t, 100.0, on.Expected)
	require.Contains(t, on.Detail, "No 429 was seen")
	require.Contains(t, on.Detail, "may never have filled a window", "a half-full window is the run's shortfall, not the target's")

	ne := only(t, vs, scenarios.CheckNoEarlyThrottle, limits.Secrets)
	require.True(t, ne.Pass, "nothing was throttled, so nothing early")
	require.Equal(t, "429 responses", ne.Unit)
	require.Equal(t, assert.AtMost, ne.Comparison)
	require.Contains(t, ne.Detail, "No 429 was seen")
	require.True(t, (results.Overall([]assert.Verdict{nt, ne}) == results.Passed))
	require.False(t, (results.Overall(vs) == results.Passed))
}

func TestTargetThatNeverThrottlesFailsOnsetAboveTheLimit(t *testing.T) {
	s := &stream{}
	s.every(0, 50*time.Millisecond, 600, 200) // 20/s for 30 s, all let through
	on := only(t, check(t, input(t, limits.Sliding, scenarios.CheckOnset), s.seq()), scenarios.CheckOnset, limits.Secrets)
	require.True(t, on.Failed(), on.Detail)
	require.Equal(t, 200.0, on.Band.Low, "20/s over a 10 s window, certainly")
	require.Greater(t, on.Measured, on.Expected)
	require.Contains(t, on.Detail, "the target never throttled it")
}

func TestThrottledFromTheFirstRequest(t *testing.T) {
	s := &stream{}
	s.every(0, 100*time.Millisecond, 50, 429)
	vs := check(t, input(t, limits.Sliding, throttleChecks...), s.seq())

	on := only(t, vs, scenarios.CheckOnset, limits.Secrets)
	require.False(t, on.Pass)
	require.Equal(t, 0.0, on.Measured)
	require.Equal(t, time.Duration(0), *on.At)

	ne := only(t, vs, scenarios.CheckNoEarlyThrottle, limits.Secrets)
	require.False(t, ne.Pass)
	require.Equal(t, 0.0, ne.Measured)
	require.Equal(t, 100.0, ne.Expected)
	require.Contains(t, ne.Detail, "A 429 came early")

	nt := only(t, vs, scenarios.CheckNoThrottle, limits.Secrets)
	require.False(t, nt.Pass)
	require.Equal(t, 50.0, nt.Measured)
	require.Equal(t, time.Duration(0), *nt.At)
}

func TestOnsetExactlyAtTheLimit(t *testing.T) {
	for _, model := range []limits.WindowModel{limits.Sliding, limits.Fixed} {
		t.Run(string(model), func(t *testing.T) {
			// A target of the same model, offered twice its limit rate.
			s := saturate(model, 20, 40*time.Second)
			vs := check(t, input(t, model, throttleChecks...), s.seq())

			on := only(t, vs, scenarios.CheckOnset, limits.Secrets)
			require.True(t, on.Pass, on.Detail)
			require.Equal(t, 100.0, on.Measured)
			require.Equal(t, 5*time.Second, *on.At, "the 101st request, at 20/s")
			require.Equal(t, "within", on.Comparison)
			require.Equal(t, 0.02, on.Tolerance, "1% and the grain of one transaction in 100")
			require.Equal(t, model, on.Window)

			ne := only(t, vs, scenarios.CheckNoEarlyThrottle, limits.Secrets)
			require.True(t, ne.Pass, ne.Detail)
			require.Equal(t, 100.0, ne.Measured)

			require.False(t, only(t, vs, scenarios.CheckNoThrottle, limits.Secrets).Pass)
		})
	}
}

func TestFixedAndSlidingDisagreeOnTheSameStream(t *testing.T) {
	// A sliding target offered 20/s from 3 s into an epoch bucket admits
	// offsets 0-5 s, refuses 5-10 s, admits 10-15 s... Judged as sliding, every
	// 429 came with a full window. Judged as fixed, the 429s from 7 s (a new
	// epoch bucket) to 10 s came with an empty bucket: that target is not a
	// fixed-window one, and the figures say so.
	s := saturate(limits.Sliding, 20, 30*time.Second)

	sl := only(t, check(t, input(t, limits.Sliding, scenarios.CheckNoEarlyThrottle), s.seq()), scenarios.CheckNoEarlyThrottle, limits.Secrets)
	require.True(t, sl.Pass, sl.Detail)
	require.Equal(t, 100.0, sl.Measured)
	require.Contains(t, sl.Detail, "sliding 10s window ending then")

	// Fixed buckets of any phase: a steady overload from the start looks the
	// same as fixed buckets that begin with the run, so that phase fits.
	fx := only(t, check(t, input(t, limits.Fixed, scenarios.CheckNoEarlyThrottle), s.seq()), scenarios.CheckNoEarlyThrottle, limits.Secrets)
	require.True(t, fx.Pass, fx.Detail)
	require.Equal(t, limits.Fixed, fx.Window)
	require.Equal(t, []string{"fixed@0.000s"}, fx.Models)
	require.Contains(t, fx.Detail, "fixed 10s bucket [0.00 s, 10.00 s)")
}

func TestAFixedTargetFailsSlidingAndPassesAnyModel(t *testing.T) {
	// A fixed-window target refills its whole window at each edge, so a
	// sliding window over its successes holds up to twice the limit: judged
	// as sliding it fails onset, judged under any model it passes as fixed.
	s := saturate(limits.Fixed, 20, 30*time.Second)
	sl := only(t, check(t, input(t, limits.Sliding, scenarios.CheckOnset), s.seq()), scenarios.CheckOnset, limits.Secrets)
	require.True(t, sl.Failed(), sl.Detail)
	require.Contains(t, sl.Detail, "more than the limit allows")

	any := only(t, check(t, input(t, limits.AnyModel, scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle), s.seq()), scenarios.CheckOnset, limits.Secrets)
	require.True(t, any.Pass, any.Detail)
	require.Equal(t, limits.Fixed, any.Window)
	require.Equal(t, []string{"fixed@7.000s"}, any.Models, "the epoch's buckets begin 7 s into the run")
}

func TestOnsetToleranceEdge(t *testing.T) {
	for _, tc := range []struct {
		successes int
		tolerance float64
		pass      bool
	}{
		// Zero in a scenario means the check's default, 1%. Below the limit
		// the onset allows one transaction's grain too (1/100 here: the one
		// success in flight); above it, the tolerance alone, for a right
		// window never holds more.
		{100, 0, true},
		{101, 0, true},
		{102, 0, false},
		{98, 0.01, true},
		{101, 0.01, true},
		{97, 0.01, false},
		{102, 0.01, false},
		{102, 0.02, true},
		{103, 0.02, false},
	} {
		s := &stream{}
		s.every(0, 10*time.Millisecond, tc.successes, 200)
		s.throttled(2 * time.Second)
		in := input(t, limits.Sliding)
		in.Expect = []scenarios.Expectation{{Check: scenarios.CheckOnset, Tolerance: tc.tolerance}}
		v := only(t, check(t, in, s.seq()), scenarios.CheckOnset, limits.Secrets)
		if tc.tolerance == 0 {
			require.Equal(t, assert.DefaultOnsetTolerance+0.01, v.Tolerance)
		}
		require.Equal(t, tc.pass, v.Pass, "%d successes at tolerance %v: %s", tc.successes, tc.tolerance, v.Detail)
		require.Equal(t, float64(tc.successes), v.Measured)
	}
}

func TestNoEarlyThrottleToleranceEdge(t *testing.T) {
	for _, tc := range []struct {
		successes int
		pass      bool
	}{{99, true}, {98, false}, {150, true}} {
		s := &stream{}
		s.every(0, 10*time.Millisecond, tc.successes, 200)
		s.throttled(3 * time.Second)
		v := only(t, check(t, input(t, limits.Sliding, scenarios.CheckNoEarlyThrottle), s.seq()), scenarios.CheckNoEarlyThrottle, limits.Secrets)
		require.Equal(t, tc.pass, v.Pass, "%d: %s", tc.successes, v.Detail)
		require.Equal(t, 3*time.Second, *v.At)
	}
}

func TestNoEarlyThrottleReportsTheLowest429(t *testing.T) {
	s := &stream{}
	s.every(0, 10*time.Millisecond, 100, 200) // 100 successes in the first second
	s.throttled(2 * time.Second)              // window holds 100
	s.throttled(10500 * time.Millisecond)     // window (0.5, 10.5] holds the 50 sent after 0.5 s
	s.throttled(12 * time.Second)             // window holds none
	v := only(t, check(t, input(t, limits.Sliding, scenarios.CheckNoEarlyThrottle), s.seq()), scenarios.CheckNoEarlyThrottle, limits.Secrets)
	require.False(t, v.Pass)
	require.Equal(t, 0.0, v.Measured)
	require.Equal(t, 12*time.Second, *v.At)
	require.Contains(t, v.Detail, "of 3 429s")
}

func TestTheWindowIncludesTheMomentAndExcludesItsStart(t *testing.T) {
	// Sliding (t-W, t]: a success sent exactly W before the 429 no longer
	// counts; one sent at the same instant as the 429 does.
	s := &stream{}
	s.ok(0)
	s.every(time.Second, 10*time.Millisecond, 98, 200)
	s.ok(10 * time.Second)
	s.throttled(10 * time.Second)
	v := only(t, check(t, input(t, limits.Sliding, scenarios.CheckOnset), s.seq()), scenarios.CheckOnset, limits.Secrets)
	require.Equal(t, 99.0, v.Measured, v.Detail)
}

// A request that never reached the target (its dial failed) counts for
// nothing; one whose answer was lost, or that was answered with another
// status, may have been counted, so the window possibly held it.
func TestRequestsWithoutResponseAreNeitherSuccessesNor429s(t *testing.T) {
	s := &stream{}
	s.every(0, 10*time.Millisecond, 100, 200)
	s.every(time.Second, 10*time.Millisecond, 7, 0) // connection refused
	s.throttled(2 * time.Second)
	vs := check(t, input(t, limits.Sliding, scenarios.CheckOnset, scenarios.CheckNoThrottle), s.seq())
	on := only(t, vs, scenarios.CheckOnset, limits.Secrets)
	require.Equal(t, 100.0, on.Measured)
	require.True(t, on.Pass)
	require.Contains(t, on.Detail, "7 request(s) of secrets never reached the target")
	nt := only(t, vs, scenarios.CheckNoThrottle, limits.Secrets)
	require.Equal(t, 1.0, nt.Measured)
	require.Contains(t, nt.Detail, "1 of 108 requests of secrets")

	for _, c := range []struct {
		code uint16
		err  string
		note string
	}{
		{0, "context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "7 request(s) of secrets got no response (timeouts, resets): the target may have counted them"},
		{http.StatusNotFound, "Not Found", "7 request(s) of secrets were answered with a status other than a success or a 429"},
	} {
		s := &stream{}
		s.every(0, 10*time.Millisecond, 93, 200)
		for i := range 7 {
			s.add(time.Second+time.Duration(i)*10*time.Millisecond, "GET", getURL, c.code).Error = c.err
		}
		s.throttled(2 * time.Second)
		on := only(t, check(t, input(t, limits.Sliding, scenarios.CheckOnset), s.seq()), scenarios.CheckOnset, limits.Secrets)
		require.False(t, on.Failed(), "93 successes and 7 that may have been counted: %s", on.Detail)
		require.NotNil(t, on.Band)
		require.Equal(t, results.Band{Low: 93, High: 100}, *on.Band)
		require.Contains(t, on.Detail, c.note)
		// The band is wide because of those 7, not because answers were slow.
		require.True(t, on.Inconclusive(), on.Detail)
		require.Contains(t, on.Detail, "answers took up to 5 ms here against a 10s window, and 7 request(s) of the run that got no answer or were answered neither a success nor a 429 may or may not have used quota, so")
	}
}
