package bench

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
)

// bareBody is the size and shape of the emulator's answer to a secret GET, so
// the bare handler moves the same bytes.
const bareBody = `{"value":"00000000000000000000000000000000","id":"https://127.0.0.1/secrets/bench-0/0123456789abcdef0123456789abcdef","attributes":{"enabled":true,"created":1763860000,"updated":1763860000,"recoveryLevel":"Recoverable+Purgeable","recoverableDays":90}}`

// bareServer is the ceiling: a net/http handler over HTTPS on loopback that
// does nothing but answer.
type bareServer struct {
	srv *httptest.Server
}

func startBare() *bareServer {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write([]byte(bareBody))
	}))
	srv.StartTLS()
	return &bareServer{srv: srv}
}

func (b *bareServer) url() string { return b.srv.URL }

func (b *bareServer) tlsConfig() *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(b.srv.Certificate())
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

func (b *bareServer) close() { b.srv.Close() }
