package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/limits"
)

const wantChallenge = `Bearer authorization="https://vault.test/` + auth.DefaultTenant + `", resource="https://vault.azure.net"`

func TestTokensFromTheVaultsOwnEndpointsOpenTheDataPlane(t *testing.T) {
	e := newEnv(t, Config{})
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/" + auth.DefaultTenant + "/oauth2/token", url.Values{"resource": {"https://vault.azure.net"}}},
		{"/" + auth.DefaultTenant + "/oauth2/v2.0/token", url.Values{"scope": {"https://vault.azure.net/.default"}}},
	} {
		tc.form.Set("grant_type", "client_credentials")
		tc.form.Set("client_id", auth.DefaultClientID)
		tc.form.Set("client_secret", auth.DefaultClientSecret)
		// No api-version and no token: token endpoints bypass both.
		w := e.postForm(tc.path, tc.form)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		tok := decode[map[string]any](t, w)["access_token"].(string)

		w = e.send(http.MethodPut, withVersion("/secrets/s1"), `{"value":"v"}`, "Bearer "+tok)
		assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
	}
	assert.Equal(t, 2, usageTotal(e), "token requests use no quota")
}

func usageTotal(e *env) int {
	u := e.v.Usage()
	return u.Total()
}

func TestMissingTokenGetsTheChallenge(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.send(http.MethodGet, withVersion("/secrets/s1"), nil, "")
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, wantChallenge, w.Header().Get("WWW-Authenticate"))
	assert.Equal(t, `{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer or PoP token."}}`, w.Body.String())
	requireCommonHeaders(t, w)
	assert.Equal(t, 0, usageTotal(e), "a 401 uses no quota")
}

func TestEachRefusedTokenGetsASpecific401(t *testing.T) {
	e := newEnv(t, Config{})
	iss := e.v.Issuer()
	signed := func(mut func(jwt.MapClaims)) string {
		c := iss.Claims(auth.DefaultIdentity(), t0)
		mut(c)
		s, err := iss.Sign(c)
		require.NoError(t, err)
		return "Bearer " + s
	}
	none := jwt.NewWithClaims(jwt.SigningMethodNone, iss.Claims(auth.DefaultIdentity(), t0))
	none.Header["kid"] = iss.KeyID()
	noneTok, err := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)

	for _, tc := range []struct{ header, message string }{
		{"Basic Zm9vOmJhcg==", "AKV10000: Request is missing a Bearer or PoP token."},
		{"Bearer garbage", "AKV10021: Invalid token format"},
		{"Bearer " + noneTok, "AKV10023: Invalid token signature algorithm. Expected RS256, found: none."},
		{signed(func(c jwt.MapClaims) { c["aud"] = "https://management.azure.com/" }), "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/."},
		{signed(func(c jwt.MapClaims) { c["iss"] = "https://sts.windows.net/x/" }), "AKV10032: Invalid issuer."},
		{signed(func(c jwt.MapClaims) { c["exp"] = t0.Add(-time.Hour).Unix() }), "[TokenExpired] Error validating token: 'S2S12086'."},
		{signed(func(c jwt.MapClaims) { c["nbf"] = t0.Add(time.Hour).Unix() }), "Token not yet valid."},
	} {
		w := e.send(http.MethodGet, withVersion("/secrets"), nil, tc.header)
		require.Equal(t, http.StatusUnauthorized, w.Code, tc.message)
		assert.Equal(t, wantChallenge, w.Header().Get("WWW-Authenticate"))
		ke := kvError(t, w)
		assert.Equal(t, "Unauthorized", ke.Code)
		assert.Contains(t, ke.Message, tc.message)
		assert.Nil(t, ke.InnerError)
	}
	assert.Equal(t, 0, usageTotal(e))

	// The vault's clock decides: the same token expires when the clock moves.
	e.clk.Advance(time.Hour + 6*time.Minute)
	w := e.call(http.MethodGet, "/secrets", nil)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Contains(t, kvError(t, w).Message, "TokenExpired")
}

func TestThrottledResponseIsKeyVaultsExactly(t *testing.T) {
	e := newEnv(t, Config{Profile: limited(t, 3, 3)})
	for range 3 {
		// 404s use quota like any other answered request.
		w := e.call(http.MethodGet, "/secrets/nothing-here", nil)
		require.Equal(t, http.StatusNotFound, w.Code)
	}
	w := e.call(http.MethodGet, "/secrets/nothing-here", nil)
	require.Equal(t, http.StatusTooManyRequests, w.Code)
	assert.Equal(t, `{"error":{"code":"Throttled","message":"Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached"}}`, w.Body.String())
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
	requireCommonHeaders(t, w)
	assert.Empty(t, w.Header().Get("Retry-After"), "off by default, as in the real capture")
	assert.Equal(t, 3, usageTotal(e), "refused requests use no quota")
}

