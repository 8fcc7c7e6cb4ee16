package runner

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// shortOnset ramps through a limit of 200 per 10 s (20/s) in 20 s: a real
// 10-second window, real HTTPS, real vegeta, real tokens, small enough for -race.
const shortOnset = `
name: short-onset
description: ramp through a lowered secrets limit
profile: "2021"
window: sliding
limits: {secrets: 200}
seed: 7
setup:
  - {op: set-secret, count: 5, name: "e2e-{i}", size: 16}
stages:
  - {duration: 4s, rate: 50%}
  - {duration: 10s, rate: 50%, to: 200%}
  - {duration: 6s, rate: 200%}
mix:
  - {op: get-secret, weight: 1, name: "e2e-{i}", count: 5}
expect:
  - {check: onset, tolerance: 2%}
  - {check: no-early-throttle, tolerance: 2%}
  - {check: error-shape}
`

// runShortOnset runs shortOnset as r asks, with c's options (its Plan is
// r's).
func runShortOnset(t *testing.T, r plan.Request, c Config) *Outcome {
	t.Helper()
	s, err := scenarios.Parse("short-onset.yaml", []byte(shortOnset))
	require.NoError(t, err)
	c.Plan = planOf(t, s, r)
	out, err := Run(context.Background(), c)
	require.NoError(t, err)
	require.NotNil(t, out.Report)
	return out
}

func verdict(t *testing.T, r *results.Report, check scenarios.CheckName) (v struct {
	Pass               bool
	Measured, Expected float64
	Band               *results.Band
}) {
	t.Helper()
	for _, x := range r.Verdicts {
		if x.Check == check {
			v.Pass, v.Measured, v.Expected, v.Band = x.Pass, x.Measured, x.Expected, x.Band
			return v
		}
	}
	t.Fatalf("no %s verdict in %+v", check, r.Verdicts)
	return v
}

func TestEndToEndOnsetAgainstEmulator(t *testing.T) {
	t.Parallel()
	// Full length: a 10-second window, real time.
	out := runShortOnset(t, plan.Request{Out: filepath.Join(t.TempDir(), "run")}, Config{})
	r := out.Report
	// A right vault never fails; on a busy machine a check may be
	// inconclusive (answers took up to 2.3 s beside two busy loops).
	assert.NotEqual(t, results.Failed, r.Outcome, "verdicts: %+v", r.Verdicts)
	onset := verdict(t, r, scenarios.CheckOnset)
	assert.Equal(t, 200.0, onset.Expected)
	// The limit lies in the onset's band (a busy machine widens it: the
	// figure was 173 once beside two busy loops).
	require.NotNil(t, onset.Band)
	assert.True(t, onset.Band.Low-4 <= 200 && 200 <= onset.Band.High+4, "200 in the band %+v", *onset.Band)
	assert.Positive(t, r.Totals.Throttled)
	assert.Zero(t, r.Totals.Unreached)

	for _, f := range []string{results.MetaFile, results.ResultsFile, results.ReportFile, results.JUnitFile, results.ScenarioFile} {
		assert.FileExists(t, filepath.Join(out.Dir, f))
	}
	pngs, _ := filepath.Glob(filepath.Join(out.Dir, results.PlotsDir, "*.png"))
	assert.NotEmpty(t, pngs)

	// vegeta's own decoder (what `vegeta report` uses) reads the results file.
	f, err := os.Open(filepath.Join(out.Dir, results.ResultsFile))
	require.NoError(t, err)
	defer f.Close()
	dec := vegeta.DecoderFor(f)
	require.NotNil(t, dec, "vegeta cannot detect the results encoding")
	var m vegeta.Metrics
	for {
		var res vegeta.Result
		if dec.Decode(&res) != nil {
			break
		}
		m.Add(&res)
	}
	m.Close()
	assert.Equal(t, uint64(r.Totals.Requests), m.Requests)
	assert.Equal(t, r.Totals.Throttled, m.StatusCodes["429"])

	// Re-judging the stored run reproduces the verdicts.
	again, err := Judge(out.Dir, JudgeOptions{NoPlots: true})
	require.NoError(t, err)
	assert.Equal(t, r.Verdicts, again.Verdicts)
}

func TestEndToEndWrongLimitFailsTheGate(t *testing.T) {
	t.Parallel()
	// Time-scaled x0.1 (the run above is the full-length one): a 1 s window
	// of 50, where the target allows 60.
	out := runShortOnset(t, plan.Request{Limits: []string{"secrets=240"}, TimeScale: 0.1, Out: filepath.Join(t.TempDir(), "run")}, Config{NoPlots: true})
	r := out.Report
	assert.False(t, r.Pass)
	onset := verdict(t, r, scenarios.CheckOnset)
	assert.False(t, onset.Pass)
	// Judged against the scenario's limit, scaled (200 x 0.25: a row keeps
	// at least 50 a window), not the target's 60.
	assert.Equal(t, 50.0, onset.Expected)
	// Where the wrong target really throttled lies in the band (which a
	// busy machine widens).
	require.NotNil(t, onset.Band)
	assert.True(t, onset.Band.Low-2 <= 60 && 60 <= onset.Band.High+2, "60 in the band %+v", *onset.Band)
}
