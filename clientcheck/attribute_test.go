package clientcheck

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
)

// inFlight describes a synthetic client: workers calls in flight at once,
// each reading one secret in a loop for span; a call is answered 429 with
// probability throttle and then either retried by its SDK (same request id
// when ids, after an azcore-like jittered 0.64-1.04 s, 1.9-3.1 s, ...,
// until it succeeds) or,
// with giveUp, surfaced to the application, whose loop calls again (a new
// request id) after a few milliseconds.
type inFlight struct {
	workers  int
	ids      bool
	giveUp   bool
	throttle float64
	span     time.Duration
	seed     uint64
}

// truth is the recording and which request truly retried (or re-called
// after) which 429: the later request's index to the 429's, indices into
// reqs.
type truth struct {
	reqs    []emulator.RequestInfo
	retryOf map[int]int
}

func (g inFlight) record() truth {
	rng := rand.New(rand.NewPCG(g.seed, 1))
	type sent struct {
		r   emulator.RequestInfo
		of  int // index in the worker's own list of the 429 it follows, -1
		key int
	}
	var all []sent
	for w := range g.workers {
		at := time.Duration(rng.Int64N(int64(20 * time.Millisecond)))
		prev := -1 // this worker's 429 the next request follows
		call, retryN := 0, 0
		for at < g.span {
			d := 2*time.Millisecond + time.Duration(rng.Int64N(int64(40*time.Millisecond)))
			status := http.StatusOK
			if rng.Float64() < g.throttle {
				status = http.StatusTooManyRequests
			}
			r := emulator.RequestInfo{Start: epoch.Add(at), End: epoch.Add(at + d), AppID: "app", Source: "127.0.0.1",
				Method: http.MethodGet, Path: "/secrets/s", Vault: "emulator", Class: limits.Secrets, Status: status}
			if g.ids {
				r.ClientRequestID = fmt.Sprintf("w%d-c%d", w, call)
			}
			all = append(all, sent{r: r, of: prev, key: len(all)})
			at += d
			switch {
			case status == http.StatusTooManyRequests && !g.giveUp:
				retryN = min(retryN+1, 4)
				prev = len(all) - 1
				first := 800 * time.Millisecond * time.Duration(1<<retryN-1)
				at += time.Duration(float64(first) * (0.8 + 0.5*rng.Float64()))
			case status == http.StatusTooManyRequests && g.giveUp:
				prev, call, retryN = len(all)-1, call+1, 0
				at += time.Duration(1+rng.Int64N(5)) * time.Millisecond
			default:
				prev, call, retryN = -1, call+1, 0
				at += time.Duration(rng.Int64N(int64(5 * time.Millisecond)))
			}
		}
	}
	slices.SortStableFunc(all, func(a, b sent) int { return a.r.Start.Compare(b.r.Start) })
	pos := make(map[int]int, len(all))
	for i, s := range all {
		pos[s.key] = i
	}
	t := truth{retryOf: map[int]int{}}
	for i, s := range all {
		t.reqs = append(t.reqs, s.r)
		if s.of >= 0 {
			t.retryOf[i] = pos[s.of]
		}
	}
	return t
}

// pairs maps each attributed retry back to recorded requests: the retry's
// arrival to its index, its 429's answer to the 429's index.
func pairs(t *testing.T, tr truth, rs []Retry) map[int]int {
	t.Helper()
	t0 := tr.reqs[0].Start
	byStart, byEnd := map[time.Time]int{}, map[time.Time]int{}
	for i, r := range tr.reqs {
		byStart[r.Start], byEnd[r.End] = i, i
	}
	got := map[int]int{}
	for _, r := range rs {
		require.GreaterOrEqual(t, r.Delay, time.Duration(0), "no wait is negative: %s", r.describe(true))
		k, ok := byStart[t0.Add(r.At)]
		require.True(t, ok)
		p, ok := byEnd[t0.Add(r.At-r.Delay)]
		require.True(t, ok)
		require.Equal(t, http.StatusTooManyRequests, tr.reqs[p].Status)
		require.False(t, tr.reqs[k].Start.Before(tr.reqs[p].End), "a retry arrives after its 429 was answered")
		_, twice := got[k]
		require.False(t, twice, "a request is the retry of one 429 at most")
		got[k] = p
	}
	seen := map[int]bool{}
	for _, p := range got {
		require.False(t, seen[p], "a 429 has one retry at most")
		seen[p] = true
	}
	return got
}

