package plots_test

import (
	"iter"
	"net/http"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plots"
)

// millionResults streams n results of a sliding 2021 vault (secrets 4000 per
// 10 s) offered 800 req/s, a Result at a time as from a results file, with
// neighbours swapped as vegeta emits results as they complete.
func millionResults(n int) iter.Seq[*vegeta.Result] {
	p := limits.MustGet("2021")
	tg := &target{p: p, model: limits.Sliding}
	codes := make([]uint16, n)
	step := time.Second / 800
	for i := range codes {
		codes[i] = 200
		if !tg.admit(start.Add(time.Duration(i)*step), limits.Secrets) {
			codes[i] = 429
		}
	}
	return func(yield func(*vegeta.Result) bool) {
		h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
		for i := range codes {
			j := min(i^1, len(codes)-1)
			r := &vegeta.Result{
				Timestamp: start.Add(time.Duration(j) * step), Method: "GET",
				URL: "https://127.0.0.1:8443/secrets/onset-17?api-version=7.5", Code: codes[j], Headers: h,
			}
			if !yield(r) {
				return
			}
		}
	}
}

func BenchmarkDrawMillionResults(b *testing.B) { benchDraw(b, 1_000_000) }

// BenchmarkDrawSmallRun draws a time-scaled run's worth of results (5,000),
// where the cost is rendering and encoding the eight files, not binning.
func BenchmarkDrawSmallRun(b *testing.B) { benchDraw(b, 5_000) }

// benchDraw draws the eight files of n results once per iteration.
func benchDraw(b *testing.B, n int) {
	results := millionResults(n)
	in := plots.Input{Scenario: "bench", Start: start, Profile: limits.MustGet("2021")}
	dir := b.TempDir()
	for b.Loop() {
		files, err := plots.Draw(dir, in, results)
		if err != nil || len(files) != 8 {
			b.Fatal(files, err)
		}
	}
}
