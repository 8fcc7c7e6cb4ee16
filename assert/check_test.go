package assert_test

import (
	"encoding/json"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

var allChecks = []scenarios.CheckName{
	scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle, scenarios.CheckNoThrottle,
	scenarios.CheckGoodput, scenarios.CheckErrorShape,
}

func TestOutOfOrderResultsGiveTheSameVerdicts(t *testing.T) {
	for _, model := range []limits.WindowModel{limits.Sliding, limits.Fixed} {
		s := saturate(model, 20, 40*time.Second)
		s.add(3*time.Second, "GET", getURL, 0) // and a connection error
		in := input(t, model, allChecks...)
		in.Stages = overload
		want := check(t, in, s.seq())
		require.Len(t, want, 5)
		for seed := range uint64(3) {
			require.Equal(t, want, check(t, in, s.shuffled(seed)), "%s, shuffle %d", model, seed)
		}
	}
}

func TestVerdictsAreInExpectationOrderAndEncodeAsJSON(t *testing.T) {
	s := saturate(limits.Sliding, 20, 40*time.Second)
	s.add(time.Second, "PUT", putURL, 200)
	in := input(t, limits.Sliding, scenarios.CheckErrorShape, scenarios.CheckOnset)
	vs := check(t, in, s.seq())
	require.Len(t, vs, 4)
	require.Equal(t, scenarios.CheckErrorShape, vs[0].Check)
	require.Equal(t, limits.SecretsCreate, vs[0].Class)
	require.Equal(t, scenarios.CheckErrorShape, vs[1].Check)
	require.Equal(t, limits.Secrets, vs[1].Class)
	require.Equal(t, scenarios.CheckOnset, vs[2].Check)
	for _, v := range vs {
		_, err := json.Marshal(v)
		require.NoError(t, err)
		require.NotEmpty(t, v.Detail)
	}
}

func TestZeroStartMeansTheEarliestResult(t *testing.T) {
	s := &stream{}
	s.every(time.Second, 10*time.Millisecond, 100, 200)
	s.throttled(3 * time.Second)
	in := input(t, limits.Sliding, scenarios.CheckOnset)
	in.Start = time.Time{}
	v := only(t, check(t, in, s.shuffled(1)), scenarios.CheckOnset, limits.Secrets)
	require.Equal(t, 2*time.Second, *v.At)
}

func TestBadInputIsAClearError(t *testing.T) {
	good := func() assert.Input { return input(t, limits.Sliding, scenarios.CheckOnset) }
	s := &stream{}
	s.ok(0)
	for name, tc := range map[string]struct {
		in      func() assert.Input
		results iter.Seq[*vegeta.Result]
		want    string
	}{
		"no profile": {func() assert.Input { in := good(); in.Profile = nil; return in }, s.seq(), "no limits profile"},
		"bad window": {func() assert.Input { in := good(); in.Window = "tumbling"; return in }, s.seq(), `unknown window model "tumbling"`},
		"bad check": {func() assert.Input {
			in := good()
			in.Expect = []scenarios.Expectation{{Check: "latency"}}
			return in
		}, s.seq(), `expect[0]: unknown check "latency"`},
		"negative tolerance": {func() assert.Input {
			in := good()
			in.Expect = []scenarios.Expectation{{Check: scenarios.CheckOnset, Tolerance: -0.1}}
			return in
		}, s.seq(), "negative"},
		"stage not in run": {func() assert.Input {
			in := good()
			in.Expect = []scenarios.Expectation{{Check: scenarios.CheckGoodput, Stage: 3}}
			in.Stages = overload
			return in
		}, s.seq(), "stage 3 is not among the run's 1 stages"},
		"empty run":    {good, (&stream{}).seq(), assert.ErrNoResults.Error()},
		"nil result":   {good, func(yield func(*vegeta.Result) bool) { yield(nil) }, "result 1 is nil"},
		"no timestamp": {good, func(yield func(*vegeta.Result) bool) { yield(&vegeta.Result{URL: getURL}) }, "no usable timestamp"},
		"nothing classified": {good, func(yield func(*vegeta.Result) bool) {
			yield(&vegeta.Result{Timestamp: start, URL: "https://127.0.0.1/keys/k/create", Method: "POST", Code: 200})
		}, "none of the run's 1 results could be classified"},
		"class not in profile": {func() assert.Input {
			in := good()
			in.Classify = func(string, string) (limits.Class, bool) { return "widgets", true }
			return in
		}, s.seq(), `profile 2021 has no limit for class "widgets"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := assert.Check(tc.in(), tc.results)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestAnEmptyRunIsErrNoResults(t *testing.T) {
	_, err := assert.Check(input(t, limits.Sliding, scenarios.CheckOnset), (&stream{}).seq())
	require.ErrorIs(t, err, assert.ErrNoResults)
}

func TestPassed(t *testing.T) {
	require.True(t, (results.Overall(nil) == results.Passed))
	require.True(t, (results.Overall([]assert.Verdict{{Pass: true}}) == results.Passed))
	require.False(t, (results.Overall([]assert.Verdict{{Pass: true}, {Pass: false}}) == results.Passed))
}
