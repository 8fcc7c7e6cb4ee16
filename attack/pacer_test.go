package attack

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

const s = time.Second

func span(stage int, from, to time.Duration, start, end float64) scenarios.Span {
	return scenarios.Span{Stage: stage, From: from, To: to, StartRate: start, EndRate: end}
}

// simulate runs the pacer the way vegeta's attack loop does, on a virtual
// clock that never runs late: ask Pace, wait what it says, hit, repeat.
func simulate(t *testing.T, p *Pacer) []time.Duration {
	t.Helper()
	var (
		elapsed time.Duration
		times   []time.Duration
	)
	for hits := uint64(0); ; hits++ {
		wait, stop := p.Pace(elapsed, hits)
		if stop {
			return times
		}
		// Checked by hand, not with testify: its reflection, per hit, was
		// most of this package's test time under -race.
		if wait < 0 {
			t.Fatalf("hit %d: the pacer asked to wait %v", len(times), wait)
		}
		elapsed += wait
		times = append(times, elapsed)
		if len(times) >= 10_000_000 {
			t.Fatal("runaway pacer: 10,000,000 hits")
		}
	}
}

// secs turns seconds into a Duration rounded to the nanosecond.
func secs(x float64) time.Duration { return time.Duration(math.Round(x * 1e9)) }

func TestPacerHitTimes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		spans []scenarios.Span
		// at gives the due time of hit n, in seconds.
		at    func(n int) float64
		total int
	}{
		{
			name:  "steps up",
			spans: []scenarios.Span{span(1, 0, s, 10, 10), span(2, s, 2*s, 20, 20)},
			at: func(n int) float64 {
				if n < 10 {
					return float64(n) / 10
				}
				return 1 + float64(n-10)/20
			},
			total: 30,
		},
		{
			name:  "step down",
			spans: []scenarios.Span{span(1, 0, s, 100, 100), span(2, s, 2*s, 10, 10)},
			at: func(n int) float64 {
				if n < 100 {
					return float64(n) / 100
				}
				return 1 + float64(n-100)/10
			},
			total: 110,
		},
		{
			// r = 10t, H = 5t²: hit n at sqrt(n/5).
			name:  "ramp from 0",
			spans: []scenarios.Span{span(1, 0, 10*s, 0, 100)},
			at:    func(n int) float64 { return math.Sqrt(float64(n) / 5) },
			total: 500,
		},
		{
			// r = 100 - 10t, H = 100t - 5t²: hit n at (100 - sqrt(10000 - 20n)) / 10.
			name:  "ramp down to 0",
			spans: []scenarios.Span{span(1, 0, 10*s, 100, 0)},
			at:    func(n int) float64 { return (100 - math.Sqrt(10000-20*float64(n))) / 10 },
			total: 500,
		},
		{
			// 2 s at 10/s, then r = 10 + 5(t-2): H = 20 + 10u + 2.5u² for u = t-2.
			name:  "step then ramp",
			spans: []scenarios.Span{span(1, 0, 2*s, 10, 10), span(2, 2*s, 4*s, 10, 20)},
			at: func(n int) float64 {
				if n < 20 {
					return float64(n) / 10
				}
				m := float64(n - 20)
				return 2 + (-10+math.Sqrt(100+10*m))/5
			},
			total: 50,
		},
		{
			// A pause: hit 10 waits for the load to resume at 3 s rather than
			// going out at 1 s, inside the pause.
			name:  "pause",
			spans: []scenarios.Span{span(1, 0, s, 10, 10), span(2, s, 3*s, 0, 0), span(3, 3*s, 4*s, 10, 10)},
			at: func(n int) float64 {
				if n < 10 {
					return float64(n) / 10
				}
				return 3 + float64(n-10)/10
			},
			total: 20,
		},
		{
			// A schedule that opens with a pause sends nothing until it ends.
			name:  "leading pause",
			spans: []scenarios.Span{span(1, 0, 2*s, 0, 0), span(2, 2*s, 3*s, 4, 4)},
			at:    func(n int) float64 { return 2 + float64(n)/4 },
			total: 4,
		},
		{
			// 1.5 hits of load: hits 0 and 1, the second at H = 1.
			name:  "fractional load",
			spans: []scenarios.Span{span(1, 0, 3*s, 0.5, 0.5)},
			at:    func(n int) float64 { return float64(n) * 2 },
			total: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPacer(tc.spans)
			require.NoError(t, p.Err())
			times := simulate(t, p)
			require.Len(t, times, tc.total)
			for n, got := range times {
				assert.InDelta(t, float64(secs(tc.at(n))), float64(got), 2, "hit %d", n)
			}
			// Every hit is due no earlier than the one before.
			for n := 1; n < len(times); n++ {
				assert.GreaterOrEqual(t, times[n], times[n-1])
			}
		})
	}
}

