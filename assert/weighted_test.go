package assert_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

func TestWeightedMixIsJudgedOnItsSummedCost(t *testing.T) {
	// Limits secrets 100, secrets-create 20: 80 GETs (0.8) and 4 PUTs (0.2)
	// fill the window, so the next GET and PUT are refused.
	s := &stream{}
	s.every(0, 10*time.Millisecond, 80, 200)
	for i := range 4 {
		s.add(time.Second+time.Duration(i)*time.Millisecond, "PUT", putURL, 200)
	}
	s.throttled(2 * time.Second)
	s.add(2*time.Second+time.Millisecond, "PUT", putURL, 429)
	in := input(t, limits.Sliding, scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle)
	vs := check(t, in, s.seq())
	require.Len(t, vs, 4, "two checks for two classes")
	require.Equal(t, limits.SecretsCreate, vs[0].Class, "classes in the profile's order")

	for _, c := range []limits.Class{limits.Secrets, limits.SecretsCreate} {
		v := only(t, vs, scenarios.CheckOnset, c)
		require.True(t, v.Pass, v.Detail)
		require.InDelta(t, 1.0, v.Measured, 1e-12)
		require.Equal(t, 1.0, v.Expected)
		require.Equal(t, "window budget (1.0 = full)", v.Unit)
		require.Contains(t, v.Detail, "Weighted enforcement")
		require.Contains(t, v.Detail, "4 secrets-create + 80 secrets")
	}

	ne := only(t, vs, scenarios.CheckNoEarlyThrottle, limits.Secrets)
	require.True(t, ne.Pass, ne.Detail)
	require.InDelta(t, 1.0, ne.Measured, 1e-12)
	require.Equal(t, 1.0, ne.Expected)

	// A target that limits each class on its own would have let more GETs
	// through: judged per class, 80 of 100 is an early 429.
	in.PerClass = true
	v := only(t, check(t, in, s.seq()), scenarios.CheckOnset, limits.Secrets)
	require.False(t, v.Pass)
	require.Equal(t, 80.0, v.Measured)
	require.Equal(t, 100.0, v.Expected)
}

func TestTheDocumentedWeightedExample(t *testing.T) {
	// 248 RSA-4096 HSM GETs plus 16 RSA-2048 HSM GETs fill one window
	// (248/250 + 16/2000 = 1), with the stock 2021 profile and a classifier
	// for key URLs.
	big, small := limits.KeyClass(limits.RSA4096, true, false), limits.KeyClass(limits.RSA2048, true, false)
	classify := func(method, rawURL string) (limits.Class, bool) {
		switch {
		case strings.Contains(rawURL, "/keys/big/"):
			return big, true
		case strings.Contains(rawURL, "/keys/small/"):
			return small, true
		}
		return "", false
	}
	s := &stream{}
	for i := range 248 {
		s.add(time.Duration(i)*time.Millisecond, "GET", "https://127.0.0.1/keys/big/v1", 200)
	}
	for i := range 16 {
		s.add(time.Second+time.Duration(i)*time.Millisecond, "GET", "https://127.0.0.1/keys/small/v1", 200)
	}
	s.add(2*time.Second, "GET", "https://127.0.0.1/keys/small/v1", 429)
	s.add(2*time.Second, "GET", "https://127.0.0.1/keys/big/v1", 429)
	s.add(2*time.Second, "GET", "https://127.0.0.1/unknown", 200)
	vs := check(t, assert.Input{
		Profile: limits.MustGet("2021"), Start: start, Classify: classify,
		Expect: expect(scenarios.CheckOnset),
	}, s.seq())
	require.Len(t, vs, 2)
	for _, v := range vs {
		require.True(t, v.Pass, v.Detail)
		require.InDelta(t, 1.0, v.Measured, 1e-12)
		require.Equal(t, limits.Sliding, v.Window, "the default model")
		require.Contains(t, v.Detail, "1 request(s) could not be classified")
	}
}

