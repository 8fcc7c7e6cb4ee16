package clientcheck

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/scenarios"
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

// chain follows one operation of one client through its 429s.
type chain struct {
	n          int
	answered   time.Time
	retryAfter time.Duration // 0: none sent
}

// findRetries finds a client's retries in its requests (arrival order);
// t0 is the first request recorded of any client.
func findRetries(c Client, reqs []*emulator.RequestInfo, t0 time.Time) []Retry {
	var out []Retry
	byOp := map[string]*chain{}
	byID := map[string]*chain{}
	for _, r := range reqs {
		op := r.Method + " " + r.Path
		ch := byID[r.ClientRequestID]
		if r.ClientRequestID == "" || ch == nil {
			ch = byOp[op]
		}
		if ch != nil {
			rt := Retry{Client: c.String(), Method: r.Method, Path: r.Path, N: ch.n,
				At: r.Start.Sub(t0), Delay: r.Start.Sub(ch.answered), Required: step(ch.n)}
			if ch.retryAfter > 0 {
				rt.Required, rt.RetryAfter = ch.retryAfter, true
			}
			out = append(out, rt)
		}
		if r.Status != http.StatusTooManyRequests {
			// Any other answer ends the operation's chain.
			delete(byOp, op)
			if r.ClientRequestID != "" {
				delete(byID, r.ClientRequestID)
			}
			continue
		}
		if ch == nil {
			ch = &chain{}
		}
		ch.n++
		ch.answered = r.End
		ch.retryAfter = parseRetryAfter(r.RetryAfter, r.End)
		byOp[op] = ch
		if r.ClientRequestID != "" {
			byID[r.ClientRequestID] = ch
		}
	}
	return out
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

// backoffVerdicts judges every client's retries: the shortest delay against
// the first step, and the retry furthest below its own step.
func backoffVerdicts(retries []Retry, throttled int, j *Judging) []assert.Verdict {
	if len(retries) == 0 {
		detail := "no retry after a 429 was seen, so back-off was not exercised"
		if throttled == 0 {
			detail = "the vault answered no 429, so back-off was not exercised: lower the emulator's limits (--limit) to see the application throttled"
		}
		var vs []assert.Verdict
		for _, c := range []scenarios.CheckName{CheckImmediateRetry, CheckBackoff} {
			vs = append(vs, assert.Verdict{Check: c, Pass: true, Measured: 0, Expected: 0,
				Comparison: assert.AtLeast, Unit: "retries after a 429", Window: j.Model, Detail: detail})
		}
		return vs
	}
	shortest, worst := retries[0], retries[0]
	for _, r := range retries[1:] {
		if r.Delay < shortest.Delay {
			shortest = r
		}
		if r.ratio() < worst.ratio() {
			worst = r
		}
	}
	first := Guidance[0]
	if shortest.RetryAfter {
		first = shortest.Required
	}
	imm := assert.Verdict{
		Check: CheckImmediateRetry, Measured: shortest.Delay.Seconds(), Expected: first.Seconds(),
		Tolerance: DelayTolerance, Comparison: assert.AtLeast, Unit: "s shortest retry delay", Window: j.Model,
		Detail: fmt.Sprintf("shortest of %d retries: %s (a delay of at least %.0f%% of the step passes: the Azure SDK's jittered 0.64-1.04 s first delay does)",
			len(retries), shortest.describe(false), (1-DelayTolerance)*100),
	}
	settle(&imm)
	bo := assert.Verdict{
		Check: CheckBackoff, Measured: worst.Delay.Seconds(), Expected: worst.Required.Seconds(),
		Tolerance: DelayTolerance, Comparison: assert.AtLeast, Unit: "s delay of the retry furthest below its step", Window: j.Model,
		Detail: fmt.Sprintf("steps 1, 2, 4, 8, 16 s, or Retry-After when sent; furthest below its step of %d retries: %s",
			len(retries), worst.describe(true)),
	}
	settle(&bo)
	return []assert.Verdict{imm, bo}
}
