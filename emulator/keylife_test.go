package emulator

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

// kb is a key bundle as the tests read it.
type kb struct {
	Key struct {
		Kid    string   `json:"kid"`
		Kty    string   `json:"kty"`
		KeyOps []string `json:"key_ops"`
		N      string   `json:"n"`
		X      string   `json:"x"`
	} `json:"key"`
	Attributes map[string]any    `json:"attributes"`
	Tags       map[string]string `json:"tags"`
}

func keyOK(t *testing.T, e *env, method, path string, body any) kb {
	t.Helper()
	w := e.call(method, path, body)
	require.Equal(t, http.StatusOK, w.Code, "%s %s: %s", method, path, w.Body.String())
	return decode[kb](t, w)
}

func version(kid string) string { return kid[strings.LastIndexByte(kid, '/')+1:] }

func TestCreateDefaultsAndAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	ec := keyOK(t, e, http.MethodPost, "/keys/ec/create", map[string]any{"kty": "EC"})
	assert.Equal(t, []string{"sign", "verify"}, ec.Key.KeyOps, "Key Vault gives EC keys sign and verify")
	rsaKey := keyOK(t, e, http.MethodPost, "/keys/r/create", map[string]any{"kty": "RSA-HSM"})
	assert.Equal(t, []string{"encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"}, rsaKey.Key.KeyOps)
	assert.Equal(t, false, rsaKey.Attributes["exportable"], "attributes.exportable is in every answer")

	k := keyOK(t, e, http.MethodPost, "/keys/a/create", map[string]any{"kty": "RSA", "key_ops": []string{"wrapkey"},
		"attributes": map[string]any{"exp": 2524611661, "nbf": 2209078861, "enabled": false}, "tags": map[string]string{"t": "v"}})
	assert.Equal(t, []string{"wrapKey"}, k.Key.KeyOps)
	assert.EqualValues(t, 2524611661, k.Attributes["exp"])
	assert.EqualValues(t, 2209078861, k.Attributes["nbf"])
	assert.Equal(t, false, k.Attributes["enabled"])
	assert.Equal(t, map[string]string{"t": "v"}, k.Tags)

	w := e.call(http.MethodPost, "/keys/x/create", map[string]any{"kty": "EC", "attributes": map[string]any{"exportable": true}})
	require.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, kvError(t, w).Message, "release policy")
	k = keyOK(t, e, http.MethodPost, "/keys/x/create", map[string]any{"kty": "EC", "attributes": map[string]any{"exportable": true},
		"release_policy": map[string]any{"data": "e30"}})
	assert.Equal(t, true, k.Attributes["exportable"])
	w = e.call(http.MethodPost, "/keys/x/release", map[string]any{"target": "token"})
	require.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, kvError(t, w).Message, "attestation service")
}

func TestUpdateAndVersions(t *testing.T) {
	e := newEnv(t, Config{})
	first := keyOK(t, e, http.MethodPost, "/keys/k/create", map[string]any{"kty": "EC"})
	var versions []string
	versions = append(versions, version(first.Key.Kid))
	for range 2 {
		versions = append(versions, version(keyOK(t, e, http.MethodPost, "/keys/k/create", map[string]any{"kty": "EC"}).Key.Kid))
	}
	u := keyOK(t, e, http.MethodPatch, "/keys/k/"+versions[0], map[string]any{"key_ops": []string{"verify"},
		"attributes": map[string]any{"enabled": false}, "tags": map[string]string{"a": "b"}})
	assert.Equal(t, first.Key.Kid, u.Key.Kid)
	assert.Equal(t, []string{"verify"}, u.Key.KeyOps)
	assert.Equal(t, false, u.Attributes["enabled"])
	latest := keyOK(t, e, http.MethodGet, "/keys/k", nil)
	assert.Equal(t, versions[2], version(latest.Key.Kid), "the update touched only its version")
	assert.Equal(t, true, latest.Attributes["enabled"])
	u = keyOK(t, e, http.MethodPatch, "/keys/k", map[string]any{"tags": map[string]string{"x": "y"}})
	assert.Equal(t, versions[2], version(u.Key.Kid), "no version: the latest")
	assert.Equal(t, map[string]string{"x": "y"}, u.Tags)
	w0 := e.call(http.MethodPatch, "/keys/k", map[string]any{"tags": map[string]string{}})
	require.Equal(t, http.StatusOK, w0.Code)
	assert.Contains(t, w0.Body.String(), `"tags":{}`, "tags set empty are kept empty")
	w0 = e.call(http.MethodPatch, "/keys/k", map[string]any{"key_ops": []string{"sign"}})
	assert.Contains(t, w0.Body.String(), `"tags":{}`, "an update without tags leaves them")
	assert.NotContains(t, e.call(http.MethodGet, "/keys/k/"+versions[1], nil).Body.String(), `"tags"`, "a key without tags has none")

	var seen []string
	next := "/keys/k/versions?maxresults=2"
	for pages := 0; next != ""; pages++ {
		require.Less(t, pages, 3)
		w := e.call(http.MethodGet, next, nil)
		require.Equal(t, http.StatusOK, w.Code)
		page := decode[struct {
			Value []struct {
				Kid string `json:"kid"`
			} `json:"value"`
			NextLink *string `json:"nextLink"`
		}](t, w)
		for _, it := range page.Value {
			seen = append(seen, version(it.Kid))
		}
		next = ""
		if page.NextLink != nil {
			next = strings.TrimPrefix(*page.NextLink, base)
		}
	}
	assert.ElementsMatch(t, versions, seen)
	w := e.call(http.MethodPatch, "/keys/k", map[string]any{"key_ops": []string{"fly"}})
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, http.StatusNotFound, e.call(http.MethodGet, "/keys/nope/versions", nil).Code)
}

