package assert_test

import (
	"iter"
	"net/http"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// millionResults streams n results of a sliding target with the 2021 secrets
// limit (4000 per 10 s) offered 800 req/s, twice its limit rate, the way a
// results file is read: a Result at a time, never all at once. Pairs of
// neighbours are swapped, as vegeta emits results as they complete.
func millionResults(n int) (iter.Seq[*vegeta.Result], []scenarios.Span) {
	tg := &target{model: limits.Sliding, limit: 4000, window: 10 * time.Second}
	codes := make([]uint16, n)
	step := time.Second / 800
	for i := range codes {
		codes[i] = 200
		if !tg.admit(start.Add(time.Duration(i) * step)) {
			codes[i] = 429
		}
	}
	d := time.Duration(n) * step
	spans := []scenarios.Span{{Stage: 1, To: d, StartRate: 800, EndRate: 800}}
	return func(yield func(*vegeta.Result) bool) {
		h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
		for i := range codes {
			j := i ^ 1 // swap neighbours
			if j >= len(codes) {
				j = i
			}
			r := &vegeta.Result{
				Timestamp: start.Add(time.Duration(j) * step), Latency: time.Millisecond,
				Method: "GET", URL: "https://127.0.0.1:8443/secrets/onset-17?api-version=7.5",
				Code: codes[j], Headers: h,
			}
			if r.Code == 429 {
				r.Body = []byte(throttledBody)
				r.Error = "429 Too Many Requests"
			}
			if !yield(r) {
				return
			}
		}
	}, spans
}

func BenchmarkCheckMillionResults(b *testing.B) {
	rs, spans := millionResults(1_000_000)
	in := assert.Input{
		Profile: limits.MustGet("2021"), Start: start, Stages: spans,
		Expect: expect(allChecks...),
	}
	for b.Loop() {
		vs, err := assert.Check(in, rs)
		if err != nil {
			b.Fatal(err)
		}
		if !(results.Overall(vs[:2]) == results.Passed) || !vs[3].Pass || !vs[4].Pass {
			b.Fatalf("a saturated target must pass onset, no-early-throttle, goodput and error-shape: %+v", vs)
		}
	}
}
