package attack

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientsTakeTurnsEachWithItsTokenAndAddress(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string][]string{} // Authorization -> source IPs
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Empty(t, r.Header.Get(sourceHeader), "the routing header never leaves")
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		assert.NoError(t, err)
		mu.Lock()
		seen[r.Header.Get("Authorization")] = append(seen[r.Header.Get("Authorization")], ip)
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()

	cs := []Client{
		{Tokens: StaticToken("tok-a"), Source: "127.0.0.1"},
		{Tokens: StaticToken("tok-b"), Source: "127.0.0.2"},
		{Tokens: StaticToken("tok-c"), Source: "127.0.0.3"},
	}
	s := mustParse(t, "stages: [{duration: 1s, rate: 10}]\nmix: [{op: list-secrets}]\n")
	tr, err := NewTargeter(srv.URL, s, StaticToken("unused"), WithClients(cs))
	require.NoError(t, err)
	client := NewSourceClient(srv.Client().Transport.(*http.Transport).TLSClientConfig)
	defer client.CloseIdleConnections()
	for range 6 {
		tgt := next(t, tr)
		req, err := http.NewRequest(tgt.Method, tgt.URL, bytes.NewReader(tgt.Body))
		require.NoError(t, err)
		req.Header = tgt.Header
		resp, err := client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	assert.Equal(t, map[string][]string{
		"Bearer tok-a": {"127.0.0.1", "127.0.0.1"},
		"Bearer tok-b": {"127.0.0.2", "127.0.0.2"},
		"Bearer tok-c": {"127.0.0.3", "127.0.0.3"},
	}, seen)
}

func TestOneClientIsTheTargetersOwnTokenSource(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "stages: [{duration: 1s, rate: 10}]\nmix: [{op: list-secrets}]\n")
	tr, err := NewTargeter(vault, s, StaticToken("own"), WithClients([]Client{{Tokens: StaticToken("other"), Source: "127.0.0.2"}}))
	require.NoError(t, err)
	tgt := next(t, tr)
	assert.Equal(t, "Bearer own", tgt.Header.Get("Authorization"))
	assert.Empty(t, tgt.Header.Get(sourceHeader))
}
