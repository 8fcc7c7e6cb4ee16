package clientcheck

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Retry is one retry after a 429: which client, of what, how long it waited
// and how long it should have.
type Retry struct {
	Client string `json:"client"`
	Method string `json:"method"`
	Path   string `json:"path"`
	// N counts the 429s in a row the operation had met (1 for the first
	// retry).
	N int `json:"n"`
	// At is when the retry arrived, from the first request recorded.
	At time.Duration `json:"at_ns"`
	// Delay is from the 429's answer to the retry's arrival.
	Delay time.Duration `json:"delay_ns"`
	// Required is the guidance's step for N, or the 429's Retry-After.
	Required time.Duration `json:"required_ns"`
	// RetryAfter says Required came from the 429's Retry-After header.
	RetryAfter bool `json:"retry_after,omitempty"`
	// ClientRequestID is the retry's x-ms-client-request-id ("" for none):
	// with it, concurrent calls of one operation are told apart.
	ClientRequestID string `json:"client_request_id,omitempty"`
	// By is how the retry was told from other calls: ByRequestID or
	// ByArrival.
	By string `json:"by"`
	// Ambiguous says the pairing by arrival may be wrong: the client had
	// calls of the operation in flight at once, and this request may be
	// another call's rather than the 429's retry.
	Ambiguous bool `json:"ambiguous,omitempty"`
	// of names the call the retry's 429 refused (throttledCall.call).
	of string
}

// ratio is how much of its step the retry waited.
func (r Retry) ratio() float64 { return r.Delay.Seconds() / r.Required.Seconds() }

// describe names the retry and its wait; withStep adds the step it is held
// against.
func (r Retry) describe(withStep bool) string {
	s := fmt.Sprintf("%s %s by %s, %.1f s in, waited %s after its 429 (retry %d in a row)",
		r.Method, r.Path, r.Client, r.At.Seconds(), wait(r.Delay), r.N)
	switch {
	case !withStep:
	case r.RetryAfter:
		s += fmt.Sprintf("; the 429's Retry-After asked for %s", r.Required)
	default:
		s += fmt.Sprintf("; the guidance's step is %s", r.Required)
	}
	return s
}

// wait prints a delay readably: milliseconds below a second.
func wait(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.3f s", d.Seconds())
}

// parseRetryAfter reads a Retry-After value, seconds or an HTTP date; 0 for
// none or one that cannot be read.
func parseRetryAfter(v string, at time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(at) {
		return t.Sub(at)
	}
	return 0
}
