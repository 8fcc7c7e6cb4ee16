package discover

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

func TestFitIdentifiesEachModelFromASyntheticSchedule(t *testing.T) {
	t.Parallel()
	for _, kind := range limits.WindowModels() {
		for _, l := range []int{100, 250} {
			for _, w := range []time.Duration{time.Second, 2 * time.Second} {
				if w > time.Second && kind != limits.Fixed {
					continue // the length matters to where fixed buckets fall; the others scale
				}
				phases := []time.Duration{w / 3}
				if kind == limits.Fixed { // where the schedule starts in a bucket matters
					phases = append(phases, 4*w/5, w/50)
				}
				for _, phase := range phases {
					truth := Model{Kind: kind, Limit: l, Window: w}
					name := fmt.Sprintf("%s/%d/%s/%s", kind, l, w, phase)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						// The schedule starts phase into a fixed bucket (for
						// fixed), and the burst runs at 1000/s.
						_, f, err := schedule(context.Background(), newVirtual(truth, phase, uint64(l)), DefaultPlan())
						require.NoError(t, err)
						assert.Equal(t, kind, f.Best.Kind, "%+v", f)
						assert.InEpsilon(t, l, f.Best.Limit, 0.02, "%+v", f.Best)
						assert.InEpsilon(t, w.Seconds(), f.Best.Window.Seconds(), 0.10, "%+v", f.Best)
						assert.Greater(t, f.Best.Agreement, 0.97)
						assert.GreaterOrEqual(t, f.Margin, TieMargin)
						t.Logf("%s: best %+v; runner-up %s %.4f; margin %.4f over %d requests", name, f.Best, f.RunnerUp.Kind, f.RunnerUp.Agreement, f.Margin, f.Requests)
					})
				}
			}
		}
	}
}

func TestFixedStartingAtTheBurstNeedsTheTieBreak(t *testing.T) {
	t.Parallel()
	// A burst that begins just as a fixed bucket does: fixed and sliding
	// predict the same schedule, so the margin between them is small, and
	// the schedule breaks the tie.
	for _, kind := range []limits.WindowModel{limits.Fixed, limits.Sliding} {
		truth := Model{Kind: kind, Limit: 100, Window: time.Second}
		p := newVirtual(truth, 0, 1)
		_, f, err := schedule(context.Background(), p, DefaultPlan())
		require.NoError(t, err)
		assert.Equal(t, kind, f.Best.Kind)
		assert.GreaterOrEqual(t, f.Margin, TieMargin)
		assert.Greater(t, p.t, 4*time.Second, "the tie break waited for quiet and ran")
	}
}

func TestFitRefusesAScheduleThatNeverReachedTheLimit(t *testing.T) {
	_, err := FitModels([]Obs{{At: 0, OK: true}, {At: time.Millisecond, OK: true}})
	require.ErrorIs(t, err, ErrTooFewOutcomes)
	_, err = FitModels(nil)
	require.ErrorIs(t, err, ErrTooFewOutcomes)
}

func TestPredictFollowsEachModel(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	ats := ms(0, 100, 200, 600, 900, 1000, 1050, 1150)
	// limit 2 per second
	fixed := Model{Kind: limits.Fixed, Limit: 2, Window: time.Second, Phase: 500 * time.Millisecond}
	assert.Equal(t, []bool{true, true, false, true, true, false, false, false}, fixed.Predict(ats))
	sliding := Model{Kind: limits.Sliding, Limit: 2, Window: time.Second}
	assert.Equal(t, []bool{true, true, false, false, false, true, false, true}, sliding.Predict(ats))
	bucket := Model{Kind: limits.TokenBucket, Limit: 2, Window: time.Second}
	// 2 at 0; 1.2 at 100ms; 0.4 at 200; 1.2 at 600; 0.8 at 900; 1.0 at 1000; 0.1 at 1050; 0.3 at 1150
	assert.Equal(t, []bool{true, true, false, true, false, true, false, false}, bucket.Predict(ats))
}

// A client too slow to overload the target gets a fit that says so (its
// reason the shortfall, then how wide the intervals were): ambiguous, not a
// guess, and still a finding to report.
func TestAClientTooSlowToOverloadIsAmbiguousNotAGuess(t *testing.T) {
	t.Parallel()
	truth := Model{Kind: limits.Sliding, Limit: 100, Window: time.Second}
	p := newVirtual(truth, 0, 3)
	p.slowest = 90 // below the limit's 100/s
	_, fit, err := schedule(context.Background(), p, DefaultPlan())
	require.NoError(t, err)
	require.NotEmpty(t, fit.Shortfall, "a fit from a target never overloaded says so")
	assert.Contains(t, fit.ambiguity(), "could not overload the target")
	assert.Contains(t, fit.ambiguity(), "answers took up to", "and how wide the intervals were")
}

// The fit's memo (search.score) only saves work: fitted with and without it,
// a schedule gives the same fit, down to the band's candidate counts. One
// schedule is enough, since every fit scores candidates of all three models.
// (When the memo came in, every fit test's figures were compared too: the
// fits of 18 quick and the 6 slow schedules were byte for byte the same.)
func TestTheFitsMemoChangesNothing(t *testing.T) {
	t.Parallel()
	truth := Model{Kind: limits.Fixed, Limit: 100, Window: time.Second}
	obs, _, err := schedule(context.Background(), newVirtual(truth, time.Second/3, 100), DefaultPlan())
	require.NoError(t, err)
	memo, err := fitWith(obs, obs, true)
	require.NoError(t, err)
	fresh, err := fitWith(obs, obs, false)
	require.NoError(t, err)
	require.Equal(t, fresh, memo)
	for _, kind := range limits.WindowModels() {
		require.NotContains(t, memo.PerModel, Fitted{Model: Model{Kind: kind}}, "every model was scored")
	}
}
