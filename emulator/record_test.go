package emulator

import (
	"crypto/tls"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/limits"
)

// The recorder sees who asked what: identity from the token, anonymous
// without one, the class counted, the 429 with its Retry-After, the client's
// request id, and never the token or the query string.
func TestRecorderRecordsEachRequest(t *testing.T) {
	t.Parallel()
	rec := NewRecorder(0)
	e := newEnv(t, Config{Profile: limited(t, 2, 10), RetryAfter: true, Observer: rec})

	require.Equal(t, http.StatusUnauthorized, e.send(http.MethodGet, withVersion("/secrets/a"), nil, "").Code)
	for range 2 {
		require.Equal(t, http.StatusNotFound, e.call(http.MethodGet, "/secrets/a", nil).Code)
	}
	r := newRequest(t, http.MethodGet, withVersion("/secrets/a"))
	r.Header.Set("Authorization", "Bearer "+e.token)
	r.Header.Set("x-ms-client-request-id", "req-1")
	w := serve(e, r)
	require.Equal(t, http.StatusTooManyRequests, w.Code)

	got := rec.Requests()
	require.Len(t, got, 4)
	assert.Equal(t, Anonymous, got[0].AppID)
	assert.Equal(t, http.StatusUnauthorized, got[0].Status)
	assert.Empty(t, got[0].Class)
	id := auth.DefaultIdentity()
	for _, g := range got[1:] {
		assert.Equal(t, id.ClientID, g.AppID)
		assert.Equal(t, id.ObjectID, g.ObjectID)
		assert.Equal(t, "127.0.0.1", g.Source)
		assert.Equal(t, "/secrets/a", g.Path, "no query string")
		assert.Equal(t, DefaultVaultName, g.Vault)
	}
	assert.Equal(t, limits.Secrets, got[1].Class)
	assert.Equal(t, http.StatusNotFound, got[1].Status)
	assert.Equal(t, limits.Secrets, got[3].Class)
	assert.Equal(t, http.StatusTooManyRequests, got[3].Status)
	assert.Equal(t, w.Header().Get("Retry-After"), got[3].RetryAfter)
	assert.NotEmpty(t, got[3].RetryAfter)
	assert.Equal(t, "req-1", got[3].ClientRequestID)
	assert.Empty(t, got[2].RetryAfter)
	assert.Equal(t, t0, got[3].Start, "the vault's clock")
	assert.Equal(t, 0, rec.Dropped())
}

// Past its cap the recorder keeps nothing more and says how much it dropped.
func TestRecorderDropsPastItsCap(t *testing.T) {
	t.Parallel()
	rec := NewRecorder(3)
	e := newEnv(t, Config{Observer: rec})
	for range 5 {
		e.call(http.MethodGet, "/secrets/missing", nil)
	}
	assert.Len(t, rec.Requests(), 3)
	assert.Equal(t, 2, rec.Dropped())
}

// Over real HTTPS the source is the TCP connection's address, whatever a
// header claims, and a refused token is recorded as anonymous.
func TestRecorderSourceIsTheConnection(t *testing.T) {
	t.Parallel()
	rec := NewRecorder(0)
	v, err := newVault(Config{Observer: rec}, auth.WithKey(sharedKey()))
	require.NoError(t, err)
	srv, err := Start(v, "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: srv.CertPool(), MinVersion: tls.VersionTLS12},
		DialContext:     (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: 5 * time.Second}).DialContext,
	}
	t.Cleanup(tr.CloseIdleConnections)
	req, err := http.NewRequest(http.MethodGet, srv.URL+withVersion("/secrets/x"), nil)
	require.NoError(t, err)
	req.Header.Set("X-Forwarded-For", "10.0.0.9")
	req.Header.Set("Authorization", "Bearer not-a-jwt")
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	got := rec.Requests()
	require.Len(t, got, 1)
	assert.Equal(t, "127.0.0.2", got[0].Source)
	assert.Equal(t, Anonymous, got[0].AppID)
	assert.False(t, strings.Contains(got[0].Path, "api-version"))
	assert.False(t, got[0].End.Before(got[0].Start))
}