func TestDeletedKeysFollowTheDeletionPolicy(t *testing.T) {
	e := newEnv(t, Config{Deletion: DeletionPolicy{RetentionDays: 7}})
	keyOK(t, e, http.MethodPost, "/keys/k/create", map[string]any{"kty": "EC"})
	w := e.call(http.MethodDelete, "/keys/k", nil)
	require.Equal(t, http.StatusOK, w.Code)
	d := decode[map[string]any](t, w)
	attrs := d["attributes"].(map[string]any)
	assert.EqualValues(t, 7, attrs["recoverableDays"])
	assert.Equal(t, "CustomizedRecoverable+Purgeable", attrs["recoveryLevel"])
	assert.EqualValues(t, t0.Add(7*24*time.Hour).Unix(), d["scheduledPurgeDate"])

	w = e.call(http.MethodGet, "/deletedkeys", nil)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), `"recoveryId":"`+base+`/deletedkeys/k"`)
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/deletedkeys/k", nil).Code)
	assert.Equal(t, http.StatusConflict, e.call(http.MethodPost, "/keys/k/create", map[string]any{"kty": "EC"}).Code)
	keyOK(t, e, http.MethodPost, "/deletedkeys/k/recover", nil)
	keyOK(t, e, http.MethodGet, "/keys/k", nil)
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/keys/k", nil).Code)
	assert.Equal(t, http.StatusNoContent, e.call(http.MethodDelete, "/deletedkeys/k", nil).Code)
	w = e.call(http.MethodGet, "/deletedkeys/k", nil)
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Equal(t, "KeyNotFound", kvError(t, w).Code)

	// Past its retention a deleted key is gone, as Key Vault purges it.
	keyOK(t, e, http.MethodPost, "/keys/old/create", map[string]any{"kty": "EC"})
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/keys/old", nil).Code)
	e.advance(7*24*time.Hour + time.Second)
	assert.Equal(t, http.StatusNotFound, e.call(http.MethodGet, "/deletedkeys/old", nil).Code)
}

func TestPurgeProtectionRefusesPurge(t *testing.T) {
	e := newEnv(t, Config{Deletion: DeletionPolicy{PurgeProtection: true}})
	k := keyOK(t, e, http.MethodPost, "/keys/k/create", map[string]any{"kty": "EC"})
	assert.Equal(t, "Recoverable", k.Attributes["recoveryLevel"])
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/keys/k", nil).Code)
	w := e.call(http.MethodDelete, "/deletedkeys/k", nil)
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, kvError(t, w).Message, `Operation "purge" is not allowed because purge protection is enabled for this vault`)
	assert.Equal(t, http.StatusOK, e.call(http.MethodGet, "/deletedkeys/k", nil).Code, "still there")
	_, err := New(Config{Deletion: DeletionPolicy{RetentionDays: 5}})
	assert.ErrorContains(t, err, "7 to 90 days")
}

func rsaJWK(t *testing.T, pk *rsa.PrivateKey) map[string]any {
	t.Helper()
	enc := func(x *big.Int) string { return base64.RawURLEncoding.EncodeToString(x.Bytes()) }
	return map[string]any{"kty": "RSA", "n": enc(pk.N), "e": enc(big.NewInt(int64(pk.E))), "d": enc(pk.D),
		"p": enc(pk.Primes[0]), "q": enc(pk.Primes[1])}
}

