package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/discover"
	"github.com/kvquota/kvquota/results"
)

// A token-bucket emulator with a raised limit: discovery finds it, reports it
// through the run formats, and exits 0 without --expect-profile (the table
// says the target differs) and 1 with it.
func TestDiscoverReportsAndGatesOnlyWhenAsked(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time discovery")
	}
	t.Parallel()
	dir := t.TempDir()
	code, stdout, stderr := run(t, "discover", "--window", "token-bucket", "--limit", "secrets=4800",
		"--time-scale", "0.1", "--expect-profile", "2021", "--out", dir, "-q")
	require.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stdout, "token-bucket")
	assert.Contains(t, stdout, "differs from 2018 (100 / 1s), 2021 (100 / 1s)")
	assert.Contains(t, stderr, "differs from profile 2021")

	r, err := readReport(dir)
	require.NoError(t, err)
	assert.False(t, r.Pass)
	require.Len(t, r.Verdicts, 3)
	model, limit, window := r.Verdicts[0], r.Verdicts[1], r.Verdicts[2]
	assert.Equal(t, discover.CheckModel, model.Check)
	assert.True(t, model.Pass, model.Detail)
	assert.Equal(t, discover.CheckLimit, limit.Check)
	assert.False(t, limit.Pass)
	assert.InDelta(t, 120, limit.Measured, 2.4, "4800 scaled as 4000 -> 100 is 120")
	assert.Equal(t, 100.0, limit.Expected)
	assert.Equal(t, discover.LimitTolerance, limit.Tolerance)
	assert.True(t, window.Pass, window.Detail)
	for _, f := range []string{results.MetaFile, "junit.xml", results.SummaryFile, discover.FindingsFile} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	var fs []discover.Finding
	b, err := os.ReadFile(filepath.Join(dir, discover.FindingsFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &fs))
	require.Len(t, fs, 1)
	assert.Positive(t, fs[0].Requests)
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
