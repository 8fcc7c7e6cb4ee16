package scenarios

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

const importMix = `
stages: [{duration: 10s, rate: 100%}]
mix:
  - {op: set-secret, name: "s-{i}", count: 5}
  - {op: import-key, name: "K-{i}", count: 2, kty: RSA-HSM, key-size: 3072}
  - {op: import-certificate, name: "c-{i}", count: 2, kty: EC, curve: P-256}
  - {op: import-certificate, name: rsa-cert}
`

func TestImportsParseAndClassPerProfile(t *testing.T) {
	s, err := Parse("i.yaml", []byte(importMix))
	require.NoError(t, err)
	require.Len(t, s.Mix, 4)
	key, ec, rsa := s.Mix[1], s.Mix[2], s.Mix[3]
	assert.Equal(t, ImportKey, key.Op)
	assert.Equal(t, limits.KeySpec{Type: limits.RSA3072, HSM: true}, key.Spec)
	assert.Equal(t, 2, key.Count)
	assert.Equal(t, limits.KeySpec{Type: limits.EC}, ec.Spec)
	assert.Equal(t, "RSA", rsa.Kty, "a certificate's key is RSA 2048 by default")
	assert.Equal(t, limits.KeySpec{Type: limits.RSA2048}, rsa.Spec)

	p2025, p2021 := limits.MustGet("2025"), limits.MustGet("2021")
	for _, o := range s.Mix {
		assert.Equal(t, limits.SecretsCreate, o.ClassIn(p2025), "2025 shares one row: %s", o.Op)
	}
	assert.Equal(t, limits.SecretsCreate, classOf(key), "the default profile is 2025")
	assert.Equal(t, limits.KeyClass(limits.RSA3072, true, true), key.ClassIn(p2021))
	assert.Equal(t, limits.KeyClass(limits.EC, false, true), ec.ClassIn(p2021))
	assert.Equal(t, limits.KeyClass(limits.RSA2048, false, true), rsa.ClassIn(limits.MustGet("2018")))

	// Under 2025 every entry costs 1/300 of a window: 30 requests/s fill it.
	assert.InDelta(t, 30, s.MixLimitRate(p2025), 1e-9)
	// Under 2021 each entry (weight 1 of 4) costs 1/Limit of its own row.
	var cost float64
	for _, o := range s.Mix {
		cost += o.Weight / 4 / float64(p2021.Limit(o.ClassIn(p2021)))
	}
	assert.InDelta(t, 1/(10*cost), s.MixLimitRate(p2021), 1e-9)
	assert.NotEqual(t, s.MixLimitRate(p2025), s.MixLimitRate(p2021))

	assert.Equal(t, map[string]limits.KeySpec{
		"k-0": {Type: limits.RSA3072, HSM: true}, "k-1": {Type: limits.RSA3072, HSM: true},
		limits.CertKeyName("c-0"): {Type: limits.EC}, limits.CertKeyName("c-1"): {Type: limits.EC},
		limits.CertKeyName("rsa-cert"): {Type: limits.RSA2048},
	}, s.KeySpecs(), "run.json classes the imports of a stored run")
}

func TestStoredRunClassesImportsByTheirKeys(t *testing.T) {
	s, err := Parse("i.yaml", []byte(importMix))
	require.NoError(t, err)
	for _, p := range []*limits.Profile{limits.MustGet("2018"), limits.MustGet("2021"), limits.MustGet("2025")} {
		classify := limits.NewClassifierFor(p, s.KeySpecs())
		for _, tc := range []struct {
			method, url string
			op          Op
		}{
			{"PUT", "https://v/keys/K-1?api-version=7.5", s.Mix[1]},
			{"POST", "https://v/certificates/c-0/import?api-version=7.5", s.Mix[2]},
			{"POST", "https://v/vaults/v1/certificates/rsa-cert/import", s.Mix[3]},
		} {
			c, ok := classify(tc.method, tc.url)
			require.True(t, ok, tc.url)
			assert.Equal(t, tc.op.ClassIn(p), c, "%s %s under %s", tc.method, tc.url, p.Name)
		}
	}
}

func TestImportFieldsAreValidated(t *testing.T) {
	head := "stages: [{duration: 1s, rate: 1}]\n"
	for _, tc := range []struct{ yaml, want string }{
		{"mix: [{op: import-key, name: k}]", "mix[0].kty: missing"},
		{"mix: [{op: import-key, name: k, kty: RSA, key-size: 1024}]", "mix[0].key-size: RSA key size 1024"},
		{"mix: [{op: import-key, name: k, kty: EC, curve: P-256K}]", "mix[0].curve: import-key cannot import a P-256K key"},
		{"mix: [{op: import-key, name: k, kty: RSA, size: 3}]", "mix[0].size: only set-secret sends a value; import-key takes no size"},
		{"mix: [{op: import-key, name: \"k-{i}\"}]", "mix[0].count: missing"},
		{"mix: [{op: import-key, kty: RSA}]", "mix[0].name: missing"},
		{"mix: [{op: import-key, name: k, count: 3, kty: RSA}]", "mix[0].count: count 3 has no effect"},
		{"mix: [{op: import-certificate, name: c, kty: RSA, key-size: 4096}]", "mix[0].key-size: import-certificate imports an RSA 2048 (kty: RSA) or an EC P-256"},
		{"mix: [{op: import-certificate, name: c, kty: EC, curve: P-384}]", "mix[0].curve: import-certificate imports"},
		{"mix: [{op: import-certificate, name: c, kty: RSA-HSM}]", "mix[0].kty: import-certificate imports"},
		{"mix: [{op: import-certificate, name: c, kty: EC, key-size: 2048}]", "mix[0].key-size: an EC key takes a curve"},
		{"mix: [{op: import-certificate, name: c, max-results: 2}]", "mix[0].max-results: only list operations"},
		{"mix: [{op: get-secret, name: k, kty: RSA}]", "mix[0].kty: only create-key, import-key and import-certificate take kty"},
		{"setup: [{op: import-key, name: k, kty: RSA}]\nmix: [{op: list-secrets}]", "setup[0].op: import-key cannot set up a vault"},
		{"mix: [{op: import-kee, name: k}]", `did you mean "import-key"?`},
	} {
		_, err := Parse("i.yaml", []byte(head+tc.yaml))
		require.Error(t, err, tc.yaml)
		assert.Contains(t, err.Error(), tc.want, tc.yaml)
		assert.True(t, strings.HasPrefix(err.Error(), "i.yaml:"), err.Error())
		assert.Regexp(t, `^i\.yaml:\d+:\d+`, err.Error(), "file and line")
	}
}

// classOf is the class of o under the default profile.
func classOf(o Op) limits.Class { return o.ClassIn(limits.MustGet(limits.DefaultProfile)) }
