package metrics

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/kvquota/kvquota/emulator"
)

// Observer returns m as the vault's Config.Observer, and nil (no observer,
// no cost) for a nil m, so a caller can pass it whether or not metrics were
// asked for.
func (m *Metrics) Observer() emulator.Observer {
	if m == nil {
		return nil
	}
	return m
}

// Serve watches v and serves the metrics at /metrics over plain HTTP on addr
// (Prometheus scrapes plain HTTP by default; the vault's own TLS port stays
// the vault's). It returns once listening, with the scrape URL and a
// function that stops the server.
func (m *Metrics) Serve(addr string, v *emulator.Vault) (url string, stop func() error, err error) {
	m.Watch(v)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	// Serve returns http.ErrServerClosed once stop is called; any other end
	// means the listener is gone, and the scrapes' failures will say so.
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/metrics", srv.Close, nil
}
