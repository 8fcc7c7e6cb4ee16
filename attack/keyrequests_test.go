package attack

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

const keyOps = `
seed: 3
setup:
  - {op: create-key, name: "r-{i}", count: 2, kty: RSA-HSM, key-size: 4096}
  - {op: create-key, name: "e", kty: EC, curve: P-384}
stages: [{duration: 1s, rate: 10}]
mix:
  - {op: create-key, name: "c-{i}", count: 3, kty: EC-HSM, curve: P-256K}
  - {op: get-key, name: "r-{i}", count: 2, vaults: 3}
  - {op: sign, name: "e"}
  - {op: verify, name: "r-{i}", count: 2}
  - {op: encrypt, name: "r-{i}", count: 2}
  - {op: wrap-key, name: "r-{i}", count: 2}
`

func TestKeyTargetsAreKeyVaultRequestsOfTheirRows(t *testing.T) {
	t.Parallel()
	s := mustParse(t, keyOps)
	setup, err := SetupTargets(vault, s, &countingTokens{})
	require.NoError(t, err)
	require.Len(t, setup, 3)
	for i, want := range []string{`{"key_size":4096,"kty":"RSA-HSM"}`, `{"key_size":4096,"kty":"RSA-HSM"}`, `{"crv":"P-384","kty":"EC"}`} {
		assert.Equal(t, http.MethodPost, setup[i].Method)
		assert.JSONEq(t, want, string(setup[i].Body))
	}
	assert.Equal(t, vault+"/keys/r-1/create?api-version=7.5", setup[1].URL)

	tr, err := NewTargeter(vault, s, &countingTokens{})
	require.NoError(t, err)
	classify := limits.NewClassifier(s.KeySpecs())
	seen := map[string]int{}
	vaults := map[string]int{}
	for range 600 {
		tgt := next(t, tr)
		u, err := url.Parse(tgt.URL)
		require.NoError(t, err)
		c, ok := classify(tgt.Method, tgt.URL)
		require.True(t, ok, tgt.URL)
		path := u.Path
		if v := limits.VaultOf(tgt.URL); v != "" {
			vaults[v]++
			path = strings.TrimPrefix(path, "/vaults/"+v)
		} else if strings.HasPrefix(path, "/keys/r-") && tgt.Method == http.MethodGet {
			vaults[""]++
		}
		op := tgt.Method + " " + strings.Join(strings.Split(path, "/")[3:], "/")
		seen[op]++
		var body map[string]any
		if tgt.Body != nil {
			require.NoError(t, json.Unmarshal(tgt.Body, &body))
			assert.Equal(t, "application/json", tgt.Header.Get("Content-Type"))
		}
		switch op {
		case "POST create":
			assert.Equal(t, limits.KeyClass(limits.EC, true, true), c)
			assert.Equal(t, map[string]any{"kty": "EC-HSM", "crv": "P-256K"}, body)
		case "GET ":
			assert.Equal(t, limits.KeyClass(limits.RSA4096, true, false), c)
		case "POST sign":
			assert.Equal(t, limits.KeyClass(limits.EC, false, false), c)
			assert.Equal(t, "ES384", body["alg"], "the curve's algorithm")
			assert.Len(t, body["value"], 64, "a 48-byte digest, base64url")
		case "POST verify":
			assert.Equal(t, "RS256", body["alg"])
			assert.Len(t, body["value"], 683, "a 512-byte signature of an RSA-4096 key, base64url")
		case "POST encrypt", "POST wrapkey":
			assert.Equal(t, "RSA-OAEP-256", body["alg"])
		default:
			t.Fatalf("unexpected request %s %s", tgt.Method, tgt.URL)
		}
	}
	assert.Len(t, seen, 6, "%v", seen)
	require.Len(t, vaults, 3, "get-key spreads over the default vault, v1 and v2: %v", vaults)
	assert.InDelta(t, vaults[""], vaults["v1"], 1, "in turn, so equal shares")
	assert.InDelta(t, vaults["v1"], vaults["v2"], 1)
}
