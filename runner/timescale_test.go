package runner

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/plots"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// TestAStoredKeyRunIsJudgedAgainWithoutTheTarget runs a time-scaled key
// scenario, then re-judges the run directory: run.json must hold what
// classifying key requests and scaling the limits need.
func TestAStoredKeyRunIsJudgedAgainWithoutTheTarget(t *testing.T) {
	t.Parallel()
	s, err := scenarios.Builtin("rsa3072-hsm-other-onset")
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "run")
	out, err := Run(context.Background(), Config{Plan: planOf(t, s, plan.Request{Out: dir, TimeScale: 0.1}), NoPlots: true})
	require.NoError(t, err)
	require.NotEqual(t, results.Failed, out.Report.Outcome, "%+v", out.Report.Verdicts)

	m, err := results.ReadMeta(dir)
	require.NoError(t, err)
	c := limits.KeyClass(limits.RSA3072, true, false)
	assert.Equal(t, limits.KeySpec{Type: limits.RSA3072, HSM: true}, m.Keys["rsa3072h-0"])
	assert.Equal(t, 0.1, m.Scaling.TimeScale)
	assert.Equal(t, time.Second, time.Duration(m.WindowLength))
	assert.Equal(t, 50, m.ScaledLimits[c], "500 per 10 s is 50 per 1 s: its rate")
	assert.Equal(t, 1, m.ScaledLimits[limits.KeyClass(limits.RSA3072, true, true)], "every row by the same factor: 10 per 10 s is 1 per 1 s")
	for _, x := range m.Expect {
		if x.Check == scenarios.CheckOnset {
			assert.InDelta(t, 0.01, x.Tolerance, 1e-9, "the scenario's 1%: no timing allowance, the bands take the timings")
		}
	}

	again, err := Judge(dir, JudgeOptions{NoPlots: true})
	require.NoError(t, err)
	assert.Equal(t, out.Report.Verdicts, again.Verdicts)
	assert.Equal(t, 0.1, again.TimeScale)
	assert.Equal(t, 50, again.ScaledLimits[c])
	for _, v := range again.Verdicts {
		if v.Check == scenarios.CheckOnset {
			assert.Equal(t, c, v.Class)
			require.NotNil(t, v.Band)
			assert.True(t, v.Band.Low <= 50 && 50 <= v.Band.High, "a right target's onset, 50 exactly, lies in the band %v", *v.Band)
		}
	}

	// Redrawing the stored run classifies its key requests the same way: the
	// window figure is there and names the key's row.
	files, err := Plot(dir, "", plots.WithFormats("svg"))
	require.NoError(t, err)
	svg, err := os.ReadFile(filepath.Join(dir, results.PlotsDir, "window.svg"))
	require.NoError(t, err, "drew %v", files)
	assert.Contains(t, string(svg), string(c))

	// Without the keys' rows the key requests cannot be classified at all.
	m.Keys = nil
	b, err := json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, results.MetaFile), b, 0o644))
	_, err = Judge(dir, JudgeOptions{NoPlots: true})
	assert.ErrorContains(t, err, "could be classified")
}
