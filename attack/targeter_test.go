package attack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/scenarios"
)

const vault = "https://kv.example.test"

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func mustParse(t *testing.T, yaml string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Parse("t.yaml", []byte(yaml))
	require.NoError(t, err)
	return s
}

// countingTokens hands out a new token on every call, like a source that
// refreshes, so a test can see that each request asked for its own.
type countingTokens struct{ n atomic.Int64 }

func (c *countingTokens) Token(context.Context) (string, error) {
	return fmt.Sprintf("tok-%d", c.n.Add(1)), nil
}

func next(t *testing.T, tr vegeta.Targeter) vegeta.Target {
	t.Helper()
	var tgt vegeta.Target
	require.NoError(t, tr(&tgt))
	return tgt
}

const everyOp = `
seed: 42
setup:
  - {op: set-secret, name: "r-{i}", count: 4, size: 8}
  - {op: set-secret, name: "d-{i}", count: 3}
  - {op: set-secret, name: v, count: 2}
stages: [{duration: 1s, rate: 10}]
mix:
  - {op: get-secret, name: "r-{i}", count: 4}
  - {op: set-secret, name: "w-{i}", count: 2, size: 100}
  - {op: list-secrets, max-results: 5}
  - {op: list-secret-versions, name: v}
  - {op: delete-secret, name: "d-{i}", count: 3}
`

func TestTargetsAreKeyVaultRequests(t *testing.T) {
	t.Parallel()
	s := mustParse(t, everyOp)
	tokens := &countingTokens{}
	tr, err := NewTargeter(vault+"/", s, tokens, WithTargetAPIVersion("7.4"))
	require.NoError(t, err)

	seen := map[string]int{}
	deletes := []string{}
	lastToken := 0
	for range 2000 {
		tgt := next(t, tr)
		u, err := url.Parse(tgt.URL)
		require.NoError(t, err)
		assert.Equal(t, "kv.example.test", u.Host)
		q := u.Query()
		assert.Equal(t, "7.4", q.Get("api-version"))

		// A fresh token for every request: the source is asked each time.
		var n int
		_, err = fmt.Sscanf(tgt.Header.Get("Authorization"), "Bearer tok-%d", &n)
		require.NoError(t, err)
		assert.Equal(t, lastToken+1, n)
		lastToken = n
		assert.Regexp(t, uuidV4, tgt.Header.Get("x-ms-client-request-id"))
		assert.Equal(t, DefaultUserAgent, tgt.Header.Get("User-Agent"))

		op := ""
		switch {
		case tgt.Method == http.MethodGet && regexp.MustCompile(`^/secrets/r-[0-3]$`).MatchString(u.Path):
			op = "get"
		case tgt.Method == http.MethodPut && regexp.MustCompile(`^/secrets/w-[01]$`).MatchString(u.Path):
			op = "set"
			assert.Equal(t, "application/json", tgt.Header.Get("Content-Type"))
			var body map[string]string
			require.NoError(t, json.Unmarshal(tgt.Body, &body))
			assert.Len(t, body["value"], 100)
			assert.Len(t, body, 1)
		case tgt.Method == http.MethodGet && u.Path == "/secrets":
			op = "list"
			assert.Equal(t, "5", q.Get("maxresults"))
		case tgt.Method == http.MethodGet && u.Path == "/secrets/v/versions":
			op = "versions"
			assert.Empty(t, q.Get("maxresults"))
		case tgt.Method == http.MethodDelete && strings.HasPrefix(u.Path, "/secrets/d-"):
			op = "delete"
			deletes = append(deletes, strings.TrimPrefix(u.Path, "/secrets/"))
		default:
			t.Fatalf("unexpected request %s %s", tgt.Method, tgt.URL)
		}
		if op != "set" {
			assert.Nil(t, tgt.Body, op)
			assert.Empty(t, tgt.Header.Get("Content-Type"), op)
		}
		seen[op]++
	}
	assert.Len(t, seen, 5, "every operation is drawn")
	// Deletes go through their names in order, wrapping round.
	require.GreaterOrEqual(t, len(deletes), 6)
	assert.Equal(t, []string{"d-0", "d-1", "d-2", "d-0", "d-1", "d-2"}, deletes[:6])
}

