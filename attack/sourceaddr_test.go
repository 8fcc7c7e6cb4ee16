package attack

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

type collect struct{ rs []*vegeta.Result }

func (c *collect) Write(r *vegeta.Result) error { c.rs = append(c.rs, r); return nil }

// A shard's attack leaves from the source address it is given, as the
// target sees it.
func TestAttackFromASourceAddress(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		hosts = map[string]int{}
	)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, _, _ := net.SplitHostPort(r.RemoteAddr)
		mu.Lock()
		hosts[h]++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	s := mustParse(t, `
setup: [{op: set-secret, name: "r-{i}", count: 5}]
stages: [{duration: 200ms, rate: 100}]
mix: [{op: get-secret, name: "r-{i}", count: 5}]
`)
	tr, err := NewTargeter(srv.URL, s, StaticToken("tok"))
	require.NoError(t, err)
	var out collect
	sum, err := Run(context.Background(), tr, NewPacer(s.Schedule(nil)).Shard(2, 2), &out,
		WithTLSConfig(&tls.Config{RootCAs: pool}), WithSourceAddr(net.ParseIP("127.0.0.3")))
	require.NoError(t, err)
	require.Positive(t, sum.Results)
	assert.LessOrEqual(t, sum.Results, 10, "shard 2 of 2 sends half of 20")
	for _, r := range out.rs {
		assert.Equal(t, uint16(http.StatusOK), r.Code, r.Error)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, map[string]int{"127.0.0.3": sum.Results}, hosts)
}
