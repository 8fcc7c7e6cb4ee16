package scenarios

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

// quotaRowBuiltins are the built-ins of the limits tables' rows: one per key
// cell, secret CREATE, the 2025 shared CREATE/import row, the weighted
// example and the subscription spill.
func quotaRowBuiltins() []string {
	var out []string
	for _, kt := range limits.KeyTypes {
		for _, prot := range []string{"hsm", "software"} {
			for _, op := range []string{"create", "other"} {
				out = append(out, string(kt)+"-"+prot+"-"+op+"-onset")
			}
		}
	}
	return append(out, "secrets-create-onset", "shared-create-row", "weighted-example", "weighted-even-mix", "subscription-spill", "vault-before-subscription")
}

func withoutQuotaRows(names []string) []string {
	rows := quotaRowBuiltins()
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return slices.Contains(rows, n) })
}

func TestEveryKeyCellHasABuiltinThatTouchesOnlyItsRow(t *testing.T) {
	names := BuiltinNames()
	for _, name := range quotaRowBuiltins() {
		require.Contains(t, names, name)
	}
	for _, kt := range limits.KeyTypes {
		for _, hsm := range []bool{true, false} {
			for _, create := range []bool{true, false} {
				c := limits.KeyClass(kt, hsm, create)
				s, err := Builtin(string(c) + "-onset")
				require.NoError(t, err, c)
				for _, o := range s.Mix {
					assert.Equal(t, c, classOf(o), "%s: %s", s.Name, o.Op)
				}
				for _, p := range limits.Names() {
					// 50% .. 150% of the cell's own limit, whichever profile.
					sp := s.Schedule(limits.MustGet(p))
					rate := limits.MustGet(p).Rate(c)
					assert.InDelta(t, 0.5*rate, sp[0].StartRate, 1e-9, "%s %s", s.Name, p)
					assert.InDelta(t, 1.5*rate, sp[2].EndRate, 1e-9, "%s %s", s.Name, p)
				}
				assert.Equal(t, 45*time.Second, s.Duration(), "2.5 windows over the limit at the end, to empty a token bucket too")
				specs := s.KeySpecs()
				require.NotEmpty(t, specs)
				for n, sp := range specs {
					assert.Equal(t, limits.KeySpec{Type: kt, HSM: hsm}, sp, n)
				}
			}
		}
	}
}

func TestTheWeightedExampleIsTheDocumentations(t *testing.T) {
	s, err := Builtin("weighted-example")
	require.NoError(t, err)
	require.Len(t, s.Mix, 2)
	assert.Equal(t, 248.0, s.Mix[0].Weight)
	assert.Equal(t, limits.KeyClass(limits.RSA4096, true, false), classOf(s.Mix[0]))
	assert.Equal(t, 16.0, s.Mix[1].Weight)
	assert.Equal(t, limits.KeyClass(limits.RSA2048, true, false), classOf(s.Mix[1]))
	// 100% is the rate at which 248 + 16 fill one window of 2021.
	assert.InDelta(t, 26.4, s.MixLimitRate(limits.MustGet("2021")), 1e-9)

	// Each class of weighted-even-mix carries half the cost: 1/250 = 8/2000.
	s, err = Builtin("weighted-even-mix")
	require.NoError(t, err)
	require.Len(t, s.Mix, 2)
	p := limits.MustGet("2021")
	c0, c1 := classOf(s.Mix[0]), classOf(s.Mix[1])
	assert.Equal(t, limits.KeyClass(limits.RSA4096, true, false), c0)
	assert.Equal(t, limits.KeyClass(limits.RSA2048, true, false), c1)
	assert.InDelta(t, s.Mix[0].Weight/float64(p.Limit(c0)), s.Mix[1].Weight/float64(p.Limit(c1)), 1e-12)

	s, err = Builtin("subscription-spill")
	require.NoError(t, err)
	assert.Equal(t, 6, s.Vaults())
	assert.Equal(t, CheckSubscriptionOnset, s.Expect[0].Check)

	s, err = Builtin("vault-before-subscription")
	require.NoError(t, err)
	assert.Equal(t, 3, s.Vaults(), "three vaults fill their own windows at 3/5 of the subscription's")
	assert.Less(t, s.Vaults(), p.SubscriptionFactor)
	assert.Equal(t, CheckVaultOnset, s.Expect[0].Check)
}

func TestKeyFieldsAreValidated(t *testing.T) {
	head := "stages: [{duration: 1s, rate: 1}]\n"
	for _, tc := range []struct{ yaml, want string }{
		{"mix: [{op: create-key, name: k}]", "mix[0].kty: missing"},
		{"mix: [{op: create-key, name: k, kty: RSA, key-size: 1024}]", "mix[0].key-size: RSA key size 1024"},
		{"mix: [{op: create-key, name: k, kty: EC, curve: P-192}]", `mix[0].curve: curve "P-192"`},
		{"mix: [{op: create-key, name: k, kty: DES}]", `mix[0].kty: key type "DES"`},
		{"mix: [{op: create-key, name: k, kty: RSA, size: 3}]", "mix[0].size: only set-secret sends a value; create-key takes no size"},
		{"mix: [{op: get-key, name: k, kty: RSA}]", "mix[0].kty: only create-key, import-key and import-certificate take kty"},
		{"mix: [{op: sign, name: k}]", `mix[0].name: sign of key "k" would answer 404`},
		{"setup: [{op: create-key, name: k, kty: EC}]\nmix: [{op: encrypt, name: k}]", "mix[0].op: encrypt needs an RSA key"},
		{"setup: [{op: create-key, name: a, kty: EC}, {op: create-key, name: b, kty: RSA}]\nmix: [{op: get-key, name: \"{i}\", count: 2}]", "404"},
		{"mix: [{op: get-secret, name: k, vaults: 0}]", "mix[0].vaults: 0 is out of range"},
	} {
		_, err := Parse("k.yaml", []byte(head+tc.yaml))
		require.Error(t, err, tc.yaml)
		assert.Contains(t, err.Error(), tc.want, tc.yaml)
		assert.True(t, strings.HasPrefix(err.Error(), "k.yaml:"), err.Error())
	}
	s, err := Parse("k.yaml", []byte(head+"setup: [{op: create-key, name: \"k{i}\", count: 3, kty: RSA-HSM, key-size: 3072}]\nmix: [{op: sign, name: \"k{i}\", count: 3, vaults: 2}]"))
	require.NoError(t, err)
	assert.Equal(t, limits.KeyClass(limits.RSA3072, true, false), classOf(s.Mix[0]))
	assert.Equal(t, map[string]limits.KeySpec{"k0": {Type: limits.RSA3072, HSM: true}, "k1": {Type: limits.RSA3072, HSM: true}, "k2": {Type: limits.RSA3072, HSM: true}}, s.KeySpecs())
	assert.Equal(t, 2, s.Vaults())
}
