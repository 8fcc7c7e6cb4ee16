package scenarios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

const mixed = `
setup: [{op: set-secret, name: "r-{i}", count: 5}]
stages:
  - {duration: 10s, rate: 50%}
  - {duration: 20s, rate: 50%, to: 150%}
  - {duration: 5s, rate: 300}
  - {duration: 5s, rate: 100%, to: 0}
mix:
  - {op: get-secret, weight: 9, name: "r-{i}", count: 5}
  - {op: set-secret, weight: 1, name: "w-{i}", count: 5}
`

func TestMixLimitRateAgainstBothProfiles(t *testing.T) {
	s, err := Parse("m.yaml", []byte(mixed))
	require.NoError(t, err)

	// 2021: gets cost 1/4000 of a window, sets 1/300.
	// r = 1 / (10 * (0.9/4000 + 0.1/300)) = 179.104... requests/s.
	r2021 := 1 / (10 * (0.9/4000 + 0.1/300))
	assert.InDelta(t, r2021, s.MixLimitRate(limits.MustGet("2021")), 1e-9)
	// 2018: every secret transaction costs 1/2000, so 200 requests/s.
	assert.InDelta(t, 200.0, s.MixLimitRate(limits.MustGet("2018")), 1e-9)

	// The mix at its limit rate for one window fills exactly one window.
	p := limits.MustGet("2021")
	r := s.MixLimitRate(p)
	perWindow := r * p.Window.Seconds()
	cost := perWindow*0.9/4000 + perWindow*0.1/300
	assert.InDelta(t, 1.0, cost, 1e-12)

	for name, limitRate := range map[string]float64{"2021": r2021, "2018": 200} {
		spans := s.Schedule(limits.MustGet(name))
		want := []Span{
			{Stage: 1, From: 0, To: 10 * time.Second, StartRate: limitRate / 2, EndRate: limitRate / 2},
			{Stage: 2, From: 10 * time.Second, To: 30 * time.Second, StartRate: limitRate / 2, EndRate: 1.5 * limitRate},
			{Stage: 3, From: 30 * time.Second, To: 35 * time.Second, StartRate: 300, EndRate: 300},
			{Stage: 4, From: 35 * time.Second, To: 40 * time.Second, StartRate: limitRate, EndRate: 0},
		}
		require.Len(t, spans, len(want), name)
		for i := range want {
			assert.Equal(t, want[i].Stage, spans[i].Stage, name)
			assert.Equal(t, want[i].From, spans[i].From, name)
			assert.Equal(t, want[i].To, spans[i].To, name)
			assert.InDelta(t, want[i].StartRate, spans[i].StartRate, 1e-9, "%s span %d", name, i)
			assert.InDelta(t, want[i].EndRate, spans[i].EndRate, 1e-9, "%s span %d", name, i)
		}
		assert.InDelta(t, limitRate, spans[1].RateAt(20*time.Second), 1e-9, "the ramp's midpoint is the limit")
		assert.InDelta(t, limitRate/2*10, spans[0].Hits(), 1e-9)
		assert.InDelta(t, limitRate*20, spans[1].Hits(), 1e-9)
	}
	assert.Equal(t, 40*time.Second, s.Duration())
}

func TestOverridesRaiseTheLimitRate(t *testing.T) {
	s, err := Parse("o.yaml", []byte(`
profile: "2018"
limits: {secrets: 3000}
stages: [{duration: 10s, rate: 100%}]
mix: [{op: list-secrets}]
`))
	require.NoError(t, err)
	p, err := s.LimitsProfile()
	require.NoError(t, err)
	assert.Equal(t, 3000, p.Limit(limits.Secrets))
	assert.Equal(t, []limits.Class{limits.Secrets}, p.Overridden)
	assert.InDelta(t, 300.0, s.Schedule(p)[0].StartRate, 1e-9)
	// The stock profile still says 200/s; Schedule uses what it is given.
	assert.InDelta(t, 200.0, s.Schedule(limits.MustGet("2018"))[0].StartRate, 1e-9)
}

func TestMixLimitRateWithoutAProfile(t *testing.T) {
	s, err := Parse("n.yaml", []byte(minimal))
	require.NoError(t, err)
	assert.Zero(t, s.MixLimitRate(nil))
	assert.Zero(t, (&Scenario{}).MixLimitRate(limits.MustGet("2021")))
	// Absolute rates need no profile.
	assert.Equal(t, 10.0, s.Schedule(nil)[0].StartRate)
}

func TestOpClassesAgreeWithTheRequestClassifier(t *testing.T) {
	// The requests each operation sends (see attack/targeter.go), as the
	// emulator and the assert package classify them.
	requests := map[OpKind][2]string{
		GetSecret:          {"GET", "/secrets/a"},
		SetSecret:          {"PUT", "/secrets/a"},
		ListSecrets:        {"GET", "/secrets"},
		ListSecretVersions: {"GET", "/secrets/a/versions"},
		DeleteSecret:       {"DELETE", "/secrets/a"},
		AuthProbe:          {"GET", "/secrets/a-expired"},
		// Imports: their class is the profile's (TestStoredRunClassesImportsByTheirKeys).
		ImportCertificate: {"POST", "/certificates/a/import"},
	}
	keyRequests := map[OpKind][2]string{
		CreateKey: {"POST", "/keys/a/create"},
		GetKey:    {"GET", "/keys/a"},
		SignKey:   {"POST", "/keys/a//sign"},
		VerifyKey: {"POST", "/keys/a//verify"},
		Encrypt:   {"POST", "/keys/a//encrypt"},
		WrapKey:   {"POST", "/keys/a//wrapkey"},
		ImportKey: {"PUT", "/keys/a"},
	}
	require.Len(t, requests, len(OpKinds)-len(keyRequests))
	spec := limits.KeySpec{Type: limits.RSA3072, HSM: true}
	for k, rq := range keyRequests {
		want, ok := limits.ClassifyKeyRequest(rq[0], rq[1], func(string) (limits.KeySpec, bool) { return spec, true })
		require.True(t, ok, k)
		assert.Equal(t, want, classOf(Op{Op: k, KeyParams: KeyParams{Spec: spec}}), k)
	}
	for k := range requests {
		want, ok := limits.ClassifySecretRequest(requests[k][0], requests[k][1])
		require.True(t, ok, k)
		assert.Equal(t, want, k.Class(), k)
		assert.Equal(t, want, classOf(Op{Op: k}), k)
	}
	assert.Equal(t, limits.SecretsCreate, SetSecret.Class())
}

func TestExpandName(t *testing.T) {
	assert.Equal(t, "a-7-b-7", ExpandName("a-{i}-b-{i}", 7))
	assert.Equal(t, "plain", ExpandName("plain", 7))
	assert.Equal(t, []string{"x0", "x1", "x2"}, names("x{i}", 3))
	assert.Equal(t, []string{"v"}, names("v", 3))
	assert.NoError(t, checkNamePattern("a{i}", 1))
	assert.NoError(t, checkNamePattern("{i}", 10), "a name that is only a number is valid")
}
