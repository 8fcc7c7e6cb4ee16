package runner

import (
	"context"
	"crypto/tls"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// sources counts, by source address, the secrets requests an emulator
// answered: proof of where each shard's requests came from.
type sources struct {
	mu sync.Mutex
	n  map[string]int
}

func (s *sources) ObserveRequest(string, limits.Class, int) {}
func (s *sources) ObserveDetail(i emulator.RequestInfo) {
	if i.Class != limits.Secrets || i.Method != http.MethodGet {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n[i.Source]++
}

func (s *sources) counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.n {
		out[k] = v
	}
	return out
}

// shardOnset is secrets-onset's shape (half the limit, a ramp past it, twice
// the limit) through a limit of 1000 per 10 s: time-scaled x0.1 it is a 1 s
// window of 100 reached at 100/s in a run of 2.5 s, about 300 requests, so
// that four runs of it cost -race a few CPU-seconds. (secrets-onset itself,
// scaled, is 2500 requests over 13 s.)
const shardOnset = `
name: shard-onset
description: ramp through a lowered secrets limit from four shards
profile: "2021"
window: sliding
limits: {secrets: 1000}
seed: 3
setup:
  - {op: set-secret, count: 8, name: "shard-{i}", size: 16}
stages:
  - {duration: 5s, rate: 50%}
  - {duration: 15s, rate: 50%, to: 200%}
  - {duration: 5s, rate: 200%}
mix:
  - {op: get-secret, weight: 1, name: "shard-{i}", count: 8}
expect:
  - {check: onset, tolerance: 1%}
  - {check: no-early-throttle, tolerance: 1%}
  - {check: error-shape}
`

// scaledEmulator serves what `kvquota emulate --scenario shard-onset.yaml
// --time-scale 0.1 [--limit ...]` serves, on 127.0.0.1, and returns a run
// request against it (target, CA file, a token of its identity).
func scaledEmulator(t *testing.T, limit ...string) (plan.Request, *sources) {
	t.Helper()
	s, err := scenarios.Parse("shard-onset.yaml", []byte(shardOnset))
	require.NoError(t, err)
	p, err := plan.Resolve(plan.Request{Command: plan.Emulate, Loaded: s, TimeScale: 0.1, Limits: limit, Getenv: func(string) string { return "" }})
	require.NoError(t, err)
	src := &sources{n: map[string]int{}}
	cfg := p.EmulatorConfig(p.Emulated(), p.Window)
	cfg.Observer = src
	v, err := emulator.New(cfg)
	require.NoError(t, err)
	srv, err := emulator.Start(v, "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, srv.CACertPEM, 0o644))
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.CertPool()}}}
	id := auth.DefaultIdentity()
	tok, err := (&attack.ClientCredentials{
		TokenURL: srv.URL + "/" + auth.DefaultTenant + "/oauth2/token", ClientID: id.ClientID,
		ClientSecret: id.ClientSecret, Resource: auth.Resource, Client: client,
	}).Token(context.Background())
	require.NoError(t, err)
	return plan.Request{
		Command: plan.Run, Loaded: s, TimeScale: 0.1,
		Target: srv.URL, CAFile: ca, Token: tok, Getenv: func(string) string { return "" },
	}, src
}

// runWhole runs shard-onset in one process at the full rate.
func runWhole(t *testing.T, r plan.Request) *results.Report {
	t.Helper()
	r.Out = filepath.Join(t.TempDir(), "whole")
	p, err := plan.Resolve(r)
	require.NoError(t, err)
	out, err := Run(context.Background(), Config{Plan: p, NoPlots: true})
	require.NoError(t, err)
	require.NotNil(t, out.Report)
	return out.Report
}