func TestImportChecksTheMaterialAndSigns(t *testing.T) {
	e := newEnv(t, Config{Profile: limits.MustGet("2021")})
	pk := sharedKey()
	jwk := rsaJWK(t, pk)
	jwk["key_ops"] = []string{"sign", "verify"}
	k := keyOK(t, e, http.MethodPut, "/keys/imp", map[string]any{"key": jwk, "Hsm": true})
	assert.Equal(t, "RSA-HSM", k.Key.Kty)
	assert.Equal(t, []string{"sign", "verify"}, k.Key.KeyOps)
	assert.Equal(t, jwk["n"], k.Key.N)
	u := e.v.Usage()
	assert.Equal(t, 1, u.Count(limits.KeyClass(limits.RSA2048, true, true)),
		"under 2021 an import counts as its type's CREATE")

	digest := sha256.Sum256([]byte("signed by an imported key"))
	w := e.call(http.MethodPost, "/keys/imp/sign", map[string]any{"alg": "RS256", "value": b64(digest[:])})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	sig, err := base64.RawURLEncoding.DecodeString(decode[map[string]string](t, w)["value"])
	require.NoError(t, err)
	require.NoError(t, rsa.VerifyPKCS1v15(&pk.PublicKey, crypto.SHA256, digest[:], sig), "the imported private key signed")

	ek, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	raw, err := ek.Bytes()
	require.NoError(t, err)
	pub, err := ek.PublicKey.Bytes()
	require.NoError(t, err)
	ecJWK := map[string]any{"kty": "EC", "crv": "P-384", "d": b64(raw), "x": b64(pub[1:49]), "y": b64(pub[49:])}
	ec := keyOK(t, e, http.MethodPut, "/keys/ec", map[string]any{"key": ecJWK})
	assert.Equal(t, "EC", ec.Key.Kty)
	assert.Equal(t, []string{"sign", "verify"}, ec.Key.KeyOps)

	bad := func(jwk map[string]any, want string) {
		t.Helper()
		w := e.call(http.MethodPut, "/keys/bad", map[string]any{"key": jwk})
		require.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
		assert.Contains(t, kvError(t, w).Message, want)
	}
	wrongY := map[string]any{"kty": "EC", "crv": "P-384", "d": ecJWK["d"], "x": ecJWK["x"], "y": ecJWK["x"]}
	bad(wrongY, "d does not give the point")
	noD := rsaJWK(t, pk)
	delete(noD, "d")
	bad(noD, "'d' is missing")
	wrongP := rsaJWK(t, pk)
	wrongP["p"] = wrongP["q"]
	bad(wrongP, "not a valid RSA private key")
	bad(map[string]any{"kty": "RSA-HSM", "key_hsm": "AAAA"}, "BYOK")
	bad(map[string]any{"kty": "oct", "k": "AAAA"}, "Managed HSM")
	assert.Equal(t, http.StatusNotFound, e.call(http.MethodGet, "/keys/bad", nil).Code, "nothing was stored")
}

func TestBackupRestore(t *testing.T) {
	e := newEnv(t, Config{})
	k := keyOK(t, e, http.MethodPost, "/keys/k/create", map[string]any{"kty": "EC", "tags": map[string]string{"a": "b"}})
	w := e.call(http.MethodPost, "/keys/k/backup", nil)
	require.Equal(t, http.StatusOK, w.Code)
	blob := decode[map[string]string](t, w)["value"]
	require.NotEmpty(t, blob)

	w = e.call(http.MethodPost, "/keys/restore", map[string]string{"value": blob})
	assert.Equal(t, http.StatusConflict, w.Code, "the key is there")
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/keys/k", nil).Code)
	assert.Equal(t, http.StatusConflict, e.call(http.MethodPost, "/keys/restore", map[string]string{"value": blob}).Code, "deleted, not purged")
	require.Equal(t, http.StatusNoContent, e.call(http.MethodDelete, "/deletedkeys/k", nil).Code)

	tampered := []byte(blob)
	tampered[len(tampered)/2] ^= 1
	if tampered[len(tampered)/2] == '-' || tampered[len(tampered)/2] == '_' {
		tampered[len(tampered)/2] = 'A'
	}
	w = e.call(http.MethodPost, "/keys/restore", map[string]string{"value": string(tampered)})
	require.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, "BadParameter", kvError(t, w).Code)
	other := newEnv(t, Config{})
	w = other.call(http.MethodPost, "/keys/restore", map[string]string{"value": blob})
	require.Equal(t, http.StatusBadRequest, w.Code, "a blob of another emulator does not open")

	// Any vault of the emulator restores it.
	w = e.call(http.MethodPost, "/vaults/b/keys/restore", map[string]string{"value": blob})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	r := decode[kb](t, w)
	assert.Equal(t, version(k.Key.Kid), version(r.Key.Kid), "the same version comes back")
	assert.Equal(t, k.Key.X, r.Key.X, "with its material")
	assert.Equal(t, k.Attributes["created"], r.Attributes["created"])
	assert.Equal(t, map[string]string{"a": "b"}, r.Tags)
}

