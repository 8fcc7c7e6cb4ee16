package limits

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProfilesHoldTheDocumentedTables(t *testing.T) {
	// Every figure of shared/KEYVAULT.md, row by row:
	// HSM create, HSM other, software create, software other.
	want := map[string]map[KeyType][4]int{
		"2018": {
			RSA2048: {5, 1000, 10, 2000},
			RSA3072: {5, 250, 10, 500},
			RSA4096: {5, 125, 10, 250},
			EC:      {5, 1000, 10, 2000},
		},
		"2021": {
			RSA2048: {10, 2000, 20, 4000},
			RSA3072: {10, 500, 20, 1000},
			RSA4096: {10, 250, 20, 500},
			EC:      {10, 2000, 20, 4000},
		},
		"2025": {
			RSA2048: {10, 2000, 20, 4000},
			RSA3072: {10, 500, 20, 1000},
			RSA4096: {10, 250, 20, 500},
			EC:      {10, 2000, 20, 4000},
		},
	}
	secrets := map[string][2]int{"2018": {2000, 2000}, "2021": {300, 4000}, "2025": {300, 4000}}
	for name, rows := range want {
		p := MustGet(name)
		assert.Equal(t, 10.0, p.Window.Seconds(), name)
		assert.Equal(t, 5, p.SubscriptionFactor, name)
		for kt, r := range rows {
			assert.Equal(t, r[0], p.Limit(KeyClass(kt, true, true)), "%s %s hsm create", name, kt)
			assert.Equal(t, r[1], p.Limit(KeyClass(kt, true, false)), "%s %s hsm other", name, kt)
			assert.Equal(t, r[2], p.Limit(KeyClass(kt, false, true)), "%s %s soft create", name, kt)
			assert.Equal(t, r[3], p.Limit(KeyClass(kt, false, false)), "%s %s soft other", name, kt)
		}
		assert.Equal(t, secrets[name][0], p.Limit(SecretsCreate), name)
		assert.Equal(t, secrets[name][1], p.Limit(Secrets), name)
		assert.Len(t, p.Limits, len(AllClasses()), name)
	}
}

func TestWeightedExampleFillsExactlyOneWindow(t *testing.T) {
	// The documentation's example: 248 RSA-4096 HSM GETs plus 16 RSA-2048 HSM
	// GETs use exactly one window (248/250 + 16/2000 = 1).
	p := MustGet("2021")
	var u Usage
	big, small := KeyClass(RSA4096, true, false), KeyClass(RSA2048, true, false)
	for range 248 {
		require.True(t, u.Fits(p, 1, big))
		u.Add(big, 1)
	}
	for range 16 {
		require.True(t, u.Fits(p, 1, small))
		u.Add(small, 1)
	}
	assert.InDelta(t, 1.0, u.Cost(p, 1), 1e-12)
	assert.False(t, u.Fits(p, 1, small), "a 17th RSA-2048 GET must not fit")
	assert.False(t, u.Fits(p, 1, big))
	// The subscription holds five vaults' worth.
	assert.True(t, u.Fits(p, p.SubscriptionFactor, big))
	// Freeing one RSA-4096 GET (1/250) makes room for exactly eight RSA-2048 GETs.
	u.Add(big, -1)
	for range 8 {
		require.True(t, u.Fits(p, 1, small))
		u.Add(small, 1)
	}
	assert.False(t, u.Fits(p, 1, small))
}

func TestOverrides(t *testing.T) {
	o, err := ParseOverrides([]string{"secrets=2400", "rsa4096-hsm-other=300"})
	require.NoError(t, err)
	p, err := MustGet("2018").WithOverrides(o)
	require.NoError(t, err)
	assert.Equal(t, 2400, p.Limit(Secrets))
	assert.Equal(t, 300, p.Limit(KeyClass(RSA4096, true, false)))
	assert.Equal(t, []Class{"rsa4096-hsm-other", Secrets}, p.Overridden)
	assert.Equal(t, 2000, MustGet("2018").Limit(Secrets), "the stock profile is untouched")

	for _, bad := range []string{"secrets", "nope=1", "secrets=0", "secrets=x"} {
		_, err := ParseOverrides([]string{bad})
		assert.Error(t, err, bad)
	}
	_, err = Get("2019")
	assert.ErrorContains(t, err, "known: 2018, 2021, 2025")
}

