package assert_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// laggedRun is a run against a reference target (helpers_test.go) that
// decides each request at a seeded random moment between its sending and its
// answer: the client's send times are not the target's, as on a busy
// machine. before bounds the delay from sending to the decision, after the
// delay from the decision to the answer.
func laggedRun(model limits.WindowModel, limit int, rate float64, d, before, after time.Duration, seed uint64) []*vegeta.Result {
	rnd := rand.New(rand.NewPCG(seed, 7))
	type req struct{ sent, decided, answered time.Duration }
	var reqs []req
	step := time.Duration(float64(time.Second) / rate)
	for at := time.Duration(0); at < d; at += step {
		dec := at + time.Duration(rnd.Int64N(int64(before)+1))
		reqs = append(reqs, req{at, dec, dec + time.Duration(rnd.Int64N(int64(after)+1))})
	}
	order := slices.Clone(reqs)
	slices.SortStableFunc(order, func(a, b req) int { return cmp.Compare(a.decided, b.decided) })
	tg := &target{model: model, limit: limit, window: 10 * time.Second}
	var rs []*vegeta.Result
	for _, r := range order {
		code := uint16(http.StatusOK)
		if !tg.admit(start.Add(r.decided)) {
			code = http.StatusTooManyRequests
		}
		res := &vegeta.Result{Timestamp: start.Add(r.sent), Latency: r.answered - r.sent, Method: "GET", URL: getURL, Code: code,
			Headers: http.Header{"Content-Type": {"application/json; charset=utf-8"}}}
		if code == http.StatusTooManyRequests {
			res.Body = []byte(throttledBody)
		}
		rs = append(rs, res)
	}
	return rs
}

// judgeLagged judges a lagged run of 30 s at 30/s (three times the limit
// rate of 100 per 10 s) on onset, no-early-throttle and goodput.
func judgeLagged(t *testing.T, window limits.WindowModel, rs []*vegeta.Result) []assert.Verdict {
	in := assert.Input{Profile: profile(t), Window: window, Start: start,
		Stages: []scenarios.Span{{Stage: 1, From: 0, To: 30 * time.Second, StartRate: 30, EndRate: 30}},
		Expect: expect(scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle, scenarios.CheckGoodput)}
	vs, err := assert.Check(in, slices.Values(rs))
	require.NoError(t, err)
	require.Len(t, vs, 3)
	return vs
}

func outcomes(vs []assert.Verdict) string {
	var s string
	for _, v := range vs {
		s += fmt.Sprintf("%s %s %s [%v]; ", v.Check, v.Outcome, v.Detail, v.Models)
	}
	return s
}

// A right target never fails, whatever its window model and however late it
// decides within each request's interval; judged under any model the
// documentation allows, it passes when the intervals are short.
func TestARightTargetNeverFailsWhateverTheLag(t *testing.T) {
	for _, model := range []limits.WindowModel{limits.Sliding, limits.Fixed, limits.TokenBucket} {
		for _, lag := range []time.Duration{time.Millisecond, 40 * time.Millisecond, 300 * time.Millisecond} {
			passed := 0
			for seed := range uint64(5) {
				vs := judgeLagged(t, limits.AnyModel, laggedRun(model, 100, 30, 30*time.Second, lag, lag, seed))
				for _, v := range vs {
					require.False(t, v.Failed(), "%s, lag %v, seed %d: %s", model, lag, seed, outcomes(vs))
				}
				if lag == time.Millisecond && assertAllPass(vs) {
					passed++
				}
			}
			if lag == time.Millisecond {
				require.Equal(t, 5, passed, "%s: a right target decided within 2 ms of each send passes", model)
			}
		}
	}
}

func assertAllPass(vs []assert.Verdict) bool {
	for _, v := range vs {
		if !v.Pass {
			return false
		}
	}
	return true
}

