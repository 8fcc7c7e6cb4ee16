package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

var errNilVault = errors.New("emulator: Start needs a vault, got nil")

// DefaultAddr is where Start listens when given no address: loopback only, on a
// free port.
const DefaultAddr = "127.0.0.1:0"

// Server is a vault served over HTTPS with a certificate of its own.
type Server struct {
	// URL is the vault's base URL, e.g. "https://127.0.0.1:53412".
	URL string
	// CACertPEM is the PEM of the CA that signed the server's certificate, for
	// clients to trust (and for `kvquota emulate` to write out).
	CACertPEM []byte

	ca    *x509.Certificate
	vault *Vault
	srv   *http.Server
	ln    net.Listener
	err   chan error

	// mu guards fresh, the connections http.Server counts as new (no
	// request read on them yet), and shut, set once Shutdown has begun.
	mu    sync.Mutex
	fresh map[net.Conn]struct{}
	shut  bool
	// swept is closed once the new connections are closed (sweep).
	swept chan struct{}

	closeOnce sync.Once
	closeErr  error
}

// Start serves v over HTTPS on addr (DefaultAddr when empty) with a freshly
// made CA and server certificate, and returns once it is listening. Binding a
// non-loopback address is allowed, for `kvquota emulate --addr`; the default
// never is.
func Start(v *Vault, addr string) (*Server, error) {
	if v == nil {
		return nil, errNilVault
	}
	if addr == "" {
		addr = DefaultAddr
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("emulator address %q: %w", addr, err)
	}
	names := []string{host}
	if v.cfg.DropIn {
		names = append(names, dropInNames...)
	}
	certs, err := newCertificates(names...)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			// Port 443, which drop-in mode needs, is privileged on Linux.
			return nil, fmt.Errorf("emulator: listening on %s: %w (a port below 1024 needs root or CAP_NET_BIND_SERVICE)", addr, err)
		}
		return nil, fmt.Errorf("emulator: listening on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           v,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		TLSConfig: &tls.Config{
			MinVersion:   tls.VersionTLS12,
			Certificates: []tls.Certificate{certs.leaf},
		},
		// Clients that do not trust the emulator's CA fail their handshakes;
		// that is theirs to report, not noise for the emulator's output.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	s := &Server{
		URL:       "https://" + urlHost(ln.Addr().(*net.TCPAddr)),
		CACertPEM: certs.caPEM,
		ca:        certs.ca,
		vault:     v,
		srv:       srv,
		ln:        ln,
		err:       make(chan error, 1),
		fresh:     map[net.Conn]struct{}{},
		swept:     make(chan struct{}),
	}
	srv.ConnState = s.connState
	srv.RegisterOnShutdown(s.sweep)
	go func() { s.err <- srv.ServeTLS(ln, "", "") }()
	return s, nil
}

// urlHost is the host:port clients should use: an unspecified bind address
// (0.0.0.0, ::) is reached on loopback.
func urlHost(a *net.TCPAddr) string {
	ip := a.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}

// CertPool returns a pool holding only the emulator's CA, for a client's
// tls.Config.RootCAs.
func (s *Server) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(s.ca)
	return p
}

// connState keeps fresh; once Shutdown has begun, it closes a connection
// that turns up new.
func (s *Server) connState(c net.Conn, st http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case st != http.StateNew:
		delete(s.fresh, c)
	case s.shut:
		_ = c.Close()
	default:
		s.fresh[c] = struct{}{}
	}
}

// sweep closes every new connection once Shutdown has begun (it runs after
// Shutdown marks the server as shutting down). No request on one can be
// served any more: net/http drops a request whose header it finishes
// reading after that. But Shutdown calls a new connection idle, and closes
// it, only once it is 5 s old, so a spare an HTTP client dialled for a burst
// and keeps in its idle pool held Close up for those 5 s. Requests in
// flight (their connections active) are untouched and still finish.
func (s *Server) sweep() {
	s.mu.Lock()
	s.shut = true
	for c := range s.fresh {
		_ = c.Close()
	}
	s.mu.Unlock()
	close(s.swept)
}

// Close stops the server, letting requests in flight finish for up to five
// seconds, then closes the vault it serves (Vault.Close writes its state when
// it has a DataDir). Closing again returns the first result. Connections no
// request has been read on are closed at once (sweep).
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := s.srv.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = s.srv.Close()
		}
		if serr := <-s.err; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
		if verr := s.vault.Close(); verr != nil && err == nil {
			err = verr // the vault's state could not be written
		}
		s.closeErr = err
	})
	return s.closeErr
}