// runShards runs shard-onset as four shards side by side, from
// 127.0.0.2-5, starting together, and judges their directories as one run.
func runShards(t *testing.T, r plan.Request) *results.Report {
	t.Helper()
	root := t.TempDir()
	// Ahead enough for four setups of two secrets each, the 1 s window each
	// waits after its setup, and a busy machine's slow start. A shard
	// whose setup is still running then leaves the window checks
	// inconclusive, never failed
	// (TestASetupThatRanIntoTheAttackLeavesTheWindowChecksInconclusive).
	start := time.Now().Add(4 * time.Second).UTC().Format(time.RFC3339Nano)
	dirs := make([]string, 4)
	outs := make([]*Outcome, 4)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range 4 {
		sr := r
		sr.Shard, sr.SourceAddr, sr.StartAt = fmt.Sprintf("%d/4", i+1), fmt.Sprintf("127.0.0.%d", i+2), start
		sr.Out = filepath.Join(root, fmt.Sprintf("shard-%d", i+1))
		dirs[i] = sr.Out
		p, err := plan.Resolve(sr)
		require.NoError(t, err)
		wg.Go(func() { outs[i], errs[i] = Run(context.Background(), Config{Plan: p, NoPlots: true}) })
	}
	wg.Wait()
	for i := range 4 {
		require.NoError(t, errs[i], "shard %d", i+1)
		assert.Nil(t, outs[i].Report, "a shard is not judged alone")
		assert.Equal(t, &plan.Shard{Index: i + 1, Count: 4}, outs[i].Shard)
		assert.Positive(t, outs[i].Totals.Requests)
	}
	// Given in another order, into a directory of its own.
	merged := filepath.Join(root, "merged")
	rep, dir, err := JudgeDirs([]string{dirs[2], dirs[0], dirs[3], dirs[1]}, merged, JudgeOptions{NoPlots: true})
	require.NoError(t, err)
	assert.Equal(t, merged, dir)
	require.Len(t, rep.Shards, 4)
	total := 0
	for i, s := range rep.Shards {
		assert.Equal(t, i+1, s.Index)
		assert.Equal(t, fmt.Sprintf("127.0.0.%d", i+2), s.SourceAddr)
		assert.Equal(t, dirs[i], s.Dir)
		assert.NotEmpty(t, s.Host)
		// One machine, one clock: the offset is how late each woke up (tens
		// of ms under -race, 1.7 s on a machine at load 10). The verdicts do
		// not depend on it: they judge the merged send times. It is recorded.
		assert.GreaterOrEqual(t, time.Duration(s.ClockOffset), time.Duration(0), "shard %d's clock offset", s.Index)
		t.Logf("shard %d started %v after the first", s.Index, time.Duration(s.ClockOffset))
		total += s.Results
	}
	assert.Equal(t, rep.Totals.Requests, total)
	var text strings.Builder
	results.WriteText(&text, rep)
	t.Logf("merged report:\n%s", text.String())
	for i := range 4 {
		assert.Contains(t, text.String(), fmt.Sprintf("shard %d/4: host ", i+1))
	}
	for _, f := range []string{results.ReportFile, results.SummaryFile, results.JUnitFile} {
		assert.FileExists(t, filepath.Join(merged, f))
	}
	md, err := os.ReadFile(filepath.Join(merged, results.SummaryFile))
	require.NoError(t, err)
	assert.Contains(t, string(md), "Judged as one run from 4 shards")
	return rep
}

// scheduleHits is how many requests the scenario's whole schedule offers.
func scheduleHits(t *testing.T, r plan.Request) int {
	t.Helper()
	p, err := plan.Resolve(r)
	require.NoError(t, err)
	sr, err := p.Scenario(p.Scenarios[0])
	require.NoError(t, err)
	return int(math.Ceil(attack.NewPacer(sr.Scenario.Schedule(sr.Judged)).Total()))
}

func passes(rep *results.Report) map[string]bool {
	out := map[string]bool{}
	for _, v := range rep.Verdicts {
		out[results.CaseName(v)] = v.Pass
	}
	return out
}

func outcomes(rep *results.Report) map[string]results.Outcome {
	out := map[string]results.Outcome{}
	for _, v := range rep.Verdicts {
		out[results.CaseName(v)] = v.Outcome
	}
	return out
}

func figures(rep *results.Report) string {
	var b strings.Builder
	for _, v := range rep.Verdicts {
		fmt.Fprintf(&b, "\n  %s %s %s", results.CaseName(v), v.Outcome, results.Figure(v))
	}
	return b.String()
}