func TestClassifySecretRequest(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         Class
		ok           bool
	}{
		{"PUT", "/secrets/a", SecretsCreate, true},
		{"GET", "/secrets/a", Secrets, true},
		{"GET", "/secrets/a/0123", Secrets, true},
		{"GET", "/secrets", Secrets, true},
		{"DELETE", "/secrets/a", Secrets, true},
		{"GET", "/deletedsecrets", Secrets, true},
		{"POST", "/keys/k/create", "", false},
	} {
		c, ok := ClassifySecretRequest(tc.method, tc.path)
		assert.Equal(t, tc.want, c, tc.method+" "+tc.path)
		assert.Equal(t, tc.ok, ok, tc.method+" "+tc.path)
	}
}

func TestDefaultIs2025AndImportsShareTheSecretCreateRow(t *testing.T) {
	assert.Equal(t, "2025", DefaultProfile)
	assert.Equal(t, []string{"2018", "2021", "2025"}, Names())
	ec := KeySpec{Type: EC, HSM: true}
	assert.Equal(t, SecretsCreate, MustGet("2025").ImportClass(ec))
	assert.Equal(t, KeyClass(EC, true, true), MustGet("2021").ImportClass(ec), "2021: an import is its type's CREATE")
	assert.Equal(t, KeyClass(EC, true, true), MustGet("2018").ImportClass(ec))
	assert.False(t, MustGet("2021").SharedImport)
	assert.True(t, MustGet("2025").Clone().SharedImport, "Clone keeps it")

	// Under weighted enforcement, 150 secret sets and 150 key imports fill
	// a 2025 window: they share the 300.
	p := MustGet("2025")
	var u Usage
	for range 150 {
		u.Add(SecretsCreate, 1)
		u.Add(p.ImportClass(ec), 1)
	}
	assert.False(t, u.Fits(p, 1, SecretsCreate))
	assert.Equal(t, 300, u.Count(SecretsCreate))
}

func TestClassifyKeyRequest(t *testing.T) {
	lookup := func(name string) (KeySpec, bool) {
		return KeySpec{Type: RSA3072}, name == "k"
	}
	other, create := KeyClass(RSA3072, false, false), KeyClass(RSA3072, false, true)
	for _, tc := range []struct {
		profile, method, path string
		want                  Class
		ok                    bool
	}{
		{"2025", "POST", "/keys/k/create", create, true},
		{"2025", "POST", "/keys/k/rotate", create, true},
		{"2025", "PUT", "/keys/k", SecretsCreate, true},
		{"2021", "PUT", "/keys/k", create, true},
		{"2025", "PATCH", "/keys/k/v1", other, true},
		{"2025", "GET", "/keys/k/versions", other, true},
		{"2025", "GET", "/keys/k/rotationpolicy", other, true},
		{"2025", "PUT", "/keys/k/rotationpolicy", other, true},
		{"2025", "POST", "/keys/k/backup", other, true},
		{"2025", "POST", "/keys/restore", Secrets, true},
		{"2025", "GET", "/deletedkeys", Secrets, true},
		{"2025", "DELETE", "/deletedkeys/k", other, true},
		{"2025", "POST", "/deletedkeys/k/recover", other, true},
		{"2025", "POST", "/rng", Secrets, true},
		{"2025", "GET", "/keys", Secrets, true},
		{"2025", "GET", "/keys/nope", "", false},
		{"2025", "GET", "/secrets/k", "", false},
	} {
		c, ok := ClassifyKeyRequestIn(MustGet(tc.profile), tc.method, tc.path, lookup)
		assert.Equal(t, tc.want, c, tc.profile+" "+tc.method+" "+tc.path)
		assert.Equal(t, tc.ok, ok, tc.profile+" "+tc.method+" "+tc.path)
	}
	c, _ := NewClassifierFor(MustGet("2021"), map[string]KeySpec{"k": {Type: RSA3072}})("PUT", "https://h/vaults/b/keys/k?api-version=7.6")
	assert.Equal(t, create, c)
	c, _ = NewClassifier(map[string]KeySpec{"k": {Type: RSA3072}})("PUT", "https://h/keys/k?api-version=7.6")
	assert.Equal(t, SecretsCreate, c)
}
