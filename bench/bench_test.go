package bench

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/runner"
)

// The synthetic run is what a faithful sliding-window vault answers: judged
// like a stored run, every check passes and the onset is the documented
// limit. Were it not, the report benchmark would time a failing judgement.
func TestSyntheticRunIsJudgedAsAFaithfulVault(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, WriteSyntheticRun(dir, 20_000)) // 25 s at 800/s
	rep, err := runner.Judge(dir, runner.JudgeOptions{NoPlots: true})
	require.NoError(t, err)
	require.True(t, rep.Pass)
	require.Len(t, rep.Verdicts, 4)
	// The synthetic run's latencies put one success in flight at the onset:
	// its band holds the limit exactly.
	b := rep.Verdicts[0].Band
	require.NotNil(t, b, rep.Verdicts[0].Detail)
	assert.True(t, b.Low <= 4000 && 4000 <= b.High, "onset band %v: %s", *b, rep.Verdicts[0].Detail)
	assert.Equal(t, 20_000, rep.Totals.Requests)
}

func TestMeasurePaceFindsTheRateAndTheWorstSecond(t *testing.T) {
	t0 := time.Unix(1763860000, 0)
	var even []time.Time
	for i := range 1000 { // 100/s for 10 s, out of order as results arrive
		even = append(even, t0.Add(time.Duration(i^1)*10*time.Millisecond))
	}
	p := measurePace(even, 100)
	assert.InDelta(t, 100, p.rate, 1e-9)
	assert.Zero(t, p.worstBin)
	assert.Equal(t, 1000, p.sent)

	// A stall: the hits due in the fourth second all went out at its end.
	var stalled []time.Time
	for i := range 1000 {
		at := time.Duration(i) * 10 * time.Millisecond
		if at >= 3*time.Second && at < 4*time.Second {
			at = 4 * time.Second
		}
		stalled = append(stalled, t0.Add(at))
	}
	p = measurePace(stalled, 100)
	assert.InDelta(t, 100, p.rate, 1e-9, "the mean rate hides a stall...")
	assert.InDelta(t, 1, p.worstBin, 1e-9, "...the worst whole second shows it")
	assert.Equal(t, time.Second, p.maxLag)
}

// Smoke runs of the two network benchmarks, a fraction of a second each on
// loopback: they run end to end and report figures. Their targets are for a
// quiet machine and `kvquota bench`, not for a test.
func TestNetworkBenchmarksRunEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("attacks loopback at the maximum rate")
	}
	ctx := context.Background()
	figs, err := Throughput(ctx, ThroughputOptions{Duration: 300 * time.Millisecond, Rounds: 1, Workers: 8})
	require.NoError(t, err)
	require.Len(t, figs, 1)
	assert.Positive(t, figs[0].Measured, figs[0].Detail)

	figs, err = Pacing(ctx, PacingOptions{Rates: []float64{200}, Duration: 500 * time.Millisecond})
	require.NoError(t, err)
	require.Len(t, figs, 1)
	// How close the pacing came is the benchmark's figure, not this test's:
	// a busy machine moves it. The test holds that it was measured.
	assert.GreaterOrEqual(t, figs[0].Measured, 0.0, figs[0].Detail)
	assert.Positive(t, figs[0].Target, figs[0].Detail)
}

// TestKvtestCyclesUnderTestingBenchmark: the kvtest benchmark runs its
// cycle (a vault started, a window filled and stepped past, keys and a
// certificate) under each window model and reports one figure each; a cycle
// that fails is an error, not a figure.
func TestKvtestCyclesUnderTestingBenchmark(t *testing.T) {
	figs, err := Kvtest(context.Background(), KvtestOptions{})
	require.NoError(t, err)
	require.Len(t, figs, 3)
	for i, m := range []string{"sliding", "fixed", "token-bucket"} {
		assert.Equal(t, "kvtest cycle, "+m+" window", figs[i].Name)
		assert.Positive(t, figs[i].Measured, figs[i].Detail)
		assert.Equal(t, 2000.0, figs[i].Target)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Kvtest(ctx, KvtestOptions{})
	assert.ErrorContains(t, err, "kvtest, sliding window")
	assert.ErrorIs(t, err, context.Canceled)
}