// Four shards from 127.0.0.2-5 against one emulator give the verdicts one
// process at the full rate gives: every check passes against the right
// emulator, and the onset fails both ways against one whose secrets limit is
// 20% high. Real time, time-scaled x0.1 (a 1 s window, 2.5 s a run).
func TestShardsJudgedTogetherGiveTheVerdictsOfOneProcess(t *testing.T) {
	t.Parallel()
	t.Run("right emulator", func(t *testing.T) {
		t.Parallel()
		// Each against its own emulator: the shards' setup must not meet
		// windows the whole run left full (beside two busy loops its
		// back-offs ran four shards' setups 4-6 s past the start time).
		r, _ := scaledEmulator(t)
		whole := runWhole(t, r)
		r, src := scaledEmulator(t)
		sharded := runShards(t, r)
		t.Logf("one process:%s\nfour shards:%s", figures(whole), figures(sharded))
		// The same verdicts: none fails either way, and where both are
		// conclusive (a busy machine may leave one inconclusive) they agree.
		ow, osh := outcomes(whole), outcomes(sharded)
		require.Equal(t, len(ow), len(osh))
		for name, o := range ow {
			assert.NotEqual(t, results.Failed, o, "one process, %s: %s", name, figures(whole))
			assert.NotEqual(t, results.Failed, osh[name], "four shards, %s: %s", name, figures(sharded))
			if o != results.Inconclusive && osh[name] != results.Inconclusive {
				assert.Equal(t, o, osh[name], name)
			}
		}
		// Together the shards offer what one process offers (the exact
		// split is attack's TestShardsAddUpToTheWholeSchedule; a machine that
		// falls behind sends fewer, never more).
		hits := scheduleHits(t, r)
		t.Logf("requests: the schedule %d, one process %d, four shards %d", hits, whole.Totals.Requests, sharded.Totals.Requests)
		assert.LessOrEqual(t, whole.Totals.Requests, hits)
		assert.LessOrEqual(t, sharded.Totals.Requests, hits)

		// Each shard's requests came from its own address, as the emulator
		// saw them. A request that got no answer may never have reached it
		// (beside two busy loops 10 of 2231 went unanswered and the emulator
		// saw 5 fewer than a shard sent): it saw at most a shard's results
		// and at least those less the run's unanswered ones.
		got := src.counts()
		for i, sh := range sharded.Shards {
			a := fmt.Sprintf("127.0.0.%d", i+2)
			assert.LessOrEqual(t, got[a], sh.Results+2, "%s: shard %d's results", a, sh.Index)
			assert.GreaterOrEqual(t, got[a], sh.Results-2-sharded.Totals.Unreached, "%s: shard %d's results, %d unanswered in all", a, sh.Index, sharded.Totals.Unreached)
		}
		assert.Zero(t, got["127.0.0.1"], "no shard's request left from the default address")
	})
	t.Run("secrets limit 20% high", func(t *testing.T) {
		t.Parallel()
		r, _ := scaledEmulator(t, "secrets=1200")
		whole := runWhole(t, r)
		r, _ = scaledEmulator(t, "secrets=1200")
		sharded := runShards(t, r)
		t.Logf("one process:%s\nfour shards:%s", figures(whole), figures(sharded))
		for name, rep := range map[string]*results.Report{"one process": whole, "four shards": sharded} {
			assert.False(t, rep.Pass, name)
			assert.False(t, passes(rep)["onset[secrets]"], "%s: %s", name, figures(rep))
		}
	})
}

func TestJudgeDirsRefusesWhatIsNotOneRun(t *testing.T) {
	root := t.TempDir()
	write := func(name string, m *results.Meta) string {
		d := filepath.Join(root, name)
		w, err := results.Create(d)
		require.NoError(t, err)
		require.NoError(t, w.Write(&vegeta.Result{Timestamp: time.Now(), Code: 200, Method: "GET", URL: "https://v/secrets/s?api-version=7.5"}))
		require.NoError(t, w.Close())
		require.NoError(t, results.WriteMeta(d, m))
		return d
	}
	shard := func(i int, scenario string) *results.Meta {
		return &results.Meta{Scenario: scenario, Profile: "2021", Window: limits.Sliding, Shard: &results.Shard{Index: i, Count: 2}}
	}
	a := write("a", shard(1, "secrets-onset"))
	b := write("b", shard(2, "secrets-below-limit"))
	c := write("c", shard(2, "secrets-onset"))
	_, _, err := JudgeDirs([]string{a, b}, "", JudgeOptions{NoPlots: true})
	require.ErrorContains(t, err, "its scenario is secrets-below-limit, not secrets-onset")
	_, _, err = JudgeDirs([]string{a}, "", JudgeOptions{NoPlots: true})
	require.ErrorContains(t, err, "shard 2 of 2 missing")
	_, _, err = JudgeDirs([]string{a, filepath.Join(root, "none")}, "", JudgeOptions{NoPlots: true})
	require.ErrorContains(t, err, "is not a kvquota run directory")
	rep, dir, err := JudgeDirs([]string{c, a}, "", JudgeOptions{NoPlots: true})
	require.NoError(t, err)
	assert.Equal(t, c, dir, "the first directory given")
	require.Len(t, rep.Shards, 2)
	assert.Equal(t, a, rep.Shards[0].Dir, "in shard order")
	assert.Equal(t, 2, rep.Totals.Requests)
	assert.FileExists(t, filepath.Join(c, results.ReportFile))
}

