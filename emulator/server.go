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

	ca  *x509.Certificate
	srv *http.Server
	ln  net.Listener
	err chan error

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
		srv:       srv,
		ln:        ln,
		err:       make(chan error, 1),
	}
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

// Close stops the server, letting requests in flight finish for up to five
// seconds, then closes the vault it serves (Vault.Close writes its state when
// it has a DataDir). Closing again returns the first result.
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
		if v, ok := s.srv.Handler.(*Vault); ok {
			if verr := v.Close(); verr != nil && err == nil {
				err = verr // the vault's state could not be written
			}
		}
		s.closeErr = err
	})
	return s.closeErr
}
