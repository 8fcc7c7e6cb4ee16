package attack

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// sourceRouter is an http.RoundTripper that sends each request from the
// source address its X-Kvquota-Source header names (removing the header), with
// one transport per address, so connections are reused per source. Requests
// without the header use the default route. Only loopback sources are
// accepted: the firewall cases are for the embedded emulator and loopback
// tests, never a way to spoof addresses on a network.
type sourceRouter struct {
	tls    *tls.Config
	mu     sync.Mutex
	byAddr map[string]*http.Transport
}

func newSourceRouter(c *tls.Config) *sourceRouter {
	return &sourceRouter{tls: c, byAddr: make(map[string]*http.Transport)}
}

func (s *sourceRouter) transport(src string) (*http.Transport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tr, ok := s.byAddr[src]; ok {
		return tr, nil
	}
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if src != "" {
		ip := net.ParseIP(src)
		if ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("source address %q: only loopback addresses (127.0.0.0/8, ::1) can be chosen", src)
		}
		d.LocalAddr = &net.TCPAddr{IP: ip}
	}
	tr := &http.Transport{
		TLSClientConfig:     s.tls,
		DialContext:         d.DialContext,
		MaxIdleConnsPerHost: 100,
		IdleConnTimeout:     90 * time.Second,
	}
	s.byAddr[src] = tr
	return tr, nil
}

// RoundTrip implements http.RoundTripper.
func (s *sourceRouter) RoundTrip(r *http.Request) (*http.Response, error) {
	src := r.Header.Get(sourceHeader)
	if src != "" {
		r = r.Clone(r.Context())
		r.Header.Del(sourceHeader)
	}
	tr, err := s.transport(src)
	if err != nil {
		return nil, err
	}
	return tr.RoundTrip(r)
}

// CloseIdleConnections closes every source's idle connections.
func (s *sourceRouter) CloseIdleConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tr := range s.byAddr {
		tr.CloseIdleConnections()
	}
}
