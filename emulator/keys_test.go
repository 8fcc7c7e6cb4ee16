package emulator

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"math/big"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

func unb64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestKeysAreCreatedWithRealMaterialOfEveryType(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{ReuseKeyMaterial: true})
	for _, tc := range []struct {
		body map[string]any
		bits int
		crv  string
	}{
		{map[string]any{"kty": "RSA"}, 2048, ""},
		{map[string]any{"kty": "RSA-HSM", "key_size": 3072}, 3072, ""},
		{map[string]any{"kty": "RSA", "key_size": 4096}, 4096, ""},
		{map[string]any{"kty": "EC"}, 0, "P-256"},
		{map[string]any{"kty": "EC-HSM", "crv": "P-384"}, 0, "P-384"},
		{map[string]any{"kty": "EC", "crv": "P-521"}, 0, "P-521"},
		{map[string]any{"kty": "EC-HSM", "crv": "P-256K"}, 0, "P-256K"},
	} {
		w := e.call(http.MethodPost, "/keys/k1/create", tc.body)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		kb := decode[keyBundle](t, w)
		assert.Equal(t, tc.body["kty"], kb.Key.Kty)
		assert.Regexp(t, `^https://vault\.test/keys/k1/[0-9a-f]{32}$`, kb.Key.Kid)
		assert.True(t, kb.Attributes.Enabled)
		if tc.bits > 0 {
			assert.Equal(t, tc.bits, len(unb64(t, kb.Key.N))*8)
			assert.Equal(t, []byte{1, 0, 1}, unb64(t, kb.Key.E))
			assert.Empty(t, kb.Key.X)
		} else {
			assert.Equal(t, tc.crv, kb.Key.Crv)
			x, y := new(big.Int).SetBytes(unb64(t, kb.Key.X)), new(big.Int).SetBytes(unb64(t, kb.Key.Y))
			if c, ok := curves[tc.crv]; ok {
				point := append(append([]byte{4}, unb64(t, kb.Key.X)...), unb64(t, kb.Key.Y)...)
				_, err := ecdsa.ParseUncompressedPublicKey(c, point)
				assert.NoError(t, err, "the public point is on %s", tc.crv)
			} else {
				assert.True(t, k1OnCurve(x, y), "the public point is on secp256k1")
			}
			assert.Empty(t, kb.Key.N)
		}
	}
	for _, bad := range []map[string]any{{"kty": "oct"}, {"kty": "RSA", "key_size": 1024}, {"kty": "EC", "crv": "P-192"}, {"kty": "EC", "key_size": 2048}} {
		w := e.call(http.MethodPost, "/keys/k2/create", bad)
		require.Equal(t, http.StatusBadRequest, w.Code, "%v", bad)
		assert.Equal(t, "BadParameter", kvError(t, w).Code)
	}
	u := e.v.Usage()
	assert.Equal(t, 7, u.Total(), "the seven creates count; creates refused as bad parameters do not")
	assert.Equal(t, 2, u.Count(limits.KeyClass(limits.EC, false, true)))
	assert.Equal(t, 2, u.Count(limits.KeyClass(limits.EC, true, true)))
}

