package runner

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// targetDeath attacks at 100/s for 4 s once time-scaled x0.1 (a stage of
// 40 s, an absolute rate), below its limit of 150 per 1 s window; the scaling
// makes the wait for the setup to leave a real target's window 1 s, not 10.
const targetDeath = `
name: target-death
description: a target that dies mid-run
profile: "2021"
window: sliding
limits: {secrets: 1500}
setup:
  - {op: set-secret, name: "td-{i}", count: 3, size: 16}
stages:
  - {duration: 40s, rate: 100}
mix:
  - {op: get-secret, weight: 1, name: "td-{i}", count: 3}
expect:
  - {check: no-throttle}
`

// answerCounter is an emulator.Observer that counts the answers the target
// sent and closes kill once it has sent after of them.
type answerCounter struct {
	n     atomic.Int64
	after int64
	kill  chan struct{}
	once  sync.Once
}

func (c *answerCounter) ObserveRequest(string, limits.Class, int) {
	if c.n.Add(1) == c.after {
		c.once.Do(func() { close(c.kill) })
	}
}

// TestTargetThatDiesMidRun serves a vault in this process as a real target
// (its URL, CA file and a token, as for `kvquota emulate`), lets it answer 100
// requests of the attack, then shuts it down: its listener closes and every
// later request is refused. The run must end by itself on schedule, keep
// every result (the refusals included) in results.bin, count the refusals as
// unreached, and fail with an answered verdict that says when the target
// stopped answering and how many requests got no answer; `kvquota report`
// (Judge) must say the same from the stored run.
func TestTargetThatDiesMidRun(t *testing.T) {
	t.Parallel()
	s, err := scenarios.Parse("target-death.yaml", []byte(targetDeath))
	require.NoError(t, err)

	// A static token and three setup requests: the target's answers after
	// the third are the attack's.
	obs := &answerCounter{after: 3 + 100, kill: make(chan struct{})}
	v, err := emulator.New(emulator.Config{Observer: obs})
	require.NoError(t, err)
	srv, err := emulator.Start(v, "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, srv.CACertPEM, 0o600))
	tok, err := v.Issuer().Issue(v.Config().Identities[0].ClientID)
	require.NoError(t, err)

	var served int64 // answers sent before the kill
	killed := make(chan struct{})
	go func() {
		defer close(killed)
		<-obs.kill
		_ = srv.Close() // a real shutdown: the listener closes, later dials are refused
		served = obs.n.Load()
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	begun := time.Now()
	out, err := Run(ctx, Config{Plan: planOf(t, s, plan.Request{Target: srv.URL, Token: tok.AccessToken, CAFile: ca,
		TimeScale: 0.1, Out: filepath.Join(t.TempDir(), "run")}), NoPlots: true})
	require.NoError(t, err, "a target that answered some requests is judged, not unreachable")
	require.NoError(t, ctx.Err(), "the run ended by itself")
	t.Logf("run took %s", time.Since(begun).Round(time.Millisecond))
	r := out.Report
	require.NotNil(t, r)

	<-killed
	// Every request of the schedule is in results.bin, the refused ones too.
	stream, err := results.OpenStream(out.Dir)
	require.NoError(t, err)
	var answered, refused int
	var first, last time.Time
	for res := range stream.All() {
		if first.IsZero() || res.Timestamp.Before(first) {
			first = res.Timestamp
		}
		if res.Timestamp.After(last) {
			last = res.Timestamp
		}
		if res.Code == 0 {
			refused++
			assert.NotEmpty(t, res.Error)
		} else {
			answered++
		}
	}
	require.NoError(t, stream.Err())
	// 100/s for 4 s: a busy client falls behind and sends fewer (359 beside
	// two busy loops), never more, and goes on sending to the end.
	assert.LessOrEqual(t, answered+refused, 402, "100/s for 4 s")
	assert.Greater(t, last.Sub(first), 3500*time.Millisecond, "the attack went on to the end of its schedule after the target died")
	assert.Positive(t, refused)
	assert.GreaterOrEqual(t, answered, 100)
	assert.LessOrEqual(t, int64(answered), served-3, "no answer recorded that the target did not send")
	assert.Equal(t, refused, r.Totals.Unreached, "the totals count the refusals as unreached")
	assert.Equal(t, answered+refused, r.Totals.Requests)

	// The gate fails, and says why.
	assert.False(t, r.Pass)
	var ans *struct{ detail string }
	for _, x := range r.Verdicts {
		if x.Check == scenarios.CheckAnswered {
			assert.False(t, x.Pass)
			assert.Equal(t, float64(answered), x.Measured)
			assert.Equal(t, float64(answered+refused), x.Expected)
			ans = &struct{ detail string }{x.Detail}
		}
	}
	require.NotNil(t, ans, "an answered verdict: %+v", r.Verdicts)
	assert.Contains(t, ans.detail, "The target stopped answering")
	assert.Contains(t, ans.detail, "got no answer")
	t.Logf("answered verdict: %s", ans.detail)

	// `kvquota report` judges the stored run the same way.
	again, err := Judge(out.Dir, JudgeOptions{NoPlots: true})
	require.NoError(t, err)
	assert.Equal(t, r.Verdicts, again.Verdicts)
	assert.Equal(t, r.Totals, again.Totals)
	junit, err := os.ReadFile(filepath.Join(out.Dir, results.JUnitFile))
	require.NoError(t, err)
	assert.Contains(t, string(junit), "stopped answering")
}
