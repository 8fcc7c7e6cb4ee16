package emulator

import (
	"net/http"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Observer is told of every request the vault answers, after the answer:
// the vault it addressed (the default vault's name when it had no
// /vaults/{name} prefix), the transaction class it was counted against
// (empty when it never reached the quota step: a token request, a 401, a
// bad route), and the status sent. Package emulator/metrics implements it
// for Prometheus. It is called on the request's goroutine, so it must be
// safe for concurrent use and quick.
type Observer interface {
	ObserveRequest(vault string, class limits.Class, status int)
}

// observation records one request's outcome for the Observer. Its methods
// are no-ops when the vault has no Observer, so ServeHTTP calls them
// unconditionally.
type observation struct {
	o      Observer
	vault  string
	class  limits.Class
	status int
	// rec and info are set when the Observer is also a RequestObserver
	// (record.go): who asked what, and when.
	rec  RequestObserver
	info RequestInfo
	sw   *statusWriter
	now  func() time.Time
}

// observe wraps *w so that the status sent is recorded, and returns the
// observation to be completed with done (deferred) and, once the request is
// classified, counted.
func (v *Vault) observe(w *http.ResponseWriter, r *http.Request) *observation {
	if v.cfg.Observer == nil {
		return nil
	}
	ob := &observation{o: v.cfg.Observer, vault: v.cfg.VaultName}
	if name, _ := limits.SplitVault(r.URL.Path); name != "" {
		ob.vault = name
	}
	sw := &statusWriter{ResponseWriter: *w, ob: ob}
	*w = sw
	if ro, ok := v.cfg.Observer.(RequestObserver); ok {
		ob.rec, ob.sw, ob.info, ob.now = ro, sw, v.requestInfo(r), v.cfg.Clock.Now
	}
	return ob
}

// counted records the class a request was counted against, admitted or not.
func (ob *observation) counted(c limits.Class) {
	if ob != nil {
		ob.class = c
	}
}

// decided records when the quota step decided on the request.
func (ob *observation) decided(at time.Time) {
	if ob != nil {
		ob.info.Decided = at
	}
}

// done reports the observation; a handler that wrote nothing sent a 200.
func (ob *observation) done() {
	if ob == nil {
		return
	}
	if ob.status == 0 {
		ob.status = http.StatusOK
	}
	ob.o.ObserveRequest(ob.vault, ob.class, ob.status)
	if ob.rec != nil {
		ob.finish()
	}
}

// statusWriter remembers the first status written.
type statusWriter struct {
	http.ResponseWriter
	ob *observation
}

func (s *statusWriter) WriteHeader(code int) {
	if s.ob.status == 0 {
		s.ob.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.ob.status == 0 {
		s.ob.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// VaultUsage returns what the named vault's current quota window holds (the
// default vault's is Usage).
func (v *Vault) VaultUsage(name string) limits.Usage { return v.limiter.Usage(name) }

// SubscriptionUsage returns what the subscription's current quota window
// holds: every vault of the emulator together.
func (v *Vault) SubscriptionUsage() limits.Usage { return v.limiter.SubscriptionUsage() }