func TestWeightedGoodput(t *testing.T) {
	// A 9:1 GET:PUT mix at 20 req/s. The mix's limit rate: one request costs
	// 0.9/100 + 0.1/20 = 0.014, so 1/(10 s * 0.014) = 7.14/s; 20/s is over it.
	// The target admits while the summed cost fits (limits.Usage.Fits).
	p := profile(t)
	var admitted []struct {
		at time.Duration
		c  limits.Class
	}
	var u limits.Usage
	s := &stream{}
	for i := range 800 {
		at := time.Duration(i) * 50 * time.Millisecond
		c, url, method := limits.Secrets, getURL, "GET"
		if i%10 == 9 {
			c, url, method = limits.SecretsCreate, putURL, "PUT"
		}
		for len(admitted) > 0 && admitted[0].at <= at-10*time.Second {
			u.Add(admitted[0].c, -1)
			admitted = admitted[1:]
		}
		code := uint16(429)
		if u.Fits(p, 1, c) {
			u.Add(c, 1)
			admitted = append(admitted, struct {
				at time.Duration
				c  limits.Class
			}{at, c})
			code = 200
		}
		s.add(at, method, url, code)
	}
	in := goodputInput(t, limits.Sliding, overload)
	vs := check(t, in, s.seq())
	require.Len(t, vs, 2)
	for _, v := range vs {
		require.True(t, v.Pass, v.Detail)
		require.InDelta(t, 1.0, v.Measured, 0.02)
		require.Equal(t, "window budget per window (1.0 = full)", v.Unit)
		require.Contains(t, v.Detail, "weighted enforcement")
	}
}

func TestAWeightedRefusalMayLeaveLessThanItsOwnCost(t *testing.T) {
	// Limits secrets 100, secrets-create 20: a PUT costs 0.05 of a window.
	// With 86 GETs and 2 PUTs (0.96) the next PUT does not fit: refusing it
	// is on time, though the window is 4% short of full. With 80 GETs and 2
	// PUTs (0.90) it would have fitted: that refusal is early.
	for _, tc := range []struct {
		gets int
		pass bool
	}{{86, true}, {80, false}} {
		s := &stream{}
		s.every(0, 10*time.Millisecond, tc.gets, 200)
		s.add(time.Second, "PUT", putURL, 200)
		s.add(time.Second+time.Millisecond, "PUT", putURL, 200)
		s.add(2*time.Second, "PUT", putURL, 429)
		vs := check(t, input(t, limits.Sliding, scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle), s.seq())
		for _, c := range []scenarios.CheckName{scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle} {
			v := only(t, vs, c, limits.SecretsCreate)
			require.Equal(t, tc.pass, v.Pass, "%d GETs, %s: %s", tc.gets, c, v.Detail)
			require.InDelta(t, 0.01+0.05, v.Tolerance, 1e-12, "the default tolerance and a PUT's cost")
		}
	}
}

// In a weighted window the dearer class is refused first, and the cheap one
// fits in what it leaves: a cheap class that met no 429 in a window that
// filled passes its onset; one whose window never filled is inconclusive.
func TestTheCheapClassOfAFullWeightedWindowNeedsNo429(t *testing.T) {
	full := &stream{}
	for i := range 10 { // 10 sets: 0.5 of the window
		full.add(time.Duration(i)*10*time.Millisecond, "PUT", putURL, 200)
	}
	full.every(time.Second, 10*time.Millisecond, 50, 200) // 50 gets: the other 0.5
	full.add(2*time.Second, "PUT", putURL, 429)           // a set no longer fits
	in := input(t, limits.Sliding, scenarios.CheckOnset)
	vs := check(t, in, full.seq())
	gets := only(t, vs, scenarios.CheckOnset, limits.Secrets)
	require.True(t, gets.Pass, gets.Detail)
	require.Contains(t, gets.Detail, "refused the dearer classes first")
	sets := only(t, vs, scenarios.CheckOnset, limits.SecretsCreate)
	require.True(t, sets.Pass, sets.Detail)

	half := &stream{}
	for i := range 5 {
		half.add(time.Duration(i)*10*time.Millisecond, "PUT", putURL, 200)
	}
	half.add(time.Second, "GET", getURL, 200)
	half.add(2*time.Second, "PUT", putURL, 429)
	gets = only(t, check(t, in, half.seq()), scenarios.CheckOnset, limits.Secrets)
	require.True(t, gets.Inconclusive(), gets.Detail)
}