func TestOperationDistributionMatchesWeights(t *testing.T) {
	t.Parallel()
	s := mustParse(t, `
setup: [{op: set-secret, name: "r-{i}", count: 50}]
stages: [{duration: 1s, rate: 10}]
mix:
  - {op: get-secret, weight: 5, name: "r-{i}", count: 50}
  - {op: set-secret, weight: 3, name: "w-{i}", count: 10}
  - {op: list-secrets, weight: 2}
`)
	tr, err := NewTargeter(vault, s, nil)
	require.NoError(t, err)
	const draws = 10_000
	methods := map[string]int{}
	names := map[string]int{}
	for range draws {
		tgt := next(t, tr)
		u, _ := url.Parse(tgt.URL)
		key := tgt.Method
		if u.Path == "/secrets" {
			key = "LIST"
		}
		methods[key]++
		if tgt.Method == http.MethodGet && u.Path != "/secrets" {
			names[u.Path]++
		}
		assert.Empty(t, tgt.Header.Get("Authorization"), "no token source, no token")
	}
	// Binomial standard deviations are at most 50 in 10000 draws; allow 4.
	assert.InDelta(t, 5000, methods[http.MethodGet], 200)
	assert.InDelta(t, 3000, methods[http.MethodPut], 200)
	assert.InDelta(t, 2000, methods["LIST"], 200)
	// {i} is uniform over 0..49: about 100 draws each (sd 10).
	require.Len(t, names, 50)
	for n, c := range names {
		assert.InDelta(t, methods[http.MethodGet]/50, c, 45, n)
	}
}

func TestSameSeedSameSequence(t *testing.T) {
	t.Parallel()
	seq := func(seed int64) []string {
		s := mustParse(t, everyOp)
		s.Seed = seed
		tr, err := NewTargeter(vault, s, nil)
		require.NoError(t, err)
		var out []string
		for range 500 {
			tgt := next(t, tr)
			out = append(out, tgt.Method+" "+tgt.URL+" "+string(tgt.Body))
		}
		return out
	}
	a, b, c := seq(42), seq(42), seq(43)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)

	// Request ids are not part of the sequence: they are new every time.
	tr, err := NewTargeter(vault, mustParse(t, everyOp), nil)
	require.NoError(t, err)
	assert.NotEqual(t, next(t, tr).Header.Get("x-ms-client-request-id"), next(t, tr).Header.Get("x-ms-client-request-id"))
}

func TestTargeterIsSafeForVegetasGoroutines(t *testing.T) {
	t.Parallel()
	s := mustParse(t, everyOp)
	tokens := &countingTokens{}
	tr, err := NewTargeter(vault, s, tokens)
	require.NoError(t, err)

	const workers, each = 16, 500
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		all  = map[string]int{}
		errs atomic.Int64
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := map[string]int{}
			for range each {
				var tgt vegeta.Target
				if err := tr(&tgt); err != nil || !strings.HasPrefix(tgt.URL, vault+"/secrets") {
					errs.Add(1)
					continue
				}
				got[tgt.Method+" "+tgt.URL+" "+string(tgt.Body)]++
			}
			mu.Lock()
			defer mu.Unlock()
			for k, v := range got {
				all[k] += v
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, errs.Load())
	assert.Equal(t, int64(workers*each), tokens.n.Load())

	// However the goroutines interleave, together they drew the sequence one
	// goroutine would have.
	one, err := NewTargeter(vault, s, nil)
	require.NoError(t, err)
	want := map[string]int{}
	for range workers * each {
		tgt := next(t, one)
		want[tgt.Method+" "+tgt.URL+" "+string(tgt.Body)]++
	}
	assert.Equal(t, want, all)
}