func TestSignVerifyEncryptDecryptWrapUnwrapAreRealCryptography(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{ReuseKeyMaterial: true})
	rsaKB := decode[keyBundle](t, e.call(http.MethodPost, "/keys/r/create", map[string]any{"kty": "RSA-HSM", "key_size": 2048}))
	ecKB := decode[keyBundle](t, e.call(http.MethodPost, "/keys/c/create", map[string]any{"kty": "EC", "crv": "P-256"}))
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(unb64(t, rsaKB.Key.N)), E: 65537}
	digest := sha256.Sum256([]byte("kvquota"))
	d := base64.RawURLEncoding.EncodeToString(digest[:])

	for _, alg := range []string{"RS256", "PS256"} {
		w := e.call(http.MethodPost, "/keys/r/"+rsaKB.Key.Kid[len(rsaKB.Key.Kid)-32:]+"/sign", map[string]any{"alg": alg, "value": d})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		sig := unb64(t, decode[keyOperationResult](t, w).Value)
		if alg == "RS256" {
			require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig), "verifies outside the emulator")
		} else {
			require.NoError(t, rsa.VerifyPSS(pub, crypto.SHA256, digest[:], sig, nil))
		}
		ok := decode[keyVerifyResult](t, e.call(http.MethodPost, "/keys/r//verify", map[string]any{"alg": alg, "digest": d, "value": base64.RawURLEncoding.EncodeToString(sig)}))
		assert.True(t, ok.Value, alg)
		sig[0] ^= 1
		ok = decode[keyVerifyResult](t, e.call(http.MethodPost, "/keys/r//verify", map[string]any{"alg": alg, "digest": d, "value": base64.RawURLEncoding.EncodeToString(sig)}))
		assert.False(t, ok.Value, "a flipped bit does not verify: %s", alg)
	}

	w := e.call(http.MethodPost, "/keys/c//sign", map[string]any{"alg": "ES256", "value": d})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	sig := unb64(t, decode[keyOperationResult](t, w).Value)
	require.Len(t, sig, 64)
	ecPub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, unb64(t, ecKB.Key.X)...), unb64(t, ecKB.Key.Y)...))
	require.NoError(t, err)
	assert.True(t, ecdsa.Verify(ecPub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])))

	for _, pair := range [][2]string{{"encrypt", "decrypt"}, {"wrapkey", "unwrapkey"}} {
		for _, alg := range []string{"RSA-OAEP", "RSA-OAEP-256", "RSA1_5"} {
			plain := base64.RawURLEncoding.EncodeToString([]byte("a 32-byte content encryption key"))
			w := e.call(http.MethodPost, "/keys/r//"+pair[0], map[string]any{"alg": alg, "value": plain})
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			ct := decode[keyOperationResult](t, w).Value
			assert.Len(t, unb64(t, ct), 256)
			w = e.call(http.MethodPost, "/keys/r//"+pair[1], map[string]any{"alg": alg, "value": ct})
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Equal(t, plain, decode[keyOperationResult](t, w).Value, "%s %s round trip", pair, alg)
		}
	}

	// Errors are Key Vault's, never a 500.
	h := sha512.Sum512([]byte("x"))
	for _, tc := range []struct {
		path string
		body map[string]any
		code int
	}{
		{"/keys/c//encrypt", map[string]any{"alg": "RSA-OAEP", "value": d}, http.StatusBadRequest},
		{"/keys/r//sign", map[string]any{"alg": "ES256", "value": d}, http.StatusBadRequest},
		{"/keys/r//sign", map[string]any{"alg": "RS256", "value": base64.RawURLEncoding.EncodeToString(h[:])}, http.StatusBadRequest},
		{"/keys/r//decrypt", map[string]any{"alg": "RSA-OAEP", "value": d}, http.StatusBadRequest},
		{"/keys/r//sign", map[string]any{"alg": "RS256", "value": "!!"}, http.StatusBadRequest},
		{"/keys/nope//sign", map[string]any{"alg": "RS256", "value": d}, http.StatusNotFound},
	} {
		w := e.call(http.MethodPost, tc.path, tc.body)
		assert.Equal(t, tc.code, w.Code, "%s %v: %s", tc.path, tc.body, w.Body.String())
		kvError(t, w)
	}
}

func TestKeyRequestsAreCountedInTheirKeysRow(t *testing.T) {
	t.Parallel()
	p, err := limits.MustGet("2021").WithOverrides(map[limits.Class]int{
		limits.KeyClass(limits.RSA4096, true, true):  2,
		limits.KeyClass(limits.RSA4096, true, false): 4,
	})
	require.NoError(t, err)
	e := newEnv(t, Config{Profile: p, ReuseKeyMaterial: true})
	create := map[string]any{"kty": "RSA-HSM", "key_size": 4096}
	require.Equal(t, http.StatusOK, e.call(http.MethodPost, "/keys/big/create", create).Code)
	// One CREATE (1/2) leaves room for two "other" (1/4 each).
	for range 2 {
		require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/keys/big", nil).Code)
	}
	w := e.call(http.MethodGet, "/keys/big", nil)
	require.Equal(t, http.StatusTooManyRequests, w.Code)
	assert.Equal(t, "Throttled", kvError(t, w).Code)
	u := e.v.Usage()
	assert.Equal(t, 1, u.Count(limits.KeyClass(limits.RSA4096, true, true)))
	assert.Equal(t, 2, u.Count(limits.KeyClass(limits.RSA4096, true, false)))
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodPost, "/keys/big2/create", create).Code)
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, "/secrets/x", nil).Code, "secrets share the weighted sum")
}

