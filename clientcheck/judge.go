package clientcheck

import (
	"net/http"
	"slices"
	"time"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
)

// Judging is what a recording is judged by.
type Judging struct {
	// Profile is the documented profile (time scaled when the run was): its
	// limits and window.
	Profile *limits.Profile
	// Model is the window model the emulator enforced, stated in verdicts.
	Model limits.WindowModel
	// Instances multiplies the measured footprint to the planned load
	// (1: as measured).
	Instances float64
	// Allowance widens the footprint checks' tolerance (a time-scaled run's
	// timing allowance, see limits.Scaling).
	Allowance float64
}

// ClientReport is one client's figures, for clients.json and the text
// report.
type ClientReport struct {
	Client
	Name         string           `json:"name"`
	Requests     int              `json:"requests"`
	Throttled    int              `json:"throttled"`
	Unauthorized int              `json:"unauthorized"`
	Classes      []ClassFootprint `json:"classes,omitempty"`
	// MaxWeighted is the largest weighted sum of any window of this client
	// alone, as measured (not multiplied by Instances).
	MaxWeighted float64 `json:"max_weighted"`
	Retries     int     `json:"retries"`
	// Recalls counts new calls (a new client request id) after a 429 the
	// SDK surfaced: the application's loop, not retries.
	Recalls int `json:"new_calls_after_429"`
	// Attribution is how retries were told from other calls: ByRequestID,
	// ByArrival, or both.
	Attribution string `json:"attribution"`
	// ShortestDelay and Worst are nil without retries.
	ShortestDelay *Retry `json:"shortest_delay,omitempty"`
	Worst         *Retry `json:"worst_retry,omitempty"`
}

// Findings is the outcome of judging a recording.
type Findings struct {
	Verdicts []assert.Verdict `json:"verdicts"`
	Clients  []ClientReport   `json:"clients"`
	Retries  []Retry          `json:"retries"`
	// Recalls are the new calls after a surfaced 429 (see ClientReport).
	Recalls []Retry `json:"new_calls_after_429,omitempty"`
	// Span is from the first request recorded to the last.
	Span time.Duration `json:"span_ns"`
}

// Judge measures and judges a recording (in arrival order).
func Judge(reqs []emulator.RequestInfo, j Judging) Findings {
	if j.Instances <= 0 {
		j.Instances = 1
	}
	var f Findings
	if len(reqs) > 0 {
		f.Span = reqs[len(reqs)-1].Start.Sub(reqs[0].Start)
	}
	windows := max(1, float64(f.Span)/float64(j.Profile.Window))
	order, per := byClient(reqs)
	all := make([]*emulator.RequestInfo, len(reqs))
	throttled := 0
	for i := range reqs {
		all[i] = &reqs[i]
		if reqs[i].Status == http.StatusTooManyRequests {
			throttled++
		}
	}
	var calls []throttledCall
	for _, c := range order {
		rs := per[c]
		fp := measureFootprint(rs, j.Profile, windows)
		cr := ClientReport{Client: c, Name: c.String(), Requests: len(rs), Classes: fp.classes, MaxWeighted: fp.maxWeighted}
		for _, r := range rs {
			switch r.Status {
			case http.StatusTooManyRequests:
				cr.Throttled++
			case http.StatusUnauthorized:
				cr.Unauthorized++
			}
		}
		at := attribute(c, rs, reqs[0].Start)
		retries := at.retries
		cr.Retries, cr.Recalls, cr.Attribution = len(retries), len(at.recalls), at.by
		f.Recalls = append(f.Recalls, at.recalls...)
		calls = append(calls, at.throttled...)
		for i := range retries {
			r := &retries[i]
			if cr.ShortestDelay == nil || r.Delay < cr.ShortestDelay.Delay {
				cr.ShortestDelay = r
			}
			if cr.Worst == nil || r.ratio() < cr.Worst.ratio() {
				cr.Worst = r
			}
		}
		f.Retries = append(f.Retries, retries...)
		f.Clients = append(f.Clients, cr)
	}
	counted := 0
	for _, c := range f.Clients {
		if len(c.Classes) > 0 {
			counted++
		}
	}
	f.Verdicts = footprintVerdicts(measureFootprint(all, j.Profile, windows), counted, &j, f.Span)
	f.Verdicts = append(f.Verdicts, backoffVerdicts(f.Retries, f.Recalls, throttled, &j)...)
	// New calls after a surfaced 429 are load on a refusing vault as much
	// as retries are.
	f.Verdicts = append(f.Verdicts, stormVerdict(append(slices.Clone(f.Retries), f.Recalls...), calls, &j))
	return f
}
