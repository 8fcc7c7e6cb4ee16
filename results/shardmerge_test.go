package results_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
)

// shardMeta is shard i of n of sampleMeta's run, started late by skew.
func shardMeta(i, n int, skew time.Duration) *results.Meta {
	m := sampleMeta()
	m.Seed += int64(i - 1)
	m.Start = start.Add(skew)
	m.End = m.Start.Add(50 * time.Second)
	m.Shard = &results.Shard{Index: i, Count: n, Host: fmt.Sprintf("node-%d", i), SourceAddr: fmt.Sprintf("127.0.0.%d", i+1), Clock: m.Start}
	return m
}

func TestMergeMetaJoinsTheShardsOfOneRun(t *testing.T) {
	dirs := []string{"d3", "d1", "d2"}
	metas := []*results.Meta{shardMeta(3, 3, 20*time.Millisecond), shardMeta(1, 3, 5*time.Millisecond), shardMeta(2, 3, 0)}
	metas[1].Interrupted = true
	m, shards, err := results.MergeMeta(dirs, metas)
	require.NoError(t, err)
	assert.Nil(t, m.Shard)
	assert.Equal(t, start, m.Start, "the earliest shard's start")
	assert.Equal(t, start.Add(20*time.Millisecond+50*time.Second), m.End, "the latest shard's end")
	assert.True(t, m.Interrupted, "one shard cut short cuts the run short")
	assert.Equal(t, sampleMeta().Seed, m.Seed, "shard 1's")
	require.Len(t, shards, 3)
	for i, s := range shards {
		assert.Equal(t, i+1, s.Index, "in shard order")
		assert.Equal(t, fmt.Sprintf("d%d", i+1), s.Dir)
		assert.Equal(t, fmt.Sprintf("node-%d", i+1), s.Host)
	}
	assert.Equal(t, results.Duration(5*time.Millisecond), shards[0].ClockOffset)
	assert.Equal(t, results.Duration(0), shards[1].ClockOffset)
	assert.Equal(t, results.Duration(20*time.Millisecond), shards[2].ClockOffset)
	assert.Empty(t, results.SetupOverruns(shards), "no shard set a setup end")
}

// A shard whose setup ended after another shard's attack began is named,
// with how far its setup ran into the attack.
func TestMergeMetaNamesASetupThatRanIntoTheAttack(t *testing.T) {
	metas := []*results.Meta{shardMeta(1, 2, 0), shardMeta(2, 2, 4300*time.Millisecond)}
	metas[0].Shard.SetupEnd = start.Add(-time.Second)
	metas[1].Shard.SetupEnd = start.Add(4299 * time.Millisecond)
	_, shards, err := results.MergeMeta([]string{"d1", "d2"}, metas)
	require.NoError(t, err)
	assert.Zero(t, shards[0].SetupOverrun, "done a second before the attack")
	assert.Equal(t, results.Duration(4299*time.Millisecond), shards[1].SetupOverrun)
	why := results.SetupOverruns(shards)
	assert.Contains(t, why, "shard 2/2's setup ended 4.299s after the attack began")
	assert.NotContains(t, why, "shard 1/2")
	rep := sampleReport()
	rep.Shards = shards
	var text strings.Builder
	results.WriteText(&text, rep)
	assert.Contains(t, text.String(), "(clock offset +4.3s from the earliest shard); its setup ended 4.299s into the attack")
}

func TestMergeMetaRefusesWhatIsNotOneRun(t *testing.T) {
	two := func(change func(m *results.Meta)) []*results.Meta {
		b := shardMeta(2, 2, 0)
		change(b)
		return []*results.Meta{shardMeta(1, 2, 0), b}
	}
	for name, tc := range map[string]struct {
		metas []*results.Meta
		want  string
	}{
		"another scenario":   {two(func(m *results.Meta) { m.Scenario = "secrets-below-limit" }), "b is not a shard of the same run as a: its scenario is secrets-below-limit, not secrets-onset"},
		"another profile":    {two(func(m *results.Meta) { m.Profile = "2018" }), "its profile is 2018, not 2021"},
		"another target":     {two(func(m *results.Meta) { m.Target = "https://127.0.0.1:9443" }), "its target is https://127.0.0.1:9443, not https://127.0.0.1:8443"},
		"another window":     {two(func(m *results.Meta) { m.Window = limits.Fixed }), "its window is fixed, not sliding"},
		"other stages":       {two(func(m *results.Meta) { m.Stages[0].EndRate = 900 }), "its stages differ"},
		"another time scale": {two(func(m *results.Meta) { m.Scaling = &limits.Scaling{TimeScale: 0.1} }), "its time scaling differs"},
		"no target limits":   {two(func(m *results.Meta) { m.TargetLimits = nil }), "its target's limits (--limit) are none, not map[secrets:4800]"},
		"not a shard":        {two(func(m *results.Meta) { m.Shard = nil }), "b is not a shard (it ran without --shard)"},
		"other shard count":  {two(func(m *results.Meta) { m.Shard.Count = 3 }), "b is shard 2 of 3, but a is one of 2"},
		"the same shard":     {two(func(m *results.Meta) { m.Shard.Index = 1 }), "a and b are both shard 1 of 2"},
		"a missing shard":    {[]*results.Meta{shardMeta(1, 3, 0), shardMeta(3, 3, 0)}, "shard 2 of 3 missing: give the directory of every shard"},
		"one shard alone":    {[]*results.Meta{shardMeta(2, 3, 0)}[:1], "shard 1, 3 of 3 missing"},
		"a whole run":        {[]*results.Meta{sampleMeta()}, "a is a whole run, not a shard"},
	} {
		dirs := []string{"a", "b"}[:len(tc.metas)]
		_, _, err := results.MergeMeta(dirs, tc.metas)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.want, name)
	}
}

