package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/results"
)

func TestShardFlagsAndReportOfShards(t *testing.T) {
	code, _, errOut := run(t, "run", "secrets-onset", "--shard", "5/4")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `--shard "5/4": the shard index is 1-based`)

	code, _, errOut = run(t, "run", "secrets-onset", "--start-at", "soon")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `--start-at "soon"`)

	code, _, errOut = run(t, "run", "secrets-onset", "--source-addr", "here")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `--source-addr "here" is not an IP address`)

	// One shard's directory alone is not a run to judge.
	dir := filepath.Join(t.TempDir(), "shard-2")
	w, err := results.Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.NoError(t, results.WriteMeta(dir, &results.Meta{Scenario: "secrets-onset", Profile: "2021", Shard: &results.Shard{Index: 2, Count: 4}}))
	code, _, errOut = run(t, "report", dir)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "shard 1, 3, 4 of 4 missing: give the directory of every shard")
}
