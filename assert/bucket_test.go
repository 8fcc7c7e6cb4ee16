package assert_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

func vaultURL(v string) string {
	if v == "" {
		return getURL
	}
	return fmt.Sprintf("https://127.0.0.1:8443/vaults/%s/secrets/s-1?api-version=7.5", v)
}

// spill builds a run over six vaults (limit 100 each, subscription 500): 90
// successes in each vault in the first second (540 > 500 is impossible, so
// the subscription admits 500: the sixth vault gets 50), then a 429 to
// lastVault at 2 s.
func spill(perVault []int, lastVault string) *stream {
	var s stream
	vaults := []string{"", "v1", "v2", "v3", "v4", "v5"}
	for i, v := range vaults {
		for n := range perVault[i] {
			s.add(time.Duration(i*100+n)*time.Millisecond/10, "GET", vaultURL(v), 200)
		}
	}
	s.add(2*time.Second, "GET", vaultURL(lastVault), 429)
	return &s
}

func TestSubscriptionOnsetNamesTheBucketThatThrottled(t *testing.T) {
	in := assert.Input{
		Profile: profile(t), Start: start,
		Expect: []scenarios.Expectation{{Check: scenarios.CheckSubscriptionOnset, Tolerance: 0.01}},
	}
	// The subscription full (500 = 5 x 100) while vault v5, which gets the
	// 429, holds 50: the subscription's bucket throttled.
	vs, err := assert.Check(in, spill([]int{90, 90, 90, 90, 90, 50}, "v5").seq())
	require.NoError(t, err)
	require.Len(t, vs, 1)
	v := vs[0]
	require.True(t, v.Pass, v.Detail)
	require.InDelta(t, 1.0, v.Measured, 1e-9)
	require.Contains(t, v.Detail, "from the subscription bucket")
	require.Contains(t, v.Detail, "the vault's own 0.500")
	require.Equal(t, 2*time.Second, *v.At)

	// The 429 went to a vault whose own window was full: the vault throttled,
	// though the subscription was full too: the check fails.
	vs, err = assert.Check(in, spill([]int{100, 100, 100, 100, 100, 0}, "v1").seq())
	require.NoError(t, err)
	require.False(t, vs[0].Pass, vs[0].Detail)
	require.Contains(t, vs[0].Detail, "from the vault bucket")

	// A subscription that let 5.4 vaults' worth through fails on its figure.
	vs, err = assert.Check(in, spill([]int{90, 90, 90, 90, 90, 90}, "v2").seq())
	require.NoError(t, err)
	require.False(t, vs[0].Pass)
	require.InDelta(t, 1.08, vs[0].Measured, 1e-9)

	// No 429 at all: the figure is the fullest the subscription got.
	s := spill([]int{50, 50, 50, 50, 50, 50}, "")
	s.rs = s.rs[:len(s.rs)-1]
	vs, err = assert.Check(in, s.seq())
	require.NoError(t, err)
	require.False(t, vs[0].Pass)
	require.InDelta(t, 0.6, vs[0].Measured, 1e-9)
	require.Contains(t, vs[0].Detail, "No 429")
}