func TestPacerTotalHitsMatchTheOfferedLoad(t *testing.T) {
	t.Parallel()
	// The built-in onset schedule: 2000 + 15000 + 8000 hits.
	onset, err := scenarios.Builtin("secrets-onset")
	require.NoError(t, err)
	p := NewPacer(onset.Schedule(limits.MustGet("2021")))
	require.NoError(t, p.Err())
	assert.InDelta(t, 25000, p.Total(), 1e-6)
	assert.Equal(t, 50*s, p.Duration())
	assert.Len(t, simulate(t, p), 25000)

	// Random schedules of steps, ramps and pauses: ⌈∫r⌉ hits, all within the
	// schedule, none early.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		var spans []scenarios.Span
		var at time.Duration
		var integral float64
		for i := range 1 + rng.IntN(5) {
			d := time.Duration(1+rng.IntN(3000)) * time.Millisecond
			a, b := rate(rng), rate(rng)
			spans = append(spans, span(i+1, at, at+d, a, b))
			integral += (a + b) / 2 * d.Seconds()
			at += d
		}
		p := NewPacer(spans)
		require.NoError(t, p.Err())
		assert.InDelta(t, integral, p.Total(), 1e-6)
		times := simulate(t, p)
		assert.Equal(t, int(math.Ceil(integral-1e-9)), len(times), "%v", spans)
		assert.InDelta(t, integral, float64(len(times)), 1)
		for n, due := range times {
			// Within the schedule, and no hit goes out before the load has
			// reached it.
			if due >= at || p.Hits(due)+1e-6 < float64(n) {
				t.Fatalf("hit %d due at %s, when H = %g, in %v", n, due, p.Hits(due), spans)
			}
		}
	}
}

// rate is a random rate in hits/s, 0 one time in four.
func rate(rng *rand.Rand) float64 {
	if rng.IntN(4) == 0 {
		return 0
	}
	return rng.Float64() * 500
}

func TestPacerDueSolvesTheCumulativeLoad(t *testing.T) {
	t.Parallel()
	p := NewPacer([]scenarios.Span{
		span(1, 0, 10*s, 200, 200),
		span(2, 10*s, 40*s, 200, 800),
		span(3, 40*s, 50*s, 800, 800),
	})
	for _, n := range []uint64{0, 1, 1999, 2000, 2001, 9000, 16999, 17000, 24999} {
		due, ok := p.Due(n)
		require.True(t, ok, n)
		assert.InDelta(t, float64(n), p.Hits(due), 1e-3, "hit %d due at %s", n, due)
	}
	due, ok := p.Due(2000)
	require.True(t, ok)
	assert.Equal(t, 10*s, due, "the first hit of the ramp starts it")
	_, ok = p.Due(25000)
	assert.False(t, ok, "25000 hits are 0..24999")

	// H at a few points: 200t up to 10 s, then 2000 + 200u + 10u².
	assert.Equal(t, 0.0, p.Hits(-s))
	assert.InDelta(t, 1000, p.Hits(5*s), 1e-9)
	assert.InDelta(t, 2000+200*10+10*100, p.Hits(20*s), 1e-9)
	assert.InDelta(t, 25000, p.Hits(time.Hour), 1e-9)
}

func TestPacerPace(t *testing.T) {
	t.Parallel()
	p := NewPacer([]scenarios.Span{span(1, 0, 2*s, 10, 10)})

	wait, stop := p.Pace(0, 0)
	assert.False(t, stop)
	assert.Equal(t, time.Duration(0), wait, "hit 0 is due at once")

	wait, stop = p.Pace(50*time.Millisecond, 1)
	assert.False(t, stop)
	assert.Equal(t, 50*time.Millisecond, wait, "hit 1 is due at 100ms")

	wait, stop = p.Pace(time.Second, 3)
	assert.False(t, stop)
	assert.Equal(t, time.Duration(0), wait, "behind: send at once")

	_, stop = p.Pace(1999*time.Millisecond, 20)
	assert.True(t, stop, "the schedule holds 20 hits, 0..19")

	_, stop = p.Pace(2*s, 5)
	assert.True(t, stop, "the schedule is over")
	_, stop = p.Pace(time.Hour, 0)
	assert.True(t, stop)
}

func TestPacerRate(t *testing.T) {
	t.Parallel()
	p := NewPacer([]scenarios.Span{
		span(1, 0, 10*s, 0, 100),
		span(2, 10*s, 20*s, 100, 100),
		span(3, 20*s, 30*s, 50, 0),
	})
	for at, want := range map[time.Duration]float64{
		-s:                      0,
		0:                       0,
		5 * s:                   50,
		9999 * time.Millisecond: 99.99,
		10 * s:                  100,
		15 * s:                  100,
		20 * s:                  50,
		25 * s:                  25,
		30 * s:                  0,
		time.Hour:               0,
	} {
		assert.InDelta(t, want, p.Rate(at), 1e-9, "at %s", at)
	}
	assert.Contains(t, p.String(), "3 spans, 1750 hits over 30s")
}

func TestPacerRefusesBadSchedules(t *testing.T) {
	t.Parallel()
	for name, spans := range map[string][]scenarios.Span{
		"empty":         nil,
		"late start":    {span(1, s, 2*s, 1, 1)},
		"gap":           {span(1, 0, s, 1, 1), span(2, 2*s, 3*s, 1, 1)},
		"overlap":       {span(1, 0, 2*s, 1, 1), span(2, s, 3*s, 1, 1)},
		"empty span":    {span(1, 0, 0, 1, 1)},
		"negative rate": {span(1, 0, s, -1, 1)},
		"infinite rate": {span(1, 0, s, 1, math.Inf(1))},
		"not a number":  {span(1, 0, s, math.NaN(), 1)},
	} {
		p := NewPacer(spans)
		assert.Error(t, p.Err(), name)
		_, stop := p.Pace(0, 0)
		assert.True(t, stop, "%s: a refused schedule sends nothing", name)
		assert.Zero(t, p.Rate(0), name)
		assert.Zero(t, p.Hits(s), name)
		assert.Contains(t, p.String(), "invalid", name)
	}
}