// A target whose limit is 5% off never passes: with short intervals it
// fails, and however long the intervals, it is at best inconclusive.
func TestATargetFivePercentOffNeverPasses(t *testing.T) {
	for _, model := range []limits.WindowModel{limits.Sliding, limits.Fixed, limits.TokenBucket} {
		for _, limit := range []int{95, 105} {
			for _, lag := range []time.Duration{time.Millisecond, 40 * time.Millisecond, 300 * time.Millisecond} {
				for seed := range uint64(3) {
					vs := judgeLagged(t, limits.AnyModel, laggedRun(model, limit, 30, 30*time.Second, lag, lag, seed))
					failed := false
					for _, v := range vs {
						failed = failed || v.Failed()
					}
					require.False(t, assertAllPass(vs), "%s limit %d, lag %v, seed %d passed: %s", model, limit, lag, seed, outcomes(vs))
					if lag == time.Millisecond {
						require.True(t, failed, "%s limit %d decided within 2 ms fails: %s", model, limit, outcomes(vs))
					}
				}
			}
		}
	}
}

// Judged under one model, a target of another fails: the figures tell the
// models apart, which is how --window narrows the question.
func TestEachModelFailsTheOthers(t *testing.T) {
	for _, model := range []limits.WindowModel{limits.Sliding, limits.Fixed, limits.TokenBucket} {
		rs := laggedRun(model, 100, 30, 30*time.Second, time.Millisecond, time.Millisecond, 1)
		for _, judged := range []limits.WindowModel{limits.Sliding, limits.Fixed, limits.TokenBucket} {
			vs := judgeLagged(t, judged, rs)
			if judged == model {
				require.True(t, assertAllPass(vs), "%s judged as itself: %s", model, outcomes(vs))
				continue
			}
			if model == limits.Sliding {
				continue // a sliding target's figures fit the other models too (see models.go)
			}
			failed := false
			for _, v := range vs {
				failed = failed || v.Failed()
			}
			require.True(t, failed, "%s judged as %s: %s", model, judged, outcomes(vs))
		}
	}
}

// recast turns every nth success of rs into what mk makes of it: a request
// the target admitted, and so counted, whose answer the client never saw as
// a success.
func recast(rs []*vegeta.Result, n int, mk func(*vegeta.Result)) []*vegeta.Result {
	out := make([]*vegeta.Result, len(rs))
	k := 0
	for i, r := range rs {
		c := *r
		// The last answers stay: a run whose last requests got none is one
		// whose target stopped answering (the answered check).
		if c.Code == http.StatusOK && r.Timestamp.Before(start.Add(25*time.Second)) {
			if k%n == 0 {
				mk(&c)
			}
			k++
		}
		out[i] = &c
	}
	return out
}

// A request that used quota but did not come back a success (the target
// counted it before answering 404, or its answer was lost to a timeout) may
// have been admitted: counting only the successes, a right target whose
// windows held such requests looked as if it throttled early. Such requests
// widen what a window possibly held, so the right target never fails; a
// request that never left the client (its dial failed) cannot have been
// counted, so the same target, which counted them, looks early and fails.
func TestRequestsThatMayHaveUsedQuotaNeverFailARightTarget(t *testing.T) {
	notFound := func(r *vegeta.Result) {
		r.Code, r.Error = http.StatusNotFound, "Not Found"
		r.Body = []byte(`{"error":{"code":"SecretNotFound","message":"not found"}}`)
	}
	lost := func(r *vegeta.Result) {
		r.Code, r.Body, r.Headers = 0, nil, nil
		r.Error = `Get "` + getURL + `": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`
	}
	unsent := func(r *vegeta.Result) {
		r.Code, r.Body, r.Headers = 0, nil, nil
		r.Error = `Get "` + getURL + `": dial tcp 127.0.0.1:8443: connect: connection refused`
	}
	for _, model := range []limits.WindowModel{limits.Sliding, limits.Fixed, limits.TokenBucket} {
		for seed := range uint64(3) {
			rs := laggedRun(model, 100, 30, 30*time.Second, time.Millisecond, time.Millisecond, seed)
			for name, mk := range map[string]func(*vegeta.Result){"404": notFound, "no answer": lost} {
				vs := judgeLagged(t, limits.AnyModel, recast(rs, 7, mk))
				for _, v := range vs {
					require.False(t, v.Failed(), "%s, every 7th admitted answered %s, seed %d: %s", model, name, seed, outcomes(vs))
				}
			}
			vs := judgeLagged(t, limits.AnyModel, recast(rs, 7, unsent))
			require.True(t, slices.ContainsFunc(vs, assert.Verdict.Failed), "%s, every 7th admitted taken for a failed dial, seed %d: %s", model, seed, outcomes(vs))
		}
	}
}