// 20 calls in flight with request ids kept across retries (the Azure SDKs'
// way): every retry is found, paired with its own 429, and none is another
// call; the jittered back-off passes.
func TestTwentyInFlightWithRequestIDsPairEveryRetryRight(t *testing.T) {
	t.Parallel()
	tr := inFlight{workers: 20, ids: true, throttle: 0.3, span: 6 * time.Second, seed: 12}.record()
	require.Greater(t, len(tr.retryOf), 50, "the recording has retries to find")
	f := Judge(tr.reqs, judging())
	assert.Equal(t, tr.retryOf, pairs(t, tr, f.Retries))
	assert.Empty(t, f.Recalls)
	require.Len(t, f.Clients, 1)
	assert.Equal(t, ByRequestID, f.Clients[0].Attribution)
	for _, r := range f.Retries {
		assert.Equal(t, ByRequestID, r.By)
		assert.False(t, r.Ambiguous)
	}
	imm := verdict(t, f, CheckImmediateRetry)
	assert.Equal(t, results.Passed, imm.Outcome, imm.Detail)
	assert.GreaterOrEqual(t, imm.Measured, 0.64)
	assert.Contains(t, imm.Detail, fmt.Sprintf("retries attributed %d by client request id, 0 by order of arrival", len(tr.retryOf)))
	assert.Equal(t, results.Passed, verdict(t, f, CheckBackoff).Outcome)
}

// The same 20 calls without request ids: pairing is by order of arrival,
// no wait is negative, no 429 or request is paired twice, and since another
// call was in flight the short pairings may be other calls: the verdict is
// inconclusive with its band, never a failure of a client that backs off.
func TestTwentyInFlightWithoutIDsAreInconclusiveNeverNegative(t *testing.T) {
	t.Parallel()
	tr := inFlight{workers: 20, throttle: 0.3, span: 6 * time.Second, seed: 12}.record()
	f := Judge(tr.reqs, judging())
	got := pairs(t, tr, f.Retries)
	assert.GreaterOrEqual(t, len(got), len(tr.retryOf), "every 429 with a later request is paired")
	assert.Equal(t, ByArrival, f.Clients[0].Attribution)
	imm := verdict(t, f, CheckImmediateRetry)
	require.Equal(t, results.Inconclusive, imm.Outcome, imm.Detail)
	assert.Less(t, imm.Measured, 0.6, "some 429 is paired with another worker's call")
	assert.Contains(t, imm.Detail, "Inconclusive")
	assert.Contains(t, imm.Detail, "x-ms-client-request-id")
	assert.False(t, verdict(t, f, CheckBackoff).Failed())
}

// One call at a time without ids (a loop like hammer's, or the Go SDK's,
// which sends no request id): order of arrival pairs exactly, nothing is
// ambiguous, and the verdict stands.
func TestOneCallAtATimeIsPairedByArrivalExactly(t *testing.T) {
	t.Parallel()
	tr := inFlight{workers: 1, throttle: 0.4, span: 20 * time.Second, seed: 3}.record()
	require.NotEmpty(t, tr.retryOf)
	f := Judge(tr.reqs, judging())
	assert.Equal(t, tr.retryOf, pairs(t, tr, f.Retries))
	for _, r := range f.Retries {
		assert.False(t, r.Ambiguous, r.describe(false))
	}
	assert.Equal(t, results.Passed, verdict(t, f, CheckImmediateRetry).Outcome)
}

// A request sent before a 429 was answered is not its retry, with or
// without ids: the -7.3 ms of the report that asked for this.
func TestAConcurrentCallIsNoRetry(t *testing.T) {
	t.Parallel()
	for _, ids := range []bool{false, true} {
		var r recording
		r.add("app", "127.0.0.1", 0, 429, "")
		r.add("app", "127.0.0.1", 10*time.Millisecond, 200, "")
		r[0].End = epoch.Add(50 * time.Millisecond)
		if ids {
			r[0].ClientRequestID, r[1].ClientRequestID = "a", "b"
		}
		f := Judge(r, judging())
		assert.Empty(t, f.Retries, "ids %v", ids)
		assert.Equal(t, results.Inconclusive, verdict(t, f, CheckImmediateRetry).Outcome)
	}
}

// An SDK that gives up on a 429 (the Azure SDK for JS without Retry-After)
// under an application loop that calls again: new calls, counted apart,
// not retries; back-off was not exercised, and the verdict says so.
func TestNewCallsAfterASurfaced429AreNotRetries(t *testing.T) {
	t.Parallel()
	tr := inFlight{workers: 20, ids: true, giveUp: true, throttle: 0.3, span: 3 * time.Second, seed: 7}.record()
	f := Judge(tr.reqs, judging())
	assert.Empty(t, f.Retries)
	require.NotEmpty(t, f.Recalls)
	got := pairs(t, tr, f.Recalls)
	assert.Len(t, got, len(f.Recalls))
	assert.Equal(t, len(f.Recalls), f.Clients[0].Recalls)
	for k := range got {
		for _, r := range tr.reqs[:k] {
			require.NotEqual(t, r.ClientRequestID, tr.reqs[k].ClientRequestID, "a new call has a new id")
		}
	}
	imm := verdict(t, f, CheckImmediateRetry)
	assert.Equal(t, results.Inconclusive, imm.Outcome)
	assert.Contains(t, imm.Detail, fmt.Sprintf("not retries: %d new calls (a new client request id)", len(f.Recalls)))
	assert.Contains(t, imm.Detail, "--retry-after")
	assert.Greater(t, verdict(t, f, CheckRetryStorm).Measured, 2.0, "new calls count as load in the storm check")
}

