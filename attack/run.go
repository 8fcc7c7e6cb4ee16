package attack

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// ResultWriter receives every result as it arrives (results.Writer is one).
type ResultWriter interface {
	Write(*vegeta.Result) error
}

// config is what the options set.
type config struct {
	name     string
	duration time.Duration
	tls      *tls.Config
	client   *http.Client
	observe  func(*vegeta.Result)
	started  func(time.Time)
	source   net.IP
}

// Option configures Run.
type Option func(*config)

// WithName names the attack in its results (vegeta's attack name).
func WithName(n string) Option { return func(o *config) { o.name = n } }

// WithTLSConfig sets the TLS configuration, e.g. to trust the emulator's CA.
func WithTLSConfig(c *tls.Config) Option { return func(o *config) { o.tls = c } }

// WithClient replaces vegeta's HTTP client (its TLS configuration, timeout and
// connection cap then come from c): an auth-conformance attack sends its
// cases from chosen source addresses (NewSourceClient).
func WithClient(c *http.Client) Option { return func(o *config) { o.client = c } }

// WithSourceAddr makes the attack's connections leave from the local address
// ip (nil: the system's choice), so that several shards of one run on one
// machine come from different addresses, as shards on several machines do.
// The system refuses an address the machine does not have when the first
// connection is dialled; that request's result then says so.
func WithSourceAddr(ip net.IP) Option { return func(o *config) { o.source = ip } }

// WithObserver calls f with every result after it is written, from the one
// goroutine that writes results (f must be quick: progress counters, not I/O).
func WithObserver(f func(*vegeta.Result)) Option { return func(o *config) { o.observe = f } }

// WithStart calls f with the attack's start time before the first request
// goes out (a run writes its run.json then, so a run killed mid-way is still
// a run directory).
func WithStart(f func(time.Time)) Option { return func(o *config) { o.started = f } }

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
// secrets limit rate.
const DefaultMaxConnections = 128

// requestTimeout bounds one request; Key Vault answers in milliseconds.
const requestTimeout = 30 * time.Second

// Summary says how an attack ended.
type Summary struct {
	Results     int
	Interrupted bool
	Start, End  time.Time
}

// errPacer is implemented by a pacer that can be invalid (Pacer.Err).
type errPacer interface{ Err() error }

// timedPacer is implemented by a pacer that knows its length (Pacer.Duration).
type timedPacer interface{ Duration() time.Duration }

// Run attacks with tr's requests at p's pace, as vegeta does, and hands every
// result to w the moment it arrives. It returns when the pacer's schedule ends
// or ctx is cancelled; on cancellation it stops sending, waits for the
// requests in flight, and writes their results too, so nothing already
// received is lost. A pacer that reports itself invalid (Err) is an error
// before anything is sent.
func Run(ctx context.Context, tr vegeta.Targeter, p vegeta.Pacer, w ResultWriter, opts ...Option) (Summary, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	if ep, ok := p.(errPacer); ok && ep.Err() != nil {
		return Summary{}, fmt.Errorf("the attack's schedule: %w", ep.Err())
	}
	if tp, ok := p.(timedPacer); ok {
		c.duration = tp.Duration() // else until the pacer stops it
	}
	atk := vegeta.NewAttacker(c.attackerOptions()...)
	sum := Summary{Start: time.Now()}
	if c.started != nil {
		c.started(sum.Start)
	}
	res := atk.Attack(tr, p, c.duration, c.name)
	return drain(ctx, atk, res, w, c.observe, sum)
}

// attackerOptions are vegeta's settings for an attack.
func (c *config) attackerOptions() []func(*vegeta.Attacker) {
	o := []func(*vegeta.Attacker){
		vegeta.Workers(vegeta.DefaultWorkers),
		vegeta.MaxWorkers(1000),
		vegeta.Timeout(requestTimeout),
		vegeta.KeepAlive(true),
		vegeta.MaxConnections(DefaultMaxConnections),
		// Bodies of errors are judged; nothing Key Vault sends is larger.
		vegeta.MaxBody(64 << 10),
	}
	if c.tls != nil {
		o = append(o, vegeta.TLSConfig(c.tls))
	}
	if c.source != nil {
		o = append(o, vegeta.LocalAddr(net.IPAddr{IP: c.source}))
	}
	if c.client != nil {
		o = append(o, vegeta.Client(c.client))
	}
	return o
}

// drain writes every result of res to w until res closes, stopping the
// attack when ctx is done or a write fails, and keeps draining what is in
// flight either way.
func drain(ctx context.Context, atk *vegeta.Attacker, res <-chan *vegeta.Result, w ResultWriter, observe func(*vegeta.Result), sum Summary) (Summary, error) {
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
			if observe != nil {
				observe(r)
			}
		}
	}
}

// NewSourceClient is the HTTP client of an auth-conformance attack, whose
// cases choose their source address per request (authcases.go).
func NewSourceClient(tlsc *tls.Config) *http.Client {
	return &http.Client{Transport: newSourceRouter(tlsc), Timeout: requestTimeout}
}