func TestShardsStartingTogetherShareTheSetup(t *testing.T) {
	ts := make([]vegeta.Target, 8)
	for i := range ts {
		ts[i].URL = fmt.Sprint(i)
	}
	urls := func(ts []vegeta.Target) (out []string) {
		for _, t := range ts {
			out = append(out, t.URL)
		}
		return out
	}
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	share := setupShare(&plan.Plan{Shard: &plan.Shard{Index: 2, Count: 3}, StartAt: at})
	require.NotNil(t, share)
	assert.Equal(t, []string{"1", "4", "7"}, urls(share(ts)))
	assert.Equal(t, []string{"2", "5"}, urls(setupShare(&plan.Plan{Shard: &plan.Shard{Index: 3, Count: 3}, StartAt: at})(ts)))
	assert.Nil(t, setupShare(&plan.Plan{Shard: &plan.Shard{Index: 2, Count: 3}}), "without a start time a shard sets up everything")
	assert.Nil(t, setupShare(&plan.Plan{StartAt: at}), "a whole run sets up everything")
}

// A shard whose setup ended after another's attack began used quota that no
// result holds: the merged run's window checks are inconclusive, saying
// why, and the checks that judge each answer on its own stand.
func TestASetupThatRanIntoTheAttackLeavesTheWindowChecksInconclusive(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	judge := func(setupEnd time.Time) *results.Report {
		root := t.TempDir()
		dirs := make([]string, 2)
		for i := range 2 {
			d := filepath.Join(root, fmt.Sprint(i+1))
			w, err := results.Create(d)
			require.NoError(t, err)
			for k := range 20 {
				at := t0.Add(time.Duration(k*10+i) * time.Millisecond)
				require.NoError(t, w.Write(&vegeta.Result{Timestamp: at, Latency: time.Millisecond, Code: 200, Method: "GET", URL: "https://v/secrets/s?api-version=7.5"}))
			}
			require.NoError(t, w.Close())
			sh := &results.Shard{Index: i + 1, Count: 2, Clock: t0, SetupEnd: t0.Add(-time.Second)}
			if i == 1 {
				sh.SetupEnd = setupEnd
			}
			require.NoError(t, results.WriteMeta(d, &results.Meta{Scenario: "s", Profile: "2021", Window: limits.Sliding, Start: t0, End: t0.Add(time.Second), Shard: sh,
				Expect: []scenarios.Expectation{{Check: scenarios.CheckNoThrottle}, {Check: scenarios.CheckErrorShape}}}))
			dirs[i] = d
		}
		rep, _, err := JudgeDirs(dirs, filepath.Join(root, "merged"), JudgeOptions{NoPlots: true})
		require.NoError(t, err)
		return rep
	}
	on := outcomes(judge(t0.Add(-time.Millisecond)))
	assert.Equal(t, results.Passed, on["no-throttle[secrets]"], "every setup done before the attack")
	rep := judge(t0.Add(1500 * time.Millisecond))
	late := outcomes(rep)
	assert.Equal(t, results.Inconclusive, late["no-throttle[secrets]"])
	require.Contains(t, late, "error-shape[secrets]")
	assert.Equal(t, on["error-shape[secrets]"], late["error-shape[secrets]"], "judged answer by answer")
	for _, v := range rep.Verdicts {
		if v.Check == scenarios.CheckNoThrottle {
			assert.Contains(t, v.Detail, "shard 2/2's setup ended 1.5s after the attack began")
		}
	}
	assert.Equal(t, results.Duration(1500*time.Millisecond), rep.Shards[1].SetupOverrun)
}