func TestSeveralVaultsShareOneSubscriptionBucket(t *testing.T) {
	e := newEnv(t, Config{Profile: limited(t, 4, 4)}) // vault 4, subscription 20
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/vaults/a/secrets/s", map[string]string{"value": "v"}).Code)
	w := e.call(http.MethodGet, "/vaults/a/secrets/s", nil)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "https://vault.test/vaults/a/secrets/s/", decode[secretBundle](t, w).ID[:len("https://vault.test/vaults/a/secrets/s/")], "ids carry the vault's prefix")
	for range 2 {
		require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/vaults/a/secrets/s", nil).Code)
	}
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, "/vaults/a/secrets/s", nil).Code, "vault a is full")
	for _, v := range []string{"b", "c", "d"} {
		for range 4 {
			require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/vaults/"+v+"/secrets/s", nil).Code, v)
		}
	}
	for range 4 {
		require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets/s", nil).Code, "the default vault")
	}
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, "/vaults/f/secrets/s", nil).Code, "vault f is empty, the subscription full")
	su := e.v.limiter.SubscriptionUsage()
	assert.Equal(t, 20, su.Total())
	w = e.call(http.MethodGet, "/vaults/bad_name/secrets/s", nil)
	assert.Equal(t, http.StatusNotFound, w.Code)
	kvError(t, w)
}

func TestSecp256k1IsTheCurveAndItsSignaturesVerify(t *testing.T) {
	t.Parallel()
	// 2G, a published secp256k1 test vector.
	two := k1Mul(k1G(), big.NewInt(2))
	assert.Equal(t, "c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5", two.x.Text(16))
	assert.Equal(t, "1ae168fea63dc339a3c58419466ceaeef7f632653266d0e1236431a950cfe52a", two.y.Text(16))
	assert.True(t, k1Mul(k1G(), k1.n).inf(), "nG is the point at infinity")
	assert.True(t, k1OnCurve(k1.gx, k1.gy))

	e := newEnv(t, Config{})
	kb := decode[keyBundle](t, e.call(http.MethodPost, "/keys/k1/create", map[string]any{"kty": "EC", "crv": "P-256K"}))
	other := decode[keyBundle](t, e.call(http.MethodPost, "/keys/k2/create", map[string]any{"kty": "EC", "crv": "P-256K"}))
	require.NotEqual(t, kb.Key.X, other.Key.X, "fresh material without reuse")
	digest := sha256.Sum256([]byte("kvquota"))
	d := base64.RawURLEncoding.EncodeToString(digest[:])
	w := e.call(http.MethodPost, "/keys/k1/sign", map[string]any{"alg": "ES256K", "value": d})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	sig := decode[keyOperationResult](t, w).Value
	for _, tc := range []struct {
		key  string
		want bool
	}{{"k1", true}, {"k2", false}} {
		ok := decode[keyVerifyResult](t, e.call(http.MethodPost, "/keys/"+tc.key+"/verify", map[string]any{"alg": "ES256K", "digest": d, "value": sig}))
		assert.Equal(t, tc.want, ok.Value, tc.key)
	}
	assert.Equal(t, http.StatusBadRequest, e.call(http.MethodPost, "/keys/k1/sign", map[string]any{"alg": "ES256", "value": d}).Code, "ES256 is P-256's")
}

func TestRSACreatesNeverWaitForASecondGeneration(t *testing.T) {
	// Fresh mode: the first RSA-3072 create makes a pair; a create right after
	// it shares that pair (a new one is being made in the background) rather
	// than waiting a second for its own.
	e := newEnv(t, Config{})
	a := decode[keyBundle](t, e.call(http.MethodPost, "/keys/a/create", map[string]any{"kty": "RSA", "key_size": 3072}))
	b := decode[keyBundle](t, e.call(http.MethodPost, "/keys/b/create", map[string]any{"kty": "RSA", "key_size": 3072}))
	assert.Equal(t, a.Key.N, b.Key.N, "shared while the next pair is made")
	assert.NotEqual(t, a.Key.Kid, b.Key.Kid)
}
