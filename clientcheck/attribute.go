package clientcheck

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/kvquota/kvquota/emulator"
)

// How a client's retries were told from its other calls (Retry.By,
// ClientReport.Attribution).
const (
	// ByRequestID: the retry carries the x-ms-client-request-id of the 429
	// it repeats. The Azure SDK for JS (core-rest-pipeline's
	// setClientRequestIdPolicy) sets it once per call and keeps it across
	// the call's retries; azcore (Go) has runtime.NewRequestIDPolicy but
	// does not put it in the default pipeline, so Go clients send none.
	ByRequestID = "by client request id"
	// ByArrival: the client sent no request id, so a 429 is paired with the
	// first later request of the same operation that arrived after the 429
	// was answered and is not already paired.
	ByArrival = "by order of arrival"
	// byBoth: some requests carried an id and some did not.
	byBoth = "by client request id where sent, else by order of arrival"
)

// attribution is a client's requests sorted into retries and new calls.
type attribution struct {
	// retries are the retries of the client's calls (its SDK's, or a loop
	// that re-sends the same call without a request id).
	retries []Retry
	// recalls are new calls (a new request id) of an operation after a 429
	// that no request with its id followed: the SDK gave up and surfaced
	// the 429, and the application called again.
	recalls []Retry
	// by is how the client was attributed (ByRequestID, ByArrival, byBoth).
	by string
	// throttled is every 429 of the client with the call it refused.
	throttled []throttledCall
}

// throttledCall is one 429: when it was answered (from the first request
// recorded) and which call it refused, as well as the recording can tell:
// the client request id; without one, the operation for a client that made
// one call of it at a time, and the 429 alone for one that made several.
type throttledCall struct {
	at   time.Duration
	call string
}

// pending is a 429 waiting for its retry.
type pending struct {
	r *emulator.RequestInfo
	n int // 429s in a row of its call, this one included
}

// attribute sorts a client's requests (arrival order) into retries and new
// calls after a surfaced 429; t0 is the first request recorded of any
// client. A request is never a retry of a 429 that was answered after it
// arrived, so no delay is negative.
func attribute(c Client, reqs []*emulator.RequestInfo, t0 time.Time) attribution {
	var withID, without []*emulator.RequestInfo
	for _, r := range reqs {
		if r.ClientRequestID != "" {
			withID = append(withID, r)
		} else {
			without = append(without, r)
		}
	}
	a := attribution{by: ByArrival}
	switch {
	case len(without) == 0 && len(withID) > 0:
		a.by = ByRequestID
	case len(withID) > 0 && hasClass(without):
		a.by = byBoth
	}
	var calls map[*emulator.RequestInfo]string
	// Calls in flight at once anywhere in the client make every pairing by
	// arrival of it ambiguous.
	concurrent := inFlightAtOnce(reqs)
	a.throttled, calls = throttledCalls(c, withID, without, concurrent, t0)
	mk := func(p pending, r *emulator.RequestInfo, by string) Retry {
		return Retry{Client: c.String(), Method: r.Method, Path: r.Path, N: p.n, By: by, ClientRequestID: r.ClientRequestID,
			At: r.Start.Sub(t0), Delay: r.Start.Sub(p.r.End), Required: step(p.n), of: calls[p.r]}
	}
	surfaced := byRequestID(withID, reqs[len(reqs)-1].Start, func(p pending, r *emulator.RequestInfo) {
		a.retries = append(a.retries, withStep(mk(p, r, ByRequestID), p.r))
	})
	recalls(surfaced, withID, func(p pending, r *emulator.RequestInfo) {
		a.recalls = append(a.recalls, withStep(mk(p, r, ByRequestID), p.r))
	})
	for _, op := range operations(without) {
		byArrival(op, concurrent, func(p pending, r *emulator.RequestInfo, ambiguous bool) {
			rt := withStep(mk(p, r, ByArrival), p.r)
			rt.Ambiguous = ambiguous
			a.retries = append(a.retries, rt)
		})
	}
	slices.SortStableFunc(a.retries, func(x, y Retry) int { return cmp.Compare(x.At, y.At) })
	return a
}

// withStep holds rt to its 429's Retry-After when the 429 sent one.
func withStep(rt Retry, p *emulator.RequestInfo) Retry {
	if ra := parseRetryAfter(p.RetryAfter, p.End); ra > 0 {
		rt.Required, rt.RetryAfter = ra, true
	}
	return rt
}

// hasClass reports whether any of reqs reached the quota step (challenge
// and token requests carry no request id and do not count).
func hasClass(reqs []*emulator.RequestInfo) bool {
	return slices.ContainsFunc(reqs, func(r *emulator.RequestInfo) bool { return r.Class != "" })
}

