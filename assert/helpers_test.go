package assert_test

import (
	"iter"
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

// bucketStart is a Unix time on a 10 s boundary; runs start 3 s after it so
// that fixed (epoch-aligned) buckets and a window counted from the start of
// the attack disagree, as they do in real runs.
var (
	bucketStart = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	start       = bucketStart.Add(3 * time.Second)
)

const (
	getURL = "https://127.0.0.1:8443/secrets/s-1?api-version=7.5"
	putURL = "https://127.0.0.1:8443/secrets/w-1?api-version=7.5"
)

// throttledBody is the body of a real Key Vault 429 (docs/keyvault.md).
const throttledBody = `{"error":{"code":"Throttled","message":"Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached"}}`

// profile returns the 2021 profile with small limits, so tests are short:
// secrets 100 and secrets-create 20 per 10 s window.
func profile(t testing.TB) *limits.Profile {
	p, err := limits.MustGet("2021").WithOverrides(map[limits.Class]int{limits.Secrets: 100, limits.SecretsCreate: 20})
	require.NoError(t, err)
	return p
}

// stream builds results at given offsets from start.
type stream struct{ rs []*vegeta.Result }

func (s *stream) add(at time.Duration, method, url string, code uint16) *vegeta.Result {
	r := &vegeta.Result{
		Timestamp: start.Add(at), Latency: 5 * time.Millisecond,
		Method: method, URL: url, Code: code,
		Headers: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
	}
	switch {
	case code == 0:
		r.Error = "dial tcp 127.0.0.1:8443: connect: connection refused"
		r.Headers = nil
	case code == http.StatusTooManyRequests:
		r.Error = "429 Too Many Requests"
		r.Body = []byte(throttledBody)
	case code >= 400:
		r.Error = http.StatusText(int(code))
		r.Body = []byte(`{"error":{"code":"SecretNotFound","message":"not found"}}`)
	}
	s.rs = append(s.rs, r)
	return r
}

func (s *stream) ok(at time.Duration) *vegeta.Result { return s.add(at, "GET", getURL, 200) }
func (s *stream) throttled(at time.Duration) *vegeta.Result {
	return s.add(at, "GET", getURL, http.StatusTooManyRequests)
}

// every adds n GETs of the given code, one every step from at.
func (s *stream) every(at, step time.Duration, n int, code uint16) {
	for i := range n {
		s.add(at+time.Duration(i)*step, "GET", getURL, code)
	}
}

func (s *stream) seq() iter.Seq[*vegeta.Result] { return slices.Values(s.rs) }

// shuffled returns the stream in a random order, as a worst case of vegeta's
// completion order.
func (s *stream) shuffled(seed uint64) iter.Seq[*vegeta.Result] {
	rs := slices.Clone(s.rs)
	rand.New(rand.NewPCG(seed, seed)).Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
	return slices.Values(rs)
}

// target is a reference limiter written independently of the package under
// test: it answers a steady stream of requests as a sliding or fixed target
// with one limit would.
type target struct {
	model    limits.WindowModel
	limit    int
	window   time.Duration
	admitted []time.Time
	bucket   int64
	inBucket int
	// tokens and last are the token bucket's: full at limit, refilled at
	// limit per window.
	tokens float64
	last   time.Time
}

func (tg *target) admit(t time.Time) bool {
	if tg.model == limits.TokenBucket {
		if tg.last.IsZero() {
			tg.tokens = float64(tg.limit)
		} else {
			tg.tokens = min(float64(tg.limit), tg.tokens+float64(t.Sub(tg.last))*float64(tg.limit)/float64(tg.window))
		}
		tg.last = t
		if tg.tokens >= 1 {
			tg.tokens--
			return true
		}
		return false
	}
	if tg.model == limits.Fixed {
		b := t.UnixNano() / int64(tg.window)
		if b != tg.bucket {
			tg.bucket, tg.inBucket = b, 0
		}
		if tg.inBucket < tg.limit {
			tg.inBucket++
			return true
		}
		return false
	}
	for len(tg.admitted) > 0 && !tg.admitted[0].After(t.Add(-tg.window)) {
		tg.admitted = tg.admitted[1:]
	}
	if len(tg.admitted) < tg.limit {
		tg.admitted = append(tg.admitted, t)
		return true
	}
	return false
}

// saturate offers GETs at rate per second for d to a target of the model with
// limit 100 per 10 s, and records its answers.
func saturate(model limits.WindowModel, rate float64, d time.Duration) *stream {
	tg := &target{model: model, limit: 100, window: 10 * time.Second}
	s := &stream{}
	step := time.Duration(float64(time.Second) / rate)
	for at := time.Duration(0); at < d; at += step {
		code := uint16(200)
		if !tg.admit(start.Add(at)) {
			code = http.StatusTooManyRequests
		}
		s.add(at, "GET", getURL, code)
	}
	return s
}

// expect lists checks with their default tolerances.
func expect(checks ...scenarios.CheckName) []scenarios.Expectation {
	es := make([]scenarios.Expectation, len(checks))
	for i, c := range checks {
		es[i] = scenarios.Expectation{Check: c}
	}
	return es
}

func input(t testing.TB, model limits.WindowModel, checks ...scenarios.CheckName) assert.Input {
	return assert.Input{Profile: profile(t), Window: model, Start: start, Expect: expect(checks...)}
}

// only returns the verdict of check for class, failing if there is not exactly one.
func only(t testing.TB, vs []assert.Verdict, check scenarios.CheckName, class limits.Class) assert.Verdict {
	t.Helper()
	var found []assert.Verdict
	for _, v := range vs {
		if v.Check == check && v.Class == class {
			found = append(found, v)
		}
	}
	require.Len(t, found, 1, "verdicts of %s for %s", check, class)
	return found[0]
}

func check(t testing.TB, in assert.Input, results iter.Seq[*vegeta.Result]) []assert.Verdict {
	t.Helper()
	vs, err := assert.Check(in, results)
	require.NoError(t, err)
	return vs
}
