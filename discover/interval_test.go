package discover

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

// randomTrace is n requests decided at seeded-random times over span (in
// clumps, as a burst and an overload make them), the truth's outcome of each,
// and an interval of up to width on either side of each decision.
func randomTrace(rng *rand.Rand, truth Model, n int, span, width time.Duration) []Obs {
	ats := make([]time.Duration, n)
	for i := range ats {
		ats[i] = time.Duration(rng.Int64N(int64(span)))
		if rng.IntN(3) == 0 { // a clump
			ats[i] = ats[i] / 8
		}
	}
	slices.Sort(ats)
	oks := truth.Predict(ats)
	obs := make([]Obs, n)
	for i, t := range ats {
		sent := t - time.Duration(rng.Int64N(int64(width)+1))
		answered := t + time.Duration(rng.Int64N(int64(width)+1))
		obs[i] = Obs{At: sent + (answered-sent)/2, Sent: sent, Answered: answered, OK: oks[i]}
	}
	return obs
}

// The interval checks are the fit's only judge: every outcome the truth
// produced must be consistent with the truth, however wide the intervals,
// or a right target would be held wrong.
func TestIntervalChecksNeverRefuteTheTruth(t *testing.T) {
	t.Parallel()
	truths := []Model{
		{Kind: limits.Sliding, Limit: 40, Window: 300 * time.Millisecond},
		{Kind: limits.Fixed, Limit: 40, Window: 300 * time.Millisecond, Phase: 70 * time.Millisecond},
		{Kind: limits.TokenBucket, Limit: 40, Window: 300 * time.Millisecond},
	}
	for _, truth := range truths {
		for _, width := range []time.Duration{0, time.Millisecond, 20 * time.Millisecond, 150 * time.Millisecond} {
			for seed := range uint64(5) {
				t.Run(fmt.Sprintf("%s/%s/%d", truth.Kind, width, seed), func(t *testing.T) {
					obs := randomTrace(rand.New(rand.NewPCG(seed, 11)), truth, 600, 2*time.Second, width)
					e := newEvidence(obs)
					var b []int
					switch truth.Kind {
					case limits.Sliding:
						b = e.slidingBounds(truth.Window)
					case limits.Fixed:
						b = e.fixedBounds(truth.Window, truth.Phase)
					default:
						b = e.tokenBounds(float64(truth.Limit) / float64(truth.Window))
					}
					scores := e.scoreLimits(b)
					require.Equal(t, len(obs), scores[truth.Limit], "every outcome explained by the truth")
					if width == 0 {
						// Narrow intervals refute a limit 20% off.
						for _, l := range []int{truth.Limit * 8 / 10, truth.Limit * 12 / 10} {
							assert.Less(t, scores[l], len(obs)*99/100, "limit %d", l)
						}
					}
				})
			}
		}
	}
}

// A cursor answers as count does, whatever order it is asked in: near its
// last answer, far from it, on either side, on equal times, at both ends.
func TestCursorAgreesWithCount(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for run := range 50 {
		ts := make([]time.Duration, rng.IntN(200))
		for i := range ts {
			ts[i] = time.Duration(rng.IntN(100)) // repeats, to test equal times
		}
		slices.Sort(ts)
		for _, orEqual := range []bool{false, true} {
			c := &cursor{ts: ts, orEqual: orEqual}
			for q := range 300 {
				x := time.Duration(rng.IntN(110) - 5)
				if q%7 == 0 && len(ts) > 0 {
					x = ts[rng.IntN(len(ts))]
				}
				require.Equal(t, count(ts, x, orEqual), c.below(x), "run %d, query %d: x=%s orEqual=%v", run, q, x, orEqual)
			}
		}
	}
}