func TestClientRequestIDIsEchoed(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.send(http.MethodGet, withVersion("/secrets"), nil, "") // no id to echo
	assert.Empty(t, r.Header().Get(kverror.HeaderClientRequestID))

	req := newRequest(t, http.MethodGet, withVersion("/secrets"))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("x-ms-client-request-id", "abc-123")
	w := serve(e, req)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "abc-123", w.Header().Get(kverror.HeaderClientRequestID))
}

func TestRetryAfterWhenConfigured(t *testing.T) {
	for _, tc := range []struct {
		model limits.WindowModel
		wait  string
	}{
		{limits.Fixed, "6"},    // from 12:00:04 until 12:00:10
		{limits.Sliding, "10"}, // until the t0+0.5s event leaves: 9.5 s, rounded up
	} {
		e := newEnv(t, Config{Profile: limited(t, 2, 2), Window: tc.model, RetryAfter: true})
		e.clk.Advance(500 * time.Millisecond)
		for range 2 {
			require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets", nil).Code)
		}
		e.clk.Advance(500 * time.Millisecond)
		w := e.call(http.MethodGet, "/secrets", nil)
		require.Equal(t, http.StatusTooManyRequests, w.Code)
		assert.Equal(t, tc.wait, w.Header().Get("Retry-After"), tc.model)
		e.clk.Advance(2 * time.Second)
		w = e.call(http.MethodGet, "/secrets", nil)
		require.Equal(t, http.StatusTooManyRequests, w.Code)
		assert.NotEqual(t, tc.wait, w.Header().Get("Retry-After"), "%s: the wait shrinks as time passes", tc.model)
	}
}

func TestSlidingAndFixedWindowsThroughTheVault(t *testing.T) {
	// Set (create) has its own limit in the 2021 text; gets and sets share the
	// weighted sum.
	e := newEnv(t, Config{Profile: limited(t, 4, 2), Window: limits.Sliding})
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/a", map[string]any{"value": "1"}).Code) // 1/2
	e.clk.Advance(time.Second)
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets/a", nil).Code) // +1/4
	e.clk.Advance(time.Second)
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets/a", nil).Code) // +1/4 = 1
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, "/secrets/a", nil).Code)
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodPut, "/secrets/a", map[string]any{"value": "2"}).Code)

	e.clk.Set(t0.Add(10 * time.Second)) // the set leaves: room for 1/2
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/a", map[string]any{"value": "2"}).Code)
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, "/secrets/a", nil).Code)

	f := newEnv(t, Config{Profile: limited(t, 2, 2), Window: limits.Fixed})
	for range 2 {
		require.Equal(t, http.StatusOK, f.call(http.MethodGet, "/secrets", nil).Code)
	}
	f.clk.Set(t0.Add(7*time.Second - time.Nanosecond))
	assert.Equal(t, http.StatusTooManyRequests, f.call(http.MethodGet, "/secrets", nil).Code)
	f.clk.Set(t0.Add(7 * time.Second)) // 12:00:10, the next bucket
	for range 2 {
		require.Equal(t, http.StatusOK, f.call(http.MethodGet, "/secrets", nil).Code)
	}
}

func TestResetQuota(t *testing.T) {
	e := newEnv(t, Config{Profile: limited(t, 1, 1)})
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets", nil).Code)
	require.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, "/secrets", nil).Code)
	e.v.ResetQuota()
	assert.Equal(t, 0, usageTotal(e))
	assert.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets", nil).Code)
}

func TestConcurrentRequestsAreAdmittedExactlyToTheLimit(t *testing.T) {
	e := newEnv(t, Config{Profile: limited(t, 50, 50)})
	var ok, throttled atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				switch e.call(http.MethodGet, "/secrets", nil).Code {
				case http.StatusOK:
					ok.Add(1)
				case http.StatusTooManyRequests:
					throttled.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 50, ok.Load())
	assert.EqualValues(t, 110, throttled.Load())
}

func TestRequestOrderBadRequestsBeforeAuthBeforeQuota(t *testing.T) {
	e := newEnv(t, Config{Profile: limited(t, 1, 1)})
	// Without a token, a bad api-version is still a 400, not a 401.
	for _, target := range []string{"/secrets", "/secrets?api-version=1999-01-01"} {
		w := e.send(http.MethodGet, target, nil, "")
		assert.Equal(t, http.StatusBadRequest, w.Code, target)
		assert.Equal(t, "BadParameter", kvError(t, w).Code, target)
		assert.Empty(t, w.Header().Get("WWW-Authenticate"), target)
		requireCommonHeaders(t, w)
	}
	// An unserved path, a method a path lacks, a bad name and a path word in
	// the place of a version: without a token the 401 challenge comes first
	// (an SDK learns the tenant from it), with one the route's error.
	for _, tc := range []struct {
		method, target string
		status         int
		code           string
	}{
		{http.MethodGet, withVersion("/nothing/here"), 404, "NotFound"},
		{http.MethodGet, withVersion("/storage/s"), 404, "NotFound"},
		{http.MethodGet, withVersion("/keys/k/pending"), 404, "NotFound"},
		{http.MethodPost, withVersion("/secrets/a"), 405, "MethodNotAllowed"},
		{http.MethodGet, withVersion("/secrets/bad_name"), 400, "BadParameter"},
	} {
		w := e.send(tc.method, tc.target, nil, "")
		assert.Equal(t, http.StatusUnauthorized, w.Code, tc.target)
		assert.NotEmpty(t, w.Header().Get("WWW-Authenticate"), tc.target)
		assert.Empty(t, w.Header().Get("Allow"), tc.target)
		w = e.send(tc.method, tc.target, nil, "Bearer "+e.token)
		assert.Equal(t, tc.status, w.Code, tc.target)
		assert.Equal(t, tc.code, kvError(t, w).Code, tc.target)
		requireCommonHeaders(t, w)
	}
	assert.Equal(t, 0, usageTotal(e), "none of them used quota")

	// Quota is spent; a request without a token is still a 401, not a 429.
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets", nil).Code)
	assert.Equal(t, http.StatusUnauthorized, e.send(http.MethodGet, withVersion("/secrets"), nil, "").Code)
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, "/secrets", nil).Code)
}

