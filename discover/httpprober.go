package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kvquota/kvquota/attack"
)

// burstWorkers is how many requests a burst keeps in flight: enough to
// outrun a limit rate several times over on loopback, few enough that little
// is still in flight when the first 429 stops it.
const burstWorkers = 4

// maxInflight bounds the requests a paced phase has in flight at once.
const maxInflight = 64

// httpProber probes one class of a vault over HTTP(S).
type httpProber struct {
	client  *http.Client
	base    string // vault URL without a trailing slash
	query   string // "?api-version=..."
	tokens  attack.TokenSource
	req     probeRequest
	start   time.Time
	sent    atomic.Int64
	refused atomic.Int64 // 429s
}

func (h *httpProber) now() time.Duration { return time.Since(h.start) }

func (h *httpProber) sleepUntil(ctx context.Context, t time.Duration) error {
	d := t - h.now()
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// do sends one request. Any answer but 429 counts as admitted (a 404 of a
// probed secret that does not exist is a transaction), except 401 and 403,
// which mean the probe cannot work, and 5xx and transport errors, which mean
// the target is failing: those stop the schedule.
func (h *httpProber) do(ctx context.Context, method, path, body string) (ok bool, err error) {
	ok, _, err = h.timed(ctx, method, path, body)
	return ok, err
}

// timed is do that also says when the target decided: at least as late as
// the request had a connection to go out on (httptrace's GotConn: nothing
// of it has been written yet), at most as late as the first byte of the
// answer (GotFirstResponseByte), and most likely midway between writing it
// and that first byte. Connection set-up is left out of the guess, not of
// the bounds: the bounds are what the fit judges on (fit.go), the guess
// only steers the schedule.
func (h *httpProber) timed(ctx context.Context, method, path, body string) (ok bool, o Obs, err error) {
	// The transport may call the hooks from its own goroutines, even after
	// send returned (a request that timed out): atomics, not plain stores.
	// Each holds its time plus one, so that zero means "not called".
	var connAt, wroteAt, firstAt atomic.Int64
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn:              func(httptrace.GotConnInfo) { connAt.Store(int64(h.now()) + 1) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { wroteAt.Store(int64(h.now()) + 1) },
		GotFirstResponseByte: func() { firstAt.Store(int64(h.now()) + 1) },
	})
	before := h.now()
	ok, err = h.send(ctx, method, path, body)
	after := h.now()
	o.Sent, o.Answered = before, after
	if c := time.Duration(connAt.Load() - 1); c >= before {
		o.Sent = c
	}
	if f := time.Duration(firstAt.Load() - 1); f >= o.Sent && f <= after {
		o.Answered = f
	}
	o.At = o.Sent + (o.Answered-o.Sent)/2
	if w := time.Duration(wroteAt.Load() - 1); w >= o.Sent && w <= o.Answered {
		o.At = w + (o.Answered-w)/2
	}
	return ok, o, err
}

func (h *httpProber) send(ctx context.Context, method, path, body string) (ok bool, err error) {
	tok, err := h.tokens.Token(ctx)
	if err != nil {
		return false, fmt.Errorf("getting a token: %w", err)
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.base+path+h.query, rd)
	if err != nil {
		return false, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	h.sent.Add(1)
	resp, err := h.client.Do(req)
	if err != nil {
		return false, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		h.refused.Add(1)
		return false, nil
	case resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden,
		resp.StatusCode >= 500:
		return false, fmt.Errorf("%s %s answered %s", method, path, resp.Status)
	}
	return true, nil
}

// setup sends the class's setup request, if any.
func (h *httpProber) setup(ctx context.Context) error {
	if h.req.SetupMethod == "" {
		return nil
	}
	ok, err := h.do(ctx, h.req.SetupMethod, h.req.SetupPath, h.req.SetupBody)
	if err == nil && !ok {
		err = errors.New("throttled (429): the target is not quiet")
	}
	if err != nil {
		return fmt.Errorf("setup %s %s: %w", h.req.SetupMethod, h.req.SetupPath, err)
	}
	return nil
}

func (h *httpProber) probe(ctx context.Context, ph Phase) (Obs, error) {
	ok, o, err := h.timed(ctx, h.req.Method, h.req.Path, h.req.Body)
	o.OK, o.Phase = ok, ph
	return o, err
}

func (h *httpProber) one(ctx context.Context, ph Phase) (Obs, error) { return h.probe(ctx, ph) }

func (h *httpProber) burst(ctx context.Context, ph Phase, n int) ([]Obs, error) {
	var (
		mu    sync.Mutex
		out   []Obs
		first error
		stop  atomic.Bool
		left  atomic.Int64
		wg    sync.WaitGroup
	)
	left.Store(int64(n))
	for range burstWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				if n > 0 && left.Add(-1) < 0 {
					return
				}
				o, err := h.probe(ctx, ph)
				mu.Lock()
				if err != nil {
					if first == nil {
						first = err
					}
					stop.Store(true)
				} else {
					out = append(out, o)
					if !o.OK && n == 0 {
						stop.Store(true)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sortObs(out)
	return out, first
}

func (h *httpProber) paced(ctx context.Context, ph Phase, rate float64, until time.Duration, stop func(int) bool) ([]Obs, error) {
	var (
		mu    sync.Mutex
		out   []Obs
		first error
		okN   int
		wg    sync.WaitGroup
		sem   = make(chan struct{}, maxInflight)
	)
	step := time.Duration(float64(time.Second) / rate)
	next := h.now()
	for {
		mu.Lock()
		done := stop(okN) || first != nil
		mu.Unlock()
		if done || h.now() > until {
			break
		}
		if err := h.sleepUntil(ctx, next); err != nil {
			break
		}
		next += step
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o, err := h.probe(ctx, ph)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
				}
				return
			}
			out = append(out, o)
			if o.OK {
				okN++
			}
		}()
	}
	wg.Wait()
	sortObs(out)
	if first == nil {
		first = ctx.Err()
	}
	return out, first
}

func sortObs(obs []Obs) {
	slices.SortStableFunc(obs, func(a, b Obs) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	})
}