func TestRotationPolicyRotatesOnTheClock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	first := keyOK(t, e, http.MethodPost, "/keys/k/create", map[string]any{"kty": "RSA"})
	w := e.call(http.MethodGet, "/keys/k/rotationpolicy", nil)
	require.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, `{"id":"`+base+`/keys/k/rotationpolicy","lifetimeActions":[{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],"attributes":{}}`, w.Body.String())

	policy := map[string]any{"lifetimeActions": []any{map[string]any{"trigger": map[string]any{"timeAfterCreate": "P30D"}, "action": map[string]any{"type": "rotate"}}},
		"attributes": map[string]any{"expiryTime": "P90D"}}
	w = e.call(http.MethodPut, "/keys/k/rotationpolicy", policy)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[rotationPolicyJSON](t, w)
	assert.Equal(t, "Rotate", got.LifetimeActions[0].Action.Type)
	assert.Equal(t, "P90D", got.Attributes.ExpiryTime)
	assert.Equal(t, t0.Unix(), got.Attributes.Created)

	rotated := keyOK(t, e, http.MethodPost, "/keys/k/rotate", nil)
	assert.NotEqual(t, version(first.Key.Kid), version(rotated.Key.Kid))
	assert.NotEqual(t, first.Key.N, rotated.Key.N, "new material")
	assert.EqualValues(t, t0.AddDate(0, 0, 90).Unix(), rotated.Attributes["exp"], "the policy's expiryTime")

	e.advance(29 * 24 * time.Hour)
	assert.Equal(t, version(rotated.Key.Kid), version(keyOK(t, e, http.MethodGet, "/keys/k", nil).Key.Kid))
	e.advance(24*time.Hour + time.Second)
	auto := keyOK(t, e, http.MethodGet, "/keys/k", nil)
	assert.NotEqual(t, version(rotated.Key.Kid), version(auto.Key.Kid), "30 days after the latest version was made, Rotate happened")
	assert.EqualValues(t, rotated.Attributes["created"].(float64)+30*24*3600, auto.Attributes["created"])

	for _, bad := range []map[string]any{
		{"lifetimeActions": []any{map[string]any{"trigger": map[string]any{"timeAfterCreate": "30 days"}, "action": map[string]any{"type": "Rotate"}}}},
		{"lifetimeActions": []any{map[string]any{"trigger": map[string]any{}, "action": map[string]any{"type": "Rotate"}}}},
		{"lifetimeActions": []any{map[string]any{"trigger": map[string]any{"timeAfterCreate": "P1D"}, "action": map[string]any{"type": "Explode"}}}},
		{"attributes": map[string]any{"expiryTime": "P"}},
		{"attributes": map[string]any{"expiryTime": "P27D"}},
		{"lifetimeActions": []any{map[string]any{"trigger": map[string]any{"timeAfterCreate": "PT1S"}, "action": map[string]any{"type": "Rotate"}}}},
	} {
		w := e.call(http.MethodPut, "/keys/k/rotationpolicy", bad)
		assert.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
	}
	assert.Equal(t, http.StatusNotFound, e.call(http.MethodPost, "/keys/nope/rotate", nil).Code)
}

func TestRandomBytes(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.call(http.MethodPost, "/rng", map[string]int{"count": 100})
	require.Equal(t, http.StatusOK, w.Code)
	b, err := base64.RawURLEncoding.DecodeString(decode[map[string]string](t, w)["value"])
	require.NoError(t, err)
	assert.Len(t, b, 100)
	for _, n := range []int{0, 129} {
		assert.Equal(t, http.StatusBadRequest, e.call(http.MethodPost, "/rng", map[string]int{"count": n}).Code)
	}
}

// advance moves the fake clock and signs in again (tokens expire).
func (e *env) advance(d time.Duration) {
	e.t.Helper()
	e.clk.Advance(d)
	tok, err := e.v.Issuer().Issue(e.v.Config().Identities[0].ClientID)
	require.NoError(e.t, err)
	e.token = tok.AccessToken
}