func TestVaultOnsetNamesTheBucketThatThrottled(t *testing.T) {
	in := assert.Input{
		Profile: profile(t), Start: start,
		Expect: []scenarios.Expectation{{Check: scenarios.CheckVaultOnset, Tolerance: 0.01}},
	}
	// Three vaults with 100 each (300 of the subscription's 500), and the
	// 429 to the first, whose own window is full: the vault's bucket.
	vs, err := assert.Check(in, spill([]int{100, 100, 100, 0, 0, 0}, "").seq())
	require.NoError(t, err)
	require.Len(t, vs, 1)
	v := vs[0]
	require.True(t, v.Pass, v.Detail)
	require.Equal(t, scenarios.CheckVaultOnset, v.Check)
	require.InDelta(t, 1.0, v.Measured, 1e-9)
	require.Contains(t, v.Detail, "from the vault bucket")
	require.Contains(t, v.Detail, "the subscription's 0.600")

	// A vault that throttled at 90 of its 100 fails on its figure.
	vs, err = assert.Check(in, spill([]int{90, 100, 100, 0, 0, 0}, "").seq())
	require.NoError(t, err)
	require.True(t, vs[0].Failed(), vs[0].Detail)
	require.InDelta(t, 0.9, vs[0].Measured, 1e-9)

	// A vault whose own window held half its limit, refused while the
	// subscription was full: the subscription throttled, not the vault.
	vs, err = assert.Check(in, spill([]int{90, 90, 90, 90, 90, 50}, "v5").seq())
	require.NoError(t, err)
	require.True(t, vs[0].Failed(), vs[0].Detail)
	require.Contains(t, vs[0].Detail, "from the subscription bucket")

	// No 429: a vault that held 1.2 of its limits and never throttled fails;
	// one that held 0.5 only never met its limit (inconclusive).
	s := spill([]int{120, 50, 50, 0, 0, 0}, "")
	s.rs = s.rs[:len(s.rs)-1]
	vs, err = assert.Check(in, s.seq())
	require.NoError(t, err)
	require.True(t, vs[0].Failed(), vs[0].Detail)
	require.Contains(t, vs[0].Detail, "No 429")
	s = spill([]int{50, 50, 50, 0, 0, 0}, "")
	s.rs = s.rs[:len(s.rs)-1]
	vs, err = assert.Check(in, s.seq())
	require.NoError(t, err)
	require.True(t, vs[0].Inconclusive(), vs[0].Detail)
}

func TestKeyRequestsAreJudgedByTheirRows(t *testing.T) {
	// Classified with the run's key specs, as run.json records them: a
	// weighted mix of RSA-4096 HSM (limit 250) and RSA-2048 HSM (2000) reads
	// in the documentation's proportion fills the window at exactly 1.0.
	p := limits.MustGet("2021")
	classify := limits.NewClassifier(map[string]limits.KeySpec{
		"big": {Type: limits.RSA4096, HSM: true}, "small": {Type: limits.RSA2048, HSM: true},
	})
	var s stream
	for i := range 248 {
		s.add(time.Duration(i)*10*time.Millisecond, "GET", "https://h/keys/big?api-version=7.5", 200)
	}
	for i := range 16 {
		s.add(2500*time.Millisecond+time.Duration(i)*10*time.Millisecond, "POST", "https://h/keys/small/sign?api-version=7.5", 200)
	}
	s.add(3*time.Second, "GET", "https://h/keys/big?api-version=7.5", 429)
	s.add(3*time.Second+time.Millisecond, "POST", "https://h/keys/small/0a1b/verify?api-version=7.5", 429)
	vs, err := assert.Check(assert.Input{
		Profile: p, Start: start, Classify: classify,
		Expect: []scenarios.Expectation{{Check: scenarios.CheckOnset, Tolerance: 0.01}},
	}, s.seq())
	require.NoError(t, err)
	require.Len(t, vs, 2)
	for _, v := range vs {
		require.True(t, v.Pass, v.Detail)
		require.InDelta(t, 1.0, v.Measured, 1e-9, v.Class)
		require.Contains(t, v.Detail, "16 rsa2048-hsm-other + 248 rsa4096-hsm-other")
	}
}

// Check reads its results once whatever it is asked, so that a stored run
// can be judged from one read shared with the plots (package fanout): the
// per-vault, per-auth-case and unanswered figures come from the same read.
func TestCheckReadsTheResultsOnce(t *testing.T) {
	s := spill([]int{90, 90, 90, 90, 90, 50}, "v5")
	s.add(3*time.Second, "GET", vaultURL("v1"), 0) // no answer
	reads := 0
	once := func(yield func(*vegeta.Result) bool) {
		reads++
		for r := range s.seq() {
			if !yield(r) {
				return
			}
		}
	}
	in := assert.Input{
		Profile: profile(t), Start: start,
		Expect: []scenarios.Expectation{{Check: scenarios.CheckSubscriptionOnset}, {Check: scenarios.CheckAnswered}, {Check: scenarios.CheckOnset}},
	}
	vs, err := assert.Check(in, once)
	require.NoError(t, err)
	require.Equal(t, 1, reads)
	require.Len(t, vs, 3)
	require.True(t, vs[0].Pass, vs[0].Detail)
	require.Equal(t, float64(len(s.rs)-1), vs[1].Measured, "the unanswered request is counted in the same read")
}