// writeResults writes a run directory whose results.bin holds results sent
// at the given offsets from start, in the order given (as they arrived).
func writeResults(t *testing.T, dir string, offsets ...time.Duration) {
	t.Helper()
	w, err := results.Create(dir)
	require.NoError(t, err)
	for _, o := range offsets {
		require.NoError(t, w.Write(&vegeta.Result{Timestamp: start.Add(o), Code: 200, URL: "https://v/secrets/s?api-version=7.5", Method: "GET"}))
	}
	require.NoError(t, w.Close())
}

func TestMergedStreamsEveryResultByTime(t *testing.T) {
	root := t.TempDir()
	ms := time.Millisecond
	a, b, c := filepath.Join(root, "a"), filepath.Join(root, "b"), filepath.Join(root, "c")
	writeResults(t, a, 0, 30*ms, 60*ms, 90*ms)
	writeResults(t, b, 10*ms, 40*ms, 70*ms)
	writeResults(t, c, 20*ms, 50*ms, 45*ms, 80*ms) // 45 answered after 50
	m, err := results.OpenMerged([]string{a, b, c})
	require.NoError(t, err)
	for round := range 2 { // a second iteration reads the files again
		var got []time.Duration
		for r := range m.All() {
			got = append(got, r.Timestamp.Sub(start))
		}
		require.NoError(t, m.Err())
		assert.False(t, m.Truncated())
		assert.Equal(t, []time.Duration{0, 10 * ms, 20 * ms, 30 * ms, 40 * ms, 50 * ms, 45 * ms, 60 * ms, 70 * ms, 80 * ms, 90 * ms}, got,
			"round %d: by time across the files, each file's own order kept", round)
		assert.Equal(t, []int{4, 3, 4}, m.Counts())
	}
	// Stopping early reads no further.
	n := 0
	for range m.All() {
		if n++; n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
}

func TestMergedSaysAFileWasCutShort(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	writeResults(t, a, 0, time.Millisecond)
	writeResults(t, b, 0, 2*time.Millisecond)
	p := filepath.Join(b, results.ResultsFile)
	raw, err := os.ReadFile(p)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, raw[:len(raw)-5], 0o644))
	m, err := results.OpenMerged([]string{a, b})
	require.NoError(t, err)
	n := 0
	for range m.All() {
		n++
	}
	assert.Equal(t, 3, n, "the cut-off last result is not yielded")
	assert.True(t, m.Truncated())
	require.NoError(t, m.Err())

	_, err = results.OpenMerged([]string{a, filepath.Join(root, "none")})
	require.ErrorContains(t, err, "no results")
}

func TestAMergedReportNamesEachShard(t *testing.T) {
	rep := sampleReport()
	rep.Shards = []results.ShardReport{
		{Index: 1, Count: 2, Host: "node-a", SourceAddr: "127.0.0.2", Dir: "runs/s1", Clock: start, Results: 12000},
		{Index: 2, Count: 2, Host: "node-b", Dir: "runs/s2", Clock: start.Add(3 * time.Millisecond), ClockOffset: results.Duration(3 * time.Millisecond), Results: 11999},
	}
	var text, md strings.Builder
	results.WriteText(&text, rep)
	results.Summary(&md, rep)
	assert.Contains(t, text.String(), "shard 1/2: host node-a (from 127.0.0.2), directory runs/s1, 12000 results, started 2026-11-22T10:15:00.123456789Z (clock offset +0s from the earliest shard)")
	assert.Contains(t, text.String(), "shard 2/2: host node-b, directory runs/s2, 11999 results, started 2026-11-22T10:15:00.126456789Z (clock offset +3ms")
	assert.Contains(t, md.String(), "Judged as one run from 2 shards:")
	assert.Contains(t, md.String(), "| 2/2 | node-b | – | `runs/s2` | 11999 | 2026-11-22T10:15:00.126456789Z | +3ms |")
	text.Reset()
	results.WriteText(&text, sampleReport())
	assert.NotContains(t, text.String(), "shard", "a run of one directory names no shards")
}