func TestTokenErrorsStopTheAttackWithoutLeakingTheToken(t *testing.T) {
	t.Parallel()
	s := mustParse(t, everyOp)
	tr, err := NewTargeter(vault, s, TokenFunc(func(context.Context) (string, error) {
		return "", errors.New("token endpoint answered 401")
	}))
	require.NoError(t, err)
	var tgt vegeta.Target
	err = tr(&tgt)
	assert.EqualError(t, err, "getting a bearer token: token endpoint answered 401")

	const secret = "eyJ0eXAi.secret\r\nX-Injected: 1"
	tr, err = NewTargeter(vault, s, TokenFunc(func(context.Context) (string, error) { return secret, nil }))
	require.NoError(t, err)
	err = tr(&tgt)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret")
	assert.Contains(t, err.Error(), "cannot go in a header")

	tr, err = NewTargeter(vault, s, TokenFunc(func(context.Context) (string, error) { return "", nil }))
	require.NoError(t, err)
	assert.ErrorContains(t, tr(&tgt), "empty token")

	// The context of WithTargetContext reaches the token source.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr, err = NewTargeter(vault, s, TokenFunc(func(ctx context.Context) (string, error) { return "t", ctx.Err() }), WithTargetContext(ctx))
	require.NoError(t, err)
	assert.ErrorIs(t, tr(&tgt), context.Canceled)

	assert.Equal(t, vegeta.ErrNilTarget, tr(nil))
}

func TestNewTargeterRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := mustParse(t, everyOp)
	for _, base := range []string{"", "vault", "ftp://kv", "https://", "https://kv?x=1", "https://kv#f", "://"} {
		_, err := NewTargeter(base, s, nil)
		assert.ErrorContains(t, err, "is not a vault URL", base)
	}
	for _, v := range []string{"", "7.5&x=1", "7 5", "7.5/"} {
		_, err := NewTargeter(vault, s, nil, WithTargetAPIVersion(v))
		assert.ErrorContains(t, err, "is not a Key Vault API version", v)
	}
	_, err := NewTargeter(vault, nil, nil)
	assert.Error(t, err)
	_, err = NewTargeter(vault, &scenarios.Scenario{}, nil)
	assert.ErrorContains(t, err, "no operations")
	for _, bad := range []scenarios.Op{
		{Op: scenarios.GetSecret, Weight: 0, Name: "a", Count: 1},
		{Op: scenarios.GetSecret, Weight: -1, Name: "a", Count: 1},
		{Op: scenarios.GetSecret, Weight: 1, Name: "a", Count: 0},
		{Op: scenarios.GetSecret, Weight: 1, Count: 1},
		{Op: "purge-secret", Weight: 1, Name: "a", Count: 1},
		{Op: scenarios.SetSecret, Weight: 1, Name: "a", Count: 1, Size: 1 << 20},
	} {
		_, err := NewTargeter(vault, &scenarios.Scenario{Mix: []scenarios.Op{bad}}, nil)
		assert.ErrorContains(t, err, "mix[0]: ", "%+v", bad)
	}
}

func TestSetupTargets(t *testing.T) {
	t.Parallel()
	s := mustParse(t, everyOp)
	tgts, err := SetupTargets(vault, s, StaticToken("static"), WithTargetUserAgent("kvquota-test"))
	require.NoError(t, err)
	var got []string
	for _, tgt := range tgts {
		assert.Equal(t, http.MethodPut, tgt.Method)
		assert.Equal(t, "Bearer static", tgt.Header.Get("Authorization"))
		assert.Equal(t, "application/json", tgt.Header.Get("Content-Type"))
		assert.Equal(t, "kvquota-test", tgt.Header.Get("User-Agent"))
		assert.Regexp(t, uuidV4, tgt.Header.Get("X-Ms-Client-Request-Id"))
		u, err := url.Parse(tgt.URL)
		require.NoError(t, err)
		assert.Equal(t, DefaultAPIVersion, u.Query().Get("api-version"))
		var body struct{ Value string }
		require.NoError(t, json.Unmarshal(tgt.Body, &body))
		got = append(got, fmt.Sprintf("%s:%d", strings.TrimPrefix(u.Path, "/secrets/"), len(body.Value)))
	}
	// Every name the setup creates, in order; a name without {i} gets count versions.
	assert.Equal(t, []string{"r-0:8", "r-1:8", "r-2:8", "r-3:8", "d-0:32", "d-1:32", "d-2:32", "v:32", "v:32"}, got)

	// The same seed gives the same values; another seed other values.
	again, err := SetupTargets(vault, s, nil)
	require.NoError(t, err)
	assert.Equal(t, tgts[0].Body, again[0].Body)
	assert.NotEqual(t, tgts[0].Body, tgts[1].Body)
	s.Seed++
	other, err := SetupTargets(vault, s, nil)
	require.NoError(t, err)
	assert.NotEqual(t, tgts[0].Body, other[0].Body)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = SetupTargets(vault, s, TokenFunc(func(ctx context.Context) (string, error) { return "t", ctx.Err() }), WithTargetContext(ctx))
	assert.ErrorIs(t, err, context.Canceled)
	_, err = SetupTargets(vault, s, StaticToken(""))
	assert.ErrorContains(t, err, "no bearer token given")
	_, err = SetupTargets(vault, &scenarios.Scenario{Setup: []scenarios.SetupStep{{Op: scenarios.GetSecret, Name: "a", Count: 1}}}, nil)
	assert.ErrorContains(t, err, "setup[0]")
}