// byRequestID follows each request id through its 429s: a request is a
// retry of the last 429 of its id when it arrived after that 429 was
// answered. It returns the 429s no request of their id followed though the
// recording (to last, the client's last arrival) ran on for twice their
// step: the SDK gave up on them. A 429 nearer the end may still have been
// waiting out its back-off.
func byRequestID(reqs []*emulator.RequestInfo, last time.Time, retry func(pending, *emulator.RequestInfo)) []pending {
	open := map[string]pending{}
	for _, r := range reqs {
		p, ok := open[r.ClientRequestID]
		n := 0
		if ok && !r.Start.Before(p.r.End) {
			retry(p, r)
			n = p.n
		} else if ok {
			// The id reused by a call in flight at once: not a retry, and
			// the 429 still waits for its own.
			continue
		}
		if r.Status == http.StatusTooManyRequests {
			open[r.ClientRequestID] = pending{r: r, n: n + 1}
		} else {
			delete(open, r.ClientRequestID)
		}
	}
	var out []pending
	for _, p := range open {
		wait := step(p.n)
		if ra := parseRetryAfter(p.r.RetryAfter, p.r.End); ra > 0 {
			wait = ra
		}
		if last.Sub(p.r.End) > 2*wait {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(x, y pending) int { return x.r.End.Compare(y.r.End) })
	return out
}

// recalls pairs each surfaced 429 (answer order) with the first request of
// the same operation under a new request id that arrived after it was
// answered and is not already paired: the application's own loop calling
// again once the SDK gave up.
func recalls(surfaced []pending, reqs []*emulator.RequestInfo, pair func(pending, *emulator.RequestInfo)) {
	seen := map[string]bool{}
	fresh := map[string][]*emulator.RequestInfo{}
	for _, r := range reqs {
		if !seen[r.ClientRequestID] {
			seen[r.ClientRequestID] = true
			fresh[opOf(r)] = append(fresh[opOf(r)], r)
		}
	}
	free := map[string]*freeList{}
	for op, rs := range fresh {
		free[op] = newFreeList(rs)
	}
	for _, p := range surfaced {
		if fl := free[opOf(p.r)]; fl != nil {
			if i := fl.take(p.r.End, p.r); i >= 0 {
				pair(p, fl.reqs[i])
			}
		}
	}
}

// opOf names a request's operation: its method and path.
func opOf(r *emulator.RequestInfo) string { return r.Method + " " + r.Path }

// operations groups requests (arrival order) by operation.
func operations(reqs []*emulator.RequestInfo) [][]*emulator.RequestInfo {
	idx := map[string]int{}
	var out [][]*emulator.RequestInfo
	for _, r := range reqs {
		i, ok := idx[opOf(r)]
		if !ok {
			i = len(out)
			idx[opOf(r)] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], r)
	}
	return out
}

// byArrival pairs each 429 of one operation (answer order) with the first
// request of the operation that arrived after the 429 was answered and is
// not already paired. When the client ever had two requests on the wire at
// once (concurrent), every pairing is ambiguous: a call waiting out its
// back-off sends nothing, so any later request may be another call's
// rather than the 429's retry. A client whose requests never overlapped (a
// loop like hammer's, the Go SDK in a loop) is paired as if it made one
// call at a time: a concurrent client whose requests happen never to
// overlap (a slow client, a fast vault) looks the same, and only a request
// id tells it apart.
func byArrival(op []*emulator.RequestInfo, concurrent bool, retry func(p pending, r *emulator.RequestInfo, ambiguous bool)) {
	fl := newFreeList(op)
	order := make([]int, 0, len(op))
	for i, r := range op {
		if r.Status == http.StatusTooManyRequests {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(x, y int) int { return op[x].End.Compare(op[y].End) })
	n := make([]int, len(op)) // 429s in a row, for each paired 429
	for _, pi := range order {
		p := op[pi]
		n[pi]++
		k := fl.take(p.End, p)
		if k < 0 {
			continue
		}
		if op[k].Status == http.StatusTooManyRequests {
			n[k] = n[pi]
		}
		retry(pending{r: p, n: n[pi]}, op[k], concurrent)
	}
}

// throttledCalls names the call each 429 of a client refused (see
// throttledCall), for the storm check.
func throttledCalls(c Client, withID, without []*emulator.RequestInfo, concurrent bool, t0 time.Time) ([]throttledCall, map[*emulator.RequestInfo]string) {
	var out []throttledCall
	calls := map[*emulator.RequestInfo]string{}
	add := func(r *emulator.RequestInfo, call string) {
		out = append(out, throttledCall{r.End.Sub(t0), call})
		calls[r] = call
	}
	for _, r := range withID {
		if r.Status == http.StatusTooManyRequests {
			add(r, c.String()+" "+opOf(r)+" "+r.ClientRequestID)
		}
	}
	for _, op := range operations(without) {
		for i, r := range op {
			if r.Status != http.StatusTooManyRequests {
				continue
			}
			if concurrent {
				add(r, fmt.Sprintf("%s %s #%d", c, opOf(r), i))
			} else {
				add(r, c.String()+" "+opOf(r))
			}
		}
	}
	return out, calls
}

// inFlightAtOnce reports whether two of reqs (arrival order) were ever on
// the wire together: one arrived before an earlier one was answered.
func inFlightAtOnce(reqs []*emulator.RequestInfo) bool {
	var answered time.Time // the latest answer so far
	for _, r := range reqs {
		if answered.After(r.Start) {
			return true
		}
		if r.End.After(answered) {
			answered = r.End
		}
	}
	return false
}

// freeList hands out requests (arrival order) once each: take gives the
// first not yet taken that arrived at or after a time.
type freeList struct {
	reqs []*emulator.RequestInfo
	next []int // path-compressed: the first free index at or after i
}

func newFreeList(reqs []*emulator.RequestInfo) *freeList {
	fl := &freeList{reqs: reqs, next: make([]int, len(reqs)+1)}
	for i := range fl.next {
		fl.next[i] = i
	}
	return fl
}

// find is the first free index at or after i (len(reqs) for none).
func (fl *freeList) find(i int) int {
	for fl.next[i] != i {
		fl.next[i] = fl.next[fl.next[i]]
		i = fl.next[i]
	}
	return i
}

// take marks and returns the index of the first free request that arrived
// at or after t and is not self; -1 for none.
func (fl *freeList) take(t time.Time, self *emulator.RequestInfo) int {
	i := sort.Search(len(fl.reqs), func(i int) bool { return !fl.reqs[i].Start.Before(t) })
	for i = fl.find(i); i < len(fl.reqs); i = fl.find(i + 1) {
		if fl.reqs[i] != self {
			fl.next[i] = i + 1
			return i
		}
	}
	return -1
}