// A certain retry (a client making one call at a time) beside ambiguous
// pairings (a client with calls in flight at once and no ids): the figure
// is the band between them, and a band across the tolerance is
// inconclusive, by assert's rule.
func TestSureAndAmbiguousRetriesMakeABand(t *testing.T) {
	t.Parallel()
	var r recording
	r.add("seq", "127.0.0.1", 0, 429, "")
	r.add("seq", "127.0.0.1", 701*time.Millisecond, 200, "")
	r.add("par", "127.0.0.2", 0, 429, "")
	r.add("par", "127.0.0.2", 500*time.Microsecond, 200, "") // in flight with the 429
	r.add("par", "127.0.0.2", 2*time.Millisecond, 200, "")   // another call, or the retry
	slices.SortStableFunc(r, func(a, b emulator.RequestInfo) int { return a.Start.Compare(b.Start) })
	f := Judge(r, judging())
	imm := verdict(t, f, CheckImmediateRetry)
	require.Equal(t, results.Inconclusive, imm.Outcome, imm.Detail)
	require.NotNil(t, imm.Band)
	assert.InDelta(t, 0.001, imm.Band.Low, 1e-6, "the ambiguous pairing: 2 ms after a 429 answered at 1 ms")
	assert.InDelta(t, 0.7, imm.Band.High, 1e-6, "the certain retry")
	assert.Contains(t, imm.Detail, "the figure lies in 0.001-0.700 s")

	// The same certain retry too short: it fails whatever the other pairings.
	r[1].Start = epoch.Add(10 * time.Millisecond)
	slices.SortStableFunc(r, func(a, b emulator.RequestInfo) int { return a.Start.Compare(b.Start) })
	assert.Equal(t, results.Failed, verdict(t, Judge(r, judging()), CheckImmediateRetry).Outcome)
}

// The storm check fails for certain only on evidence: more retries in a
// burst than calls throttled (one call re-sent at once), or more than three
// quarters of at least five calls throttled retrying together; three calls
// meeting, or five of eight, may be chance.
func TestStormNeedsEnoughCalls(t *testing.T) {
	t.Parallel()
	together := func(calls int) recording {
		var r recording
		for i := range calls {
			r.add("app", "127.0.0.1", time.Duration(i)*50*time.Millisecond, 429, "")
			r[len(r)-1].ClientRequestID = fmt.Sprintf("c%d", i)
		}
		for i := range calls {
			r.add("app", "127.0.0.1", 1100*time.Millisecond+time.Duration(i)*time.Millisecond, 200, "")
			r[len(r)-1].ClientRequestID = fmt.Sprintf("c%d", i)
		}
		return r
	}
	three := verdict(t, Judge(together(3), judging()), CheckRetryStorm)
	assert.Equal(t, results.Inconclusive, three.Outcome, three.Detail)
	assert.Contains(t, three.Detail, "fewer than 5 calls throttled")
	six := verdict(t, Judge(together(6), judging()), CheckRetryStorm)
	assert.Equal(t, results.Failed, six.Outcome, six.Detail)
	assert.Equal(t, 6.0, six.Measured)
	assert.Equal(t, 3.0, six.Expected)
	five := together(8)
	for i := 13; i < 16; i++ { // three of the eight retry 0.3 s later
		five[i].Start, five[i].End = five[i].Start.Add(300*time.Millisecond), five[i].End.Add(300*time.Millisecond)
	}
	st8 := verdict(t, Judge(five, judging()), CheckRetryStorm)
	assert.Equal(t, results.Inconclusive, st8.Outcome, st8.Detail)
	assert.Equal(t, 5.0, st8.Measured)
	assert.Contains(t, st8.Detail, "at most 6 of the 8 calls throttled")

	var once recording // one call, re-sent at once: 3 retries of 1 call
	for i := range 4 {
		once.add("app", "127.0.0.1", time.Duration(i)*2*time.Millisecond, 429, "")
	}
	st := verdict(t, Judge(once, judging()), CheckRetryStorm)
	assert.Equal(t, results.Failed, st.Outcome, st.Detail)
	assert.Equal(t, 3.0, st.Measured)
}