func TestSecretBody(t *testing.T) {
	t.Parallel()
	for _, size := range []int{1, 9, 10, 11, 64, 25 * 1024} {
		b := secretBody(size, 7)
		var v struct{ Value string }
		require.NoError(t, json.Unmarshal(b, &v), size)
		assert.Len(t, v.Value, size)
		assert.Regexp(t, `^[A-Za-z0-9_-]+$`, v.Value)
	}
	// The characters are spread over the whole alphabet.
	v := string(secretBody(64*100, 1))
	for _, c := range valueAlphabet {
		assert.InDelta(t, 100, strings.Count(v, string(c)), 50, string(c))
	}
}

// TestAttackThroughVegeta runs the pacer and the targeter through a real
// vegeta attack against a TLS server on loopback, for half a second.
func TestAttackThroughVegeta(t *testing.T) {
	t.Parallel()
	var (
		mu   sync.Mutex
		reqs []*http.Request
		body = map[string][]byte{}
	)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		reqs = append(reqs, r)
		body[r.Header.Get("X-Ms-Client-Request-Id")] = b
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{}`)
	}))
	defer srv.Close()

	s := mustParse(t, `
setup: [{op: set-secret, name: "r-{i}", count: 5}]
stages: [{duration: 500ms, rate: 0, to: 200}]
mix:
  - {op: get-secret, weight: 3, name: "r-{i}", count: 5}
  - {op: set-secret, weight: 1, name: "w-{i}", count: 5, size: 16}
`)
	spans := s.Schedule(nil)
	pacer := NewPacer(spans)
	require.NoError(t, pacer.Err())
	require.InDelta(t, 50, pacer.Total(), 1e-9)
	tr, err := NewTargeter(srv.URL, s, StaticToken("tok"))
	require.NoError(t, err)

	atk := vegeta.NewAttacker(vegeta.Client(srv.Client()), vegeta.Workers(4))
	var results []*vegeta.Result
	for r := range atk.Attack(tr, pacer, pacer.Duration(), s.Name) {
		results = append(results, r)
	}
	// Vegeta stops at the schedule's end; a slow or busy machine sends less
	// (how much less is a pacing figure: kvquota bench pacing), never more.
	assert.LessOrEqual(t, len(results), 50)
	assert.Positive(t, len(results))
	for _, r := range results {
		assert.Equal(t, uint16(http.StatusOK), r.Code, r.Error)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, reqs, len(results))
	for _, r := range reqs {
		assert.Equal(t, "Bearer tok", r.Header.Get("Authorization"))
		assert.Equal(t, DefaultAPIVersion, r.URL.Query().Get("api-version"))
		id := r.Header.Get("X-Ms-Client-Request-Id")
		assert.Regexp(t, uuidV4, id)
		if r.Method == http.MethodPut {
			assert.Regexp(t, `^\{"value":"[A-Za-z0-9_-]{16}"\}$`, string(body[id]))
		}
	}
}
