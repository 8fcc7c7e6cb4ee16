package attack

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/scenarios"
)

// ResultWriter receives every result as it arrives (results.Writer is one).
type ResultWriter interface {
	Write(*vegeta.Result) error
}

// config is what the options set.
type config struct {
	tls        *tls.Config
	workers    uint64
	maxWorkers uint64
	maxConns   int
	timeout    time.Duration
	apiVersion string
	observe    func(*vegeta.Result)
	auth       AuthOptions
}

// Option configures Run.
type Option func(*config)

// WithTLSConfig sets the TLS configuration, e.g. to trust the emulator's CA.
func WithTLSConfig(c *tls.Config) Option { return func(o *config) { o.tls = c } }

// WithWorkers sets vegeta's initial and maximum worker counts.
func WithWorkers(initial, max uint64) Option {
	return func(o *config) { o.workers, o.maxWorkers = initial, max }
}

// DefaultMaxConnections caps the connections an attack opens to its target.
//
// Without a cap, an attack that falls behind (its first requests wait on TLS
// handshakes) makes vegeta start more workers, each of which dials: a storm of
// handshakes that stalls sending for a second or more on a small machine, and
// is then made up for with a burst at twice the rate, which is just what a
// throttling test must not do. `kvquota bench pacing` measured it: at 10000/s
// against a loopback handler, 1.5 s with almost nothing sent, uncapped; no
// stall at 64 or 128 connections, and again half a second at 256. 128 in
// flight at once carries 4000/s at 30 ms a request, ten times the documented
// secrets limit rate; WithMaxConnections raises it for slower or faster
// targets.
const DefaultMaxConnections = 128

// WithMaxConnections caps the connections to the target (see
// DefaultMaxConnections); 0 keeps the default, a negative n removes the cap.
func WithMaxConnections(n int) Option { return func(o *config) { o.maxConns = n } }

// WithTimeout sets the per-request timeout.
func WithTimeout(d time.Duration) Option { return func(o *config) { o.timeout = d } }

// WithAPIVersion sets the api-version query parameter of every request.
func WithAPIVersion(v string) Option { return func(o *config) { o.apiVersion = v } }

// WithObserver calls f with every result after it is written, from the one
// goroutine that writes results (f must be quick: progress counters, not I/O).
func WithObserver(f func(*vegeta.Result)) Option { return func(o *config) { o.observe = f } }

// WithAuth sets what an auth-conformance scenario's cases may use (a token
// forger, loopback source addresses); other scenarios ignore it.
func WithAuth(a AuthOptions) Option { return func(o *config) { o.auth = a } }

// Summary says how an attack ended.
type Summary struct {
	Results     int
	Interrupted bool
	Start, End  time.Time
}

// Run attacks base with the scenario's mix at the rates of spans, and hands
// every result to w the moment it arrives. It returns when the schedule ends or
// ctx is cancelled; on cancellation it stops sending, waits for the requests in
// flight, and writes their results too, so nothing already received is lost.
// The start time is reported through started before the first request goes out.
func Run(ctx context.Context, base string, s *scenarios.Scenario, spans []scenarios.Span, tokens TokenSource, w ResultWriter, started func(time.Time), opts ...Option) (Summary, error) {
	c := config{workers: vegeta.DefaultWorkers, maxWorkers: 1000, timeout: 30 * time.Second}
	for _, o := range opts {
		o(&c)
	}
	switch {
	case c.maxConns == 0:
		c.maxConns = DefaultMaxConnections
	case c.maxConns < 0:
		c.maxConns = 0 // vegeta's and net/http's "no limit"
	}
	var topts []TargeterOption
	if c.apiVersion != "" {
		topts = append(topts, WithTargetAPIVersion(c.apiVersion))
	}
	var tr vegeta.Targeter
	var err error
	if s.IsAuthProbe() {
		tr, err = NewAuthTargeter(base, s, tokens, c.auth, topts...)
	} else {
		tr, err = NewTargeter(base, s, tokens, topts...)
	}
	if err != nil {
		return Summary{}, err
	}
	pacer := NewPacer(spans)
	var total time.Duration
	if len(spans) > 0 {
		total = spans[len(spans)-1].To
	}
	vopts := []func(*vegeta.Attacker){
		vegeta.Workers(c.workers),
		vegeta.MaxWorkers(c.maxWorkers),
		vegeta.Timeout(c.timeout),
		vegeta.KeepAlive(true),
		vegeta.MaxConnections(c.maxConns),
		// Bodies of errors are judged; nothing Key Vault sends is larger.
		vegeta.MaxBody(64 << 10),
	}
	if c.tls != nil {
		vopts = append(vopts, vegeta.TLSConfig(c.tls))
	}
	if s.IsAuthProbe() {
		// The cases choose their source address per request (authcases.go).
		router := newSourceRouter(c.tls)
		defer router.CloseIdleConnections()
		vopts = append(vopts, vegeta.Client(&http.Client{Transport: router, Timeout: c.timeout}))
	}
	atk := vegeta.NewAttacker(vopts...)

	sum := Summary{Start: time.Now()}
	if started != nil {
		started(sum.Start)
	}
	res := atk.Attack(tr, pacer, total, s.Name)
	var werr error
	done := ctx.Done()
	for {
		select {
		case <-done:
			sum.Interrupted = true
			atk.Stop()
			done = nil // keep draining what is in flight
		case r, ok := <-res:
			if !ok {
				sum.End = time.Now()
				return sum, werr
			}
			if err := w.Write(r); err != nil && werr == nil {
				// A full disk must not lose what is in flight silently: stop the
				// attack, keep draining, and report the first write error.
				werr = fmt.Errorf("writing results: %w", err)
				atk.Stop()
			}
			sum.Results++
			if c.observe != nil {
				c.observe(r)
			}
		}
	}
}
