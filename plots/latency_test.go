package plots

import (
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"
)

func TestARecordStaysSixteenBytes(t *testing.T) {
	t.Parallel()
	require.Equal(t, uintptr(16), unsafe.Sizeof(record{}), "a million results must stay 16 MB")
}

func TestLatencyPercentilesPerBin(t *testing.T) {
	t.Parallel()
	var recs []record
	// Second 0: latencies 1..100 ms; second 2: one answered at 7 ms and one
	// without a response (left out); second 1 holds nothing answered.
	for i := 1; i <= 100; i++ {
		recs = append(recs, record{at: at(time.Duration(i) * time.Millisecond), lat: uint32(i) * 1000, status: status2xx})
	}
	recs = append(recs,
		record{at: at(1500 * time.Millisecond), lat: 5e6, status: statusNone},
		record{at: at(2 * time.Second), lat: 7000, status: status429},
		record{at: at(2100 * time.Millisecond), lat: 9e6, status: statusNone},
	)
	b, xs, qs := testRun(recs...).latencyCurves()
	require.Equal(t, int64(1), b.width)
	require.Equal(t, []float64{0.5, 2.5}, xs, "bins without an answered request have no point")
	require.Equal(t, []float64{50, 7}, qs[0], "p50")
	require.Equal(t, []float64{90, 7}, qs[1], "p90")
	require.Equal(t, []float64{99, 7}, qs[2], "p99")
}

func TestRank(t *testing.T) {
	t.Parallel()
	require.Equal(t, 0, rank(1, 0.99))
	require.Equal(t, 49, rank(100, 0.5))
	require.Equal(t, 98, rank(100, 0.99))
	require.Equal(t, 1, rank(3, 0.5))
}

func TestStatusCountsStackByGroup(t *testing.T) {
	t.Parallel()
	r := testRun(
		record{at: at(0), status: status2xx},
		record{at: at(100 * time.Millisecond), status: status2xx},
		record{at: at(200 * time.Millisecond), status: status429},
		record{at: at(1200 * time.Millisecond), status: status403},
		record{at: at(1300 * time.Millisecond), status: statusNone},
		record{at: at(1400 * time.Millisecond), status: status5xx},
	)
	b, c := r.statusCounts()
	require.Equal(t, 2, b.n)
	require.Equal(t, []float64{2, 0}, c[status2xx])
	require.Equal(t, []float64{1, 0}, c[status429])
	require.Equal(t, []float64{0, 1}, c[status403])
	require.Equal(t, []float64{0, 1}, c[statusNone])
	require.Equal(t, []float64{0, 1}, c[status5xx])
	require.Equal(t, []float64{0, 0}, c[status401])
}

func TestStatusOf(t *testing.T) {
	t.Parallel()
	for code, want := range map[uint16]status{0: statusNone, 200: status2xx, 204: status2xx, 429: status429,
		401: status401, 403: status403, 404: status4xx, 409: status4xx, 500: status5xx, 503: status5xx, 302: statusOther, 999: statusOther} {
		require.Equal(t, want, statusOf(code), "%d", code)
	}
	require.Equal(t, uint32(maxLatency), micros(100*time.Hour))
	require.Equal(t, uint32(0), micros(-time.Second))
	require.Equal(t, uint32(1500), micros(1500*time.Microsecond))
}
