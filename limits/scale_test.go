package limits

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScalingKeepsEveryRowCountableAndRunnable(t *testing.T) {
	for _, name := range Names() {
		doc := MustGet(name)
		sc := DefaultScaling(0.1)
		require.NoError(t, sc.Validate())
		f := sc.Factors(doc)
		p := sc.Apply(doc, f)
		assert.Equal(t, time.Second, p.Window)
		for c, l := range doc.Limits {
			got := p.Limit(c)
			if l <= 100 { // the CREATE rows keep their documented figures
				assert.Equal(t, l, got, "%s %s", name, c)
				continue
			}
			assert.Equal(t, 100, got, "%s %s: at least 100 per window, at most 100/s", name, c)
		}
		assert.Equal(t, doc.Limits, MustGet(name).Limits, "the documented profile is untouched")
		// A wrong target is wrong by the same ratio after scaling.
		wrong, err := doc.WithOverrides(map[Class]int{KeyClass(RSA4096, true, false): 300})
		require.NoError(t, err)
		ws := sc.Apply(wrong, f)
		want := 300 * 100 / doc.Limit(KeyClass(RSA4096, true, false))
		assert.Equal(t, want, ws.Limit(KeyClass(RSA4096, true, false)), name)
		assert.Equal(t, p.Limit(Secrets), ws.Limit(Secrets))
	}
	// A long window keeps the documented rate where it is low enough.
	sc := Scaling{TimeScale: 0.5, MaxRate: 100, MinLimit: 100}
	p := sc.Apply(MustGet("2021"), sc.Factors(MustGet("2021")))
	assert.Equal(t, 5*time.Second, p.Window)
	assert.Equal(t, 125, p.Limit(KeyClass(RSA4096, true, false)), "250 x 0.5")
	assert.Equal(t, 500, p.Limit(Secrets), "4000 x 0.5 = 2000 would be 400/s: cut to 100/s x 5 s")
	for _, bad := range []Scaling{{TimeScale: 0}, {TimeScale: 2, MaxRate: 1, MinLimit: 1}, {TimeScale: 0.5}} {
		assert.Error(t, bad.Validate(), "%+v", bad)
	}
}

func TestKeySpecsAndKeyRequestsClassify(t *testing.T) {
	for _, tc := range []struct {
		kty   string
		size  int
		curve string
		want  KeySpec
	}{
		{"RSA", 0, "", KeySpec{RSA2048, false}},
		{"RSA-HSM", 3072, "", KeySpec{RSA3072, true}},
		{"RSA", 4096, "", KeySpec{RSA4096, false}},
		{"EC", 0, "", KeySpec{EC, false}},
		{"EC-HSM", 0, "P-256K", KeySpec{EC, true}},
		{"EC", 0, "P-521", KeySpec{EC, false}},
	} {
		got, err := ParseKeySpec(tc.kty, tc.size, tc.curve)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
	}
	for _, bad := range [][3]any{{"oct", 0, ""}, {"RSA", 1024, ""}, {"EC", 256, ""}, {"EC", 0, "P-192"}, {"rsa", 0, ""}} {
		_, err := ParseKeySpec(bad[0].(string), bad[1].(int), bad[2].(string))
		assert.Error(t, err, "%v", bad)
	}
	keys := map[string]KeySpec{"big": {RSA4096, true}}
	classify := NewClassifier(keys)
	for _, tc := range []struct {
		method, url string
		want        Class
		ok          bool
	}{
		{"POST", "https://h/keys/big/create?api-version=7.5", "rsa4096-hsm-create", true},
		{"POST", "https://h/vaults/v3/keys/BIG/create", "rsa4096-hsm-create", true},
		{"GET", "https://h/keys/big", "rsa4096-hsm-other", true},
		{"POST", "https://h/keys/big/0123/sign", "rsa4096-hsm-other", true},
		{"POST", "https://h/vaults/v1/keys/big/wrapkey", "rsa4096-hsm-other", true},
		{"GET", "https://h/vaults/v1/secrets/s", Secrets, true},
		{"PUT", "https://h/secrets/s", SecretsCreate, true},
		{"GET", "https://h/keys", Secrets, true},
		{"GET", "https://h/keys/unknown", "", false},
	} {
		c, ok := classify(tc.method, tc.url)
		assert.Equal(t, tc.ok, ok, tc.url)
		assert.Equal(t, tc.want, c, tc.url)
	}
	assert.Equal(t, "v3", VaultOf("https://h/vaults/v3/keys/x"))
	assert.Equal(t, "", VaultOf("https://h/keys/x"))
}
