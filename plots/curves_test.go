package plots

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

// epoch is a Unix time on a 10 s boundary; the test run starts 3 s after it.
var epoch = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano()

func testRun(recs ...record) *run {
	return &run{recs: recs, classes: []limits.Class{limits.Secrets}, limits: []int{100}, start: epoch + int64(3*time.Second)}
}

func at(d time.Duration) int64 { return epoch + int64(3*time.Second+d) }

func TestRatesBinOutcomesPerSecond(t *testing.T) {
	t.Parallel()
	r := testRun(
		record{at: at(0), kind: succeeded},
		record{at: at(999 * time.Millisecond), kind: throttled},
		record{at: at(time.Second), kind: failed, class: noClass},
		record{at: at(2500 * time.Millisecond), kind: succeeded},
	)
	s := r.rates()
	require.Equal(t, int64(1), s.bin)
	require.Equal(t, int64(0), s.first)
	require.Equal(t, []float64{2, 1, 1}, s.offered)
	require.Equal(t, []float64{1, 0, 1}, s.succeeded)
	require.Equal(t, []float64{1, 0, 0}, s.throttled)
	require.Equal(t, []float64{0, 1, 0}, s.other)
	require.Equal(t, 2.5, s.xys(s.offered)[2].X, "counts sit mid-second")
}

func TestRatesOfALongRunAreMeansOverWiderBins(t *testing.T) {
	t.Parallel()
	// 1000 s at 3 req/s: 5 s bins (1000/240 > 2) of 15 requests, 3 req/s each.
	var recs []record
	for i := range 3000 {
		recs = append(recs, record{at: at(time.Duration(i) * time.Second / 3), kind: succeeded})
	}
	s := testRun(recs...).rates()
	require.Equal(t, int64(5), s.bin)
	require.Len(t, s.offered, 200)
	for _, v := range s.succeeded {
		require.InDelta(t, 3.0, v, 1e-9)
	}
	require.Equal(t, 7.5, s.xys(s.offered)[1].X)
	x0, x1 := s.span()
	require.Equal(t, []float64{0, 1000}, []float64{x0, x1})
}

// countAt returns the curve's value at the last sample at or before t.
func countAt(times []int64, counts []float64, t int64) float64 {
	v := 0.0
	for k, s := range times {
		if s <= t {
			v = counts[k]
		}
	}
	return v
}

func TestWindowCurves(t *testing.T) {
	t.Parallel()
	// One success a second for 30 s, from the start (3 s into an epoch bucket).
	var recs []record
	for i := range 30 {
		recs = append(recs, record{at: at(time.Duration(i) * time.Second), kind: succeeded})
	}
	recs = append(recs, record{at: at(30 * time.Second), kind: throttled})
	r := testRun(recs...)

	times, counts := r.windowCurves(limits.Sliding, 10*time.Second)
	require.Equal(t, 1.0, countAt(times, counts[0], at(0)))
	require.Equal(t, 5.0, countAt(times, counts[0], at(4500*time.Millisecond)))
	require.Equal(t, 10.0, countAt(times, counts[0], at(20*time.Second)), "the trailing 10 s hold 10")
	require.Equal(t, 9.0, countAt(times, counts[0], at(30*time.Second)), "(20, 30] holds 21..29: the one sent at 20 s left at 30 s")
	require.LessOrEqual(t, len(times), maxSamples+2)

	// Fixed: epoch buckets start at offsets 7 s, 17 s, 27 s.
	times, counts = r.windowCurves(limits.Fixed, 10*time.Second)
	require.Equal(t, 7.0, countAt(times, counts[0], at(7*time.Second-1)), "offsets 0..6 in the first bucket")
	require.Equal(t, 1.0, countAt(times, counts[0], at(7*time.Second)), "a new bucket holds only the success sent at 7 s")
	require.Contains(t, times, at(17*time.Second)-1, "a sample on each side of a boundary")
	require.Contains(t, times, at(17*time.Second))
	require.Equal(t, 10.0, countAt(times, counts[0], at(17*time.Second-1)))
}

func TestRoundTicks(t *testing.T) {
	t.Parallel()
	var labels []string
	for _, tk := range (roundTicks{}).Ticks(0, 50) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	require.Equal(t, []string{"0", "10", "20", "30", "40", "50"}, labels)
	labels = nil
	for _, tk := range (roundTicks{}).Ticks(-0.3, 1.2) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	require.Equal(t, []string{"-0.2", "0.0", "0.2", "0.4", "0.6", "0.8", "1.0", "1.2"}, labels)
	for _, tk := range (roundTicks{}).Ticks(-0.01, 0.05) {
		require.NotEqual(t, "-0.00", tk.Label)
	}
	require.Len(t, (roundTicks{}).Ticks(5, 5), 1, "an empty range still gets a tick")
}