// testRoute is a complete declaration of a GET route for tests.
func testRoute(pattern string, h func(*request)) route {
	return route{method: http.MethodGet, pattern: pattern, handle: h, classify: classifySecret,
		need: secretsNeed("get"), state: reads}
}

func TestIncompleteDeclarationsPanic(t *testing.T) {
	full := testRoute("x", func(*request) {})
	for name, r := range map[string]route{
		"no handler":       {method: full.method, pattern: "x", classify: full.classify, need: full.need, state: reads},
		"no quota class":   {method: full.method, pattern: "x", handle: full.handle, need: full.need, state: reads},
		"no permission":    {method: full.method, pattern: "x", handle: full.handle, classify: full.classify, state: reads},
		"wrong permission": {method: full.method, pattern: "x", handle: full.handle, classify: full.classify, need: keysNeed("set"), state: reads},
		"no state":         {method: full.method, pattern: "x", handle: full.handle, classify: full.classify, need: full.need},
		"no method":        {pattern: "x", handle: full.handle, classify: full.classify, need: full.need, state: reads},
	} {
		assert.Panics(t, func() { newRouter().add(r) }, name)
	}
	assert.NotPanics(t, func() { newRouter().add(full) })
}

func TestUnknownRoutesAndMethodsGetJSON(t *testing.T) {
	e := newEnv(t, Config{})
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "/", 404, ""},
		{http.MethodGet, "/keys/k", 404, ""},
		{http.MethodGet, "/secrets/a/b/c/d", 404, ""},
		{http.MethodPost, "/secrets", 405, "GET"},
		{http.MethodPost, "/secrets/a", 405, "DELETE, GET, PATCH, PUT"},
		{http.MethodPut, "/deletedsecrets/a", 405, "DELETE, GET"},
		{http.MethodGet, "/deletedsecrets/a/recover", 405, "POST"},
		{http.MethodHead, "/secrets", 405, "GET"},
		{"BREW", "/secrets", 405, "GET"},
		{http.MethodGet, "/secrets/oauth2/token", 404, ""}, // version "token" of secret "oauth2"
	} {
		w := e.call(tc.method, tc.path, nil)
		assert.Equal(t, tc.status, w.Code, tc.method+" "+tc.path)
		if tc.method != http.MethodHead {
			kvError(t, w)
		}
		assert.Equal(t, tc.allow, w.Header().Get("Allow"), tc.method+" "+tc.path)
	}
}

func TestPanicsBecomeKeyVault500s(t *testing.T) {
	e := newEnv(t, Config{})
	e.v.routes.add(testRoute("boom", func(*request) { panic("bug") }))
	w := e.call(http.MethodGet, "/boom", nil)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Equal(t, "InternalServerError", kvError(t, w).Code)
	requireCommonHeaders(t, w)

	// A panic after the response started cannot be answered again, and is not.
	e.v.routes.add(testRoute("late", func(rq *request) {
		rq.ok(map[string]string{"partial": "yes"})
		panic("late bug")
	}))
	w = e.call(http.MethodGet, "/late", nil)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, `{"partial":"yes"}`, w.Body.String())

	e.v.routes.add(testRoute("abort", func(*request) { panic(http.ErrAbortHandler) }))
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { e.call(http.MethodGet, "/abort", nil) },
		"net/http's own abort passes through")
}

func TestLeadingAndTrailingSlashes(t *testing.T) {
	e := newEnv(t, Config{})
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "//secrets/a", map[string]any{"value": "x"}).Code)
	w := e.call(http.MethodGet, "/secrets/a/", nil) // the Azure SDK's "latest version"
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "x", decode[map[string]any](t, w)["value"])
	assert.True(t, strings.HasPrefix(decode[map[string]any](t, w)["id"].(string), base+"/secrets/a/"))
}

func TestAGetOnATokenEndpointGetsAzureADsAnswer(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.send(http.MethodGet, "/"+auth.DefaultTenant+"/oauth2/v2.0/token", nil, "")
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), `"error_codes":[900561]`)
}
