package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/discover"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
)

// A token-bucket emulator with a raised limit: discovery finds it, reports it
// through the run formats, and exits 0 without --expect-profile (the table
// says the target differs) and 1 with it. On a busy machine the answers'
// timing may leave the finding ambiguous instead: then it exits 4
// (inconclusive), names the fits and why, and its band must still hold the
// true 120; what it must never do is name another limit or model as found.
func TestDiscoverReportsAndGatesOnlyWhenAsked(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time discovery")
	}
	t.Parallel()
	dir := t.TempDir()
	code, stdout, stderr := run(t, "discover", "--window", "token-bucket", "--limit", "secrets=4800",
		"--time-scale", "0.1", "--expect-profile", "2021", "--out", dir, "-q")
	require.Contains(t, []int{1, 4}, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	t.Logf("exit %d:\n%s%s", code, stdout, stderr)

	r, err := readReport(dir)
	require.NoError(t, err)
	assert.False(t, r.Pass)
	require.Len(t, r.Verdicts, 3)
	model, limit, window := r.Verdicts[0], r.Verdicts[1], r.Verdicts[2]
	assert.Equal(t, discover.CheckModel, model.Check)
	assert.Equal(t, discover.CheckLimit, limit.Check)
	assert.Equal(t, 100.0, limit.Expected)
	assert.Equal(t, discover.LimitTolerance, limit.Tolerance)
	for _, f := range []string{results.MetaFile, "junit.xml", results.SummaryFile, discover.FindingsFile} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	var fs []discover.Finding
	b, err := os.ReadFile(filepath.Join(dir, discover.FindingsFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &fs))
	require.Len(t, fs, 1)
	assert.Positive(t, fs[0].Requests)
	if code == 4 {
		assert.Contains(t, stderr, "inconclusive")
		assert.Contains(t, stdout, "ambiguous")
		assert.False(t, model.Pass)
		assert.Contains(t, model.Detail, "ambiguous (inconclusive")
		require.True(t, fs[0].Ambiguous())
		assert.Contains(t, fs[0].Why(), "answers took up to")
		held := false
		for _, r := range fs[0].Band.Fits {
			if r.Model == limits.TokenBucket {
				held = r.LimitLo <= 120 && 120 <= r.LimitHi
			}
		}
		assert.True(t, held, "the true 120 is among the token-bucket fits %v", fs[0].Band.Fits)
		return
	}
	assert.Contains(t, stdout, "token-bucket")
	assert.Contains(t, stdout, "differs from 2018 (100 / 1s), 2021 (100 / 1s)")
	assert.Contains(t, stderr, "differs from profile 2021")
	assert.True(t, model.Pass, model.Detail)
	assert.False(t, limit.Pass)
	assert.InDelta(t, 120, limit.Measured, 2.4, "4800 scaled as 4000 -> 100 is 120")
	assert.True(t, window.Pass, window.Detail)
}

// A client capped below the limit's rate cannot overload the target: the
// finding is ambiguous, says why, and every report file is still written
// (beside two busy loops the same happened at 1000/s, and no report was left).
// At time scale 0.05 the window is 0.5 s and 100 reads, a limit rate of
// 200/s: a cap of 100/s is half of it, as 50/s was at 0.1, and every phase
// of the schedule, which is timed in windows, takes half as long.
func TestDiscoverThatCannotOverloadStillLeavesItsReport(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time discovery")
	}
	t.Parallel()
	dir := t.TempDir()
	code, stdout, stderr := run(t, "discover", "--time-scale", "0.05", "--max-rate", "100", "--out", dir, "-q")
	require.Equal(t, 4, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stderr, "could not overload the target")
	r, err := readReport(dir)
	require.NoError(t, err)
	require.Len(t, r.Verdicts, 3)
	assert.Equal(t, results.Inconclusive, r.Verdicts[0].Result())
	assert.Contains(t, r.Verdicts[0].Detail, "could not overload the target")
	for _, f := range []string{results.MetaFile, "junit.xml", results.SummaryFile, discover.FindingsFile} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
}

func TestDiscoverUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"discover", "--window", "rolling"},
		{"discover", "--class", "nonsense"},
		{"discover", "--class", "rsa2048-hsm-create"},
		{"discover", "--target", "http://127.0.0.1:1", "--token", "t"},
		{"discover", "--target", "https://127.0.0.1:1", "--token", "t", "--window", "fixed"},
		{"discover", "--time-scale", "2"},
		{"discover", "--expect-profile", "1999"},
	} {
		code, _, stderr := run(t, args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.NotEmpty(t, stderr, "%v", args)
	}
}
