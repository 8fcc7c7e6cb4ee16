package clientcheck

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// recording builds requests from (offset, status, retry-after) triples of
// one client reading one secret.
type recording []emulator.RequestInfo

func (r *recording) add(app, src string, at time.Duration, status int, retryAfter string) {
	*r = append(*r, emulator.RequestInfo{
		Start: epoch.Add(at), End: epoch.Add(at + time.Millisecond), AppID: app, Source: src,
		Method: http.MethodGet, Path: "/secrets/s", Vault: "emulator", Class: limits.Secrets,
		Status: status, RetryAfter: retryAfter,
	})
}

func judging() Judging {
	return Judging{Profile: limits.MustGet("2021"), Model: limits.Sliding, Instances: 1}
}

func verdict(t *testing.T, f Findings, c scenarios.CheckName) results.Verdict {
	t.Helper()
	for _, v := range f.Verdicts {
		if v.Check == c {
			return v
		}
	}
	require.Failf(t, "no verdict", "%s", c)
	return results.Verdict{}
}

// A client backing off as azcore does (jittered 0.64 s, then 1.9 s) passes;
// the shortest delay is named.
func TestJudgePassesJitteredBackoff(t *testing.T) {
	t.Parallel()
	var r recording
	r.add("app", "127.0.0.1", 0, 200, "")
	r.add("app", "127.0.0.1", 10*time.Millisecond, 429, "")
	r.add("app", "127.0.0.1", 10*time.Millisecond+time.Millisecond+650*time.Millisecond, 429, "")
	r.add("app", "127.0.0.1", 3*time.Second, 200, "")
	f := Judge(r, judging())
	require.Len(t, f.Retries, 2)
	imm := verdict(t, f, CheckImmediateRetry)
	assert.True(t, imm.Pass, imm.Detail)
	assert.InDelta(t, 0.65, imm.Measured, 0.001)
	assert.Equal(t, 1.0, imm.Expected)
	assert.Equal(t, DelayTolerance, imm.Tolerance)
	bo := verdict(t, f, CheckBackoff)
	assert.True(t, bo.Pass, bo.Detail)
	assert.True(t, verdict(t, f, CheckRetryStorm).Pass)
	assert.True(t, verdict(t, f, CheckFootprint).Pass)
	assert.Equal(t, 4.0, verdict(t, f, CheckFootprint).Measured)
}

// A client that retries at once fails, with its delay; one whose second
// retry comes after 1 s (not 2) fails the growth check only.
func TestJudgeFailsImmediateAndFlatRetries(t *testing.T) {
	t.Parallel()
	var r recording
	r.add("hammer", "127.0.0.2", 0, 429, "")
	r.add("hammer", "127.0.0.2", 3*time.Millisecond, 429, "")
	r.add("hammer", "127.0.0.2", 6*time.Millisecond, 200, "")
	f := Judge(r, judging())
	imm := verdict(t, f, CheckImmediateRetry)
	assert.False(t, imm.Pass)
	assert.InDelta(t, 0.002, imm.Measured, 0.0001)
	assert.Contains(t, imm.Detail, "hammer@127.0.0.2")

	var flat recording
	flat.add("flat", "127.0.0.1", 0, 429, "")
	flat.add("flat", "127.0.0.1", 1001*time.Millisecond, 429, "")
	flat.add("flat", "127.0.0.1", 2002*time.Millisecond, 200, "")
	f = Judge(flat, judging())
	assert.True(t, verdict(t, f, CheckImmediateRetry).Pass)
	bo := verdict(t, f, CheckBackoff)
	assert.False(t, bo.Pass)
	assert.Equal(t, 2.0, bo.Expected, "the second retry's step")
}

// Retry-After replaces the guidance's step: waiting it passes, waiting less
// fails even when the guidance's step is met.
func TestJudgeFollowsRetryAfter(t *testing.T) {
	t.Parallel()
	var r recording
	r.add("app", "127.0.0.1", 0, 429, "3")
	r.add("app", "127.0.0.1", 1200*time.Millisecond, 200, "")
	f := Judge(r, judging())
	bo := verdict(t, f, CheckBackoff)
	assert.False(t, bo.Pass)
	assert.Equal(t, 3.0, bo.Expected)
	assert.Contains(t, bo.Detail, "Retry-After")

	var ok recording
	ok.add("app", "127.0.0.1", 0, 429, "3")
	ok.add("app", "127.0.0.1", 3002*time.Millisecond, 200, "")
	assert.True(t, verdict(t, Judge(ok, judging()), CheckBackoff).Pass)
}

// Three clients retrying in the same 100 ms storm, three spread over 0.5 s
// (jitter) do not; the footprint is multiplied by the planned instances.
func TestJudgeStormAndInstances(t *testing.T) {
	t.Parallel()
	spread := func(step time.Duration) recording {
		var r recording
		for i, src := range []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"} {
			r.add("app", src, 0, 429, "")
			r.add("app", src, 1100*time.Millisecond+time.Duration(i)*step, 200, "")
		}
		slices.SortStableFunc(r, func(a, b emulator.RequestInfo) int { return a.Start.Compare(b.Start) })
		return r
	}
	st := verdict(t, Judge(spread(time.Millisecond), judging()), CheckRetryStorm)
	assert.False(t, st.Pass, st.Detail)
	assert.Equal(t, 3.0, st.Measured)
	assert.Equal(t, 2.0, st.Expected)
	r := spread(250 * time.Millisecond)
	st = verdict(t, Judge(r, judging()), CheckRetryStorm)
	assert.True(t, st.Pass, st.Detail)

	var storm recording
	for i := range 5 {
		storm.add("app", "127.0.0.1", time.Duration(i)*time.Millisecond, 429, "")
		storm[i].Path = fmt.Sprintf("/secrets/s%d", i)
	}
	for i := range 5 {
		storm.add("app", "127.0.0.1", 1100*time.Millisecond+time.Duration(i)*time.Millisecond, 200, "")
		storm[len(storm)-1].Path = storm[i].Path
	}
	st = verdict(t, Judge(storm, judging()), CheckRetryStorm)
	assert.False(t, st.Pass)
	assert.Equal(t, 5.0, st.Measured)
	assert.Equal(t, 3.0, st.Expected, "half of five operations, rounded up")

	j := judging()
	j.Instances = 2000
	fp := verdict(t, Judge(r, j), CheckFootprint)
	assert.False(t, fp.Pass)
	assert.Equal(t, 12000.0, fp.Measured, "6 requests in a window x 2000")
	assert.Equal(t, 4000.0, fp.Expected)
}
