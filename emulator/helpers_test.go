package emulator

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/limits"
)

// t0 is three seconds into an epoch-aligned 10 s window.
var t0 = time.Date(2026, 3, 1, 12, 0, 3, 0, time.UTC)

// base is the vault's URL in these tests: httptest requests to an https URL
// carry TLS state, so the vault sees itself as https://vault.test.
const base = "https://vault.test"

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

func sharedKey() *rsa.PrivateKey {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		key = k
	})
	return key
}

// env is a vault on a fake clock with a token for the default identity.
type env struct {
	t     *testing.T
	v     *Vault
	clk   *clock.Fake
	token string
}

func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	clk := clock.NewFake(t0)
	if cfg.Clock == nil {
		cfg.Clock = clk
	}
	v, err := newVault(cfg, auth.WithKey(sharedKey()))
	require.NoError(t, err)
	tok, err := v.Issuer().Issue(v.Config().Identities[0].ClientID)
	require.NoError(t, err)
	return &env{t: t, v: v, clk: clk, token: tok.AccessToken}
}

// limited returns the 2021 profile with small secret limits.
func limited(t *testing.T, gets, sets int) *limits.Profile {
	t.Helper()
	p, err := limits.MustGet("2021").WithOverrides(map[limits.Class]int{limits.Secrets: gets, limits.SecretsCreate: sets})
	require.NoError(t, err)
	return p
}

// withVersion adds api-version=7.6 to a path that has none.
func withVersion(path string) string {
	if strings.Contains(path, "api-version=") {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&api-version=7.6"
	}
	return path + "?api-version=7.6"
}

// call sends an authenticated request; path gets api-version=7.6 unless it
// has one. body is JSON-encoded unless it is a string.
func (e *env) call(method, path string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.send(method, withVersion(path), body, "Bearer "+e.token)
}

// send sends a request with the given Authorization header (none if empty).
func (e *env) send(method, target string, body any, authorization string) *httptest.ResponseRecorder {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(e.t, err)
		rd = bytes.NewReader(j)
	}
	if !strings.HasPrefix(target, "https://") {
		target = base + target
	}
	r := httptest.NewRequest(method, target, rd)
	r.RemoteAddr = "127.0.0.1:50000"
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	if rd != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	e.v.ServeHTTP(w, r)
	return w
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &v), w.Body.String())
	return v
}

// kvError decodes a Key Vault error body, failing unless it is one.
func kvError(t *testing.T, w *httptest.ResponseRecorder) *kverror.Error {
	t.Helper()
	require.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"), w.Body.String())
	b := decode[kverror.Body](t, w)
	require.NotNil(t, b.Error, w.Body.String())
	require.NotEmpty(t, b.Error.Code)
	require.NotEmpty(t, b.Error.Message)
	return b.Error
}

// requireCommonHeaders checks the headers Key Vault puts on every response.
func requireCommonHeaders(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	h := w.Header()
	require.Equal(t, "no-cache", h.Get("Cache-Control"))
	require.Equal(t, "no-cache", h.Get("Pragma"))
	require.Equal(t, "-1", h.Get("Expires"))
	require.Len(t, h.Get(kverror.HeaderRequestID), 36)
	require.Equal(t, kverror.DefaultRegion, h.Get(kverror.HeaderRegion))
	require.Equal(t, kverror.DefaultServiceVersion, h.Get(kverror.HeaderServiceVersion))
	require.Equal(t, "conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;", h.Get(kverror.HeaderNetworkInfo))
}

func newRequest(t *testing.T, method, target string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, base+target, nil)
	r.RemoteAddr = "127.0.0.1:50000"
	return r
}

func serve(e *env, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.v.ServeHTTP(w, r)
	return w
}

// postForm posts an unauthenticated form, as to a token endpoint.
func (e *env) postForm(path string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	r.RemoteAddr = "127.0.0.1:50000"
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return serve(e, r)
}
