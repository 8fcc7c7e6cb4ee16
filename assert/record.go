package assert

import (
	"net/http"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
)

// record is one result reduced to what the checks read. It is 24 bytes, so a
// million of them cost 24 MB where the *vegeta.Result values would cost
// hundreds. Error shapes are judged as results stream by and only counted
// (see tally), so records need not carry bodies.
type record struct {
	// at is the send time in Unix nanoseconds: absolute, so fixed windows can
	// be aligned to the epoch as the target aligns them.
	at int64
	// ans is when the answer came back (send time plus latency): the target
	// decided somewhere in [at, ans] (interval.go).
	ans int64
	// code is the HTTP status; 0 means no response (connection error, timeout).
	code  uint16
	class uint16
}

func (r record) success() bool   { return r.code >= 200 && r.code < 300 }
func (r record) throttled() bool { return r.code == http.StatusTooManyRequests }

// span is the interval of a request a figure counts (interval.go): a success
// as it is, any other request that may have used quota (uncertain) as maybe,
// and ok is false for the rest (429s, requests never sent).
func (r record) span(start int64, cost float64) (it interval, ok bool) {
	return spanOf(r.at, r.ans, r.code, start, cost)
}

func spanOf(at, ans int64, code uint16, start int64, cost float64) (interval, bool) {
	it := interval{sent: at - start, answered: ans - start, cost: cost}
	switch {
	case code >= 200 && code < 300:
		return it, true
	case code == http.StatusTooManyRequests || code == codeUnsent:
		return it, false
	case code == 0:
		it.answered = never
	}
	it.maybe = true
	return it, true
}

// codeUnsent is the code a record carries for a request that never left the
// client: its connection was never made (vegeta's error names the dial), so
// no target can have counted it. Any other request without an answer (code
// 0: a timeout, a reset) may have reached the target, been counted, and
// lost its answer.
const codeUnsent = 1

// recordCode is the code a record keeps of res.
func recordCode(res *vegeta.Result) uint16 {
	if res.Code == 0 && strings.Contains(res.Error, "dial ") {
		return codeUnsent
	}
	return res.Code
}

// tally holds a class's totals, counted as the results stream by.
type tally struct {
	requests   int
	noResponse int // sent, but no HTTP response came back
	unsent     int // of those, the ones that never left the client (codeUnsent)
	other      int // answered, but neither a success nor a 429
	// shaped counts error responses whose status has a shape rule, badShape
	// those not in that shape, and ctUnknown those stored without headers.
	shaped, badShape, ctUnknown int
	// firstBad is the earliest-sent response with a wrong shape.
	firstBad *badResponse
}

// badResponse describes an error response not in Key Vault's shape.
type badResponse struct {
	at     int64
	status int
	reason string
	body   string // truncated to maxQuote
}

// classTable maps classes to the small indices records carry.
type classTable struct {
	index   map[limits.Class]uint16
	classes []limits.Class
	limits  []int
}

// chunkLen is the number of records per chunk of a recordBuf: 1 MiB.
const chunkLen = 1 << 16

// recordBuf collects records in fixed-size chunks while the run streams by.
// A single growing slice would copy the whole run at every doubling and, for
// a million results, spend more time in those copies than in judging.
type recordBuf struct {
	chunks [][]record
	n      int
}

func (b *recordBuf) add(r record) {
	if len(b.chunks) == 0 || len(b.chunks[len(b.chunks)-1]) == chunkLen {
		b.chunks = append(b.chunks, make([]record, 0, chunkLen))
	}
	last := &b.chunks[len(b.chunks)-1]
	*last = append(*last, r)
	b.n++
}

// records returns every record in one slice, sized exactly, and releases the chunks.
func (b *recordBuf) records() []record {
	out := make([]record, 0, b.n)
	for _, c := range b.chunks {
		out = append(out, c...)
	}
	b.chunks = nil
	return out
}
