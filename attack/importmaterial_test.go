package attack

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

const importOps = `
stages: [{duration: 10s, rate: 10}]
mix:
  - {op: import-key, name: "rk-{i}", count: 3, kty: RSA-HSM, key-size: 2048}
  - {op: import-key, name: "ek", kty: EC, curve: P-384}
  - {op: import-certificate, name: "rc", kty: RSA}
  - {op: import-certificate, name: "ec-{i}", count: 2, kty: EC, curve: P-256}
`

// jwkField decodes one base64url field of a JWK, which must be there.
func jwkField(t *testing.T, jwk map[string]any, name string) []byte {
	t.Helper()
	s, ok := jwk[name].(string)
	require.True(t, ok, "the JWK has %q: %v", name, jwk)
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err, name)
	return b
}

// rsaFromJWK rebuilds the private key a JWK holds, as Key Vault would.
func rsaFromJWK(t *testing.T, jwk map[string]any) *rsa.PrivateKey {
	t.Helper()
	n := func(f string) *big.Int { return new(big.Int).SetBytes(jwkField(t, jwk, f)) }
	k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n("n"), E: int(n("e").Int64())}, D: n("d"), Primes: []*big.Int{n("p"), n("q")}}
	require.NoError(t, k.Validate())
	k.Precompute()
	assert.Equal(t, 0, k.Precomputed.Dp.Cmp(n("dp")))
	assert.Equal(t, 0, k.Precomputed.Dq.Cmp(n("dq")))
	assert.Equal(t, 0, k.Precomputed.Qinv.Cmp(n("qi")))
	return k
}

// ecFromJWK rebuilds an EC private key: the point (x, y) must be d's.
func ecFromJWK(t *testing.T, jwk map[string]any) *ecdsa.PrivateKey {
	t.Helper()
	require.Equal(t, "P-384", jwk["crv"])
	x, y := jwkField(t, jwk, "x"), jwkField(t, jwk, "y")
	require.Len(t, x, 48, "coordinates are the curve's size, zero-padded")
	pub, err := ecdsa.ParseUncompressedPublicKey(ecCurve384(), append(append([]byte{4}, x...), y...))
	require.NoError(t, err)
	k, err := ecdsa.ParseRawPrivateKey(ecCurve384(), jwkField(t, jwk, "d"))
	require.NoError(t, err)
	require.True(t, k.PublicKey.Equal(pub), "d and (x, y) are one key")
	return k
}

func signs(t *testing.T, k crypto.Signer) {
	t.Helper()
	digest := sha256.Sum256([]byte("kvquota"))
	sig, err := k.Sign(rand.Reader, digest[:], crypto.SHA256)
	require.NoError(t, err)
	switch pub := k.Public().(type) {
	case *rsa.PublicKey:
		require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig))
	case *ecdsa.PublicKey:
		require.True(t, ecdsa.VerifyASN1(pub, digest[:], sig))
	}
}

func TestImportTargetsCarryRealKeysAndCertificates(t *testing.T) {
	t.Parallel()
	s := mustParse(t, importOps)
	tr, err := NewTargeter(vault, s, &countingTokens{})
	require.NoError(t, err)
	classify := limits.NewClassifierFor(limits.MustGet("2021"), s.KeySpecs())
	// Every target is checked; the material of a body already checked (the
	// same bytes: each entry's body is made once, as the next test holds)
	// is not parsed and made to sign again, which under -race was most of
	// this test's time.
	checked := map[string]bool{}
	for range 200 {
		tgt := next(t, tr)
		fresh := !checked[string(tgt.Body)]
		checked[string(tgt.Body)] = true
		c, ok := classify(tgt.Method, tgt.URL)
		require.True(t, ok, tgt.URL)
		assert.Equal(t, "application/json", tgt.Header.Get("Content-Type"))
		var body map[string]any
		require.NoError(t, json.Unmarshal(tgt.Body, &body))
		path := strings.TrimSuffix(strings.TrimPrefix(tgt.URL, vault), "?api-version=7.5")
		switch {
		case strings.HasPrefix(path, "/keys/rk-"):
			assert.Equal(t, http.MethodPut, tgt.Method)
			assert.Equal(t, limits.KeyClass(limits.RSA2048, true, true), c)
			assert.Equal(t, true, body["hsm"], "an RSA-HSM import")
			jwk := body["key"].(map[string]any)
			assert.Equal(t, "RSA", jwk["kty"])
			if fresh {
				k := rsaFromJWK(t, jwk)
				assert.Equal(t, 2048, k.N.BitLen())
				signs(t, k)
			}
		case path == "/keys/ek":
			assert.Equal(t, limits.KeyClass(limits.EC, false, true), c)
			assert.Equal(t, false, body["hsm"])
			jwk := body["key"].(map[string]any)
			assert.Equal(t, "EC", jwk["kty"])
			if fresh {
				signs(t, ecFromJWK(t, jwk))
			}
		case strings.HasPrefix(path, "/certificates/"):
			assert.Equal(t, http.MethodPost, tgt.Method)
			assert.True(t, strings.HasSuffix(path, "/import"), path)
			rsaCert := path == "/certificates/rc/import"
			want := limits.KeyClass(limits.EC, false, true)
			if rsaCert {
				want = limits.KeyClass(limits.RSA2048, false, true)
			}
			assert.Equal(t, want, c, "the stored run classes the certificate's own key")
			assert.Equal(t, map[string]any{"secret_props": map[string]any{"contentType": "application/x-pem-file"}}, body["policy"])
			if fresh {
				checkPEMCertificate(t, body["value"].(string), rsaCert)
			}
		default:
			t.Fatalf("unexpected request %s %s", tgt.Method, tgt.URL)
		}
	}
}

// checkPEMCertificate parses a PEM import: a PKCS#8 key and a self-signed
// certificate of that key.
func checkPEMCertificate(t *testing.T, value string, wantRSA bool) {
	t.Helper()
	rest := []byte(value)
	var key crypto.Signer
	var cert *x509.Certificate
	for {
		var blk *pem.Block
		if blk, rest = pem.Decode(rest); blk == nil {
			break
		}
		switch blk.Type {
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
			require.NoError(t, err)
			key = k.(crypto.Signer)
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(blk.Bytes)
			require.NoError(t, err)
			cert = c
		}
	}
	require.NotNil(t, key)
	require.NotNil(t, cert)
	require.NoError(t, cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature), "self-signed")
	assert.True(t, cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(key.Public()), "the certificate is of the key sent")
	if wantRSA {
		require.IsType(t, &rsa.PrivateKey{}, key)
		assert.Equal(t, 2048, key.(*rsa.PrivateKey).N.BitLen())
	} else {
		require.IsType(t, &ecdsa.PrivateKey{}, key)
		assert.Equal(t, "P-256", key.(*ecdsa.PrivateKey).Curve.Params().Name)
	}
	signs(t, key)
}

func TestImportMaterialIsMadeOncePerAttack(t *testing.T) {
	t.Parallel()
	s := mustParse(t, importOps)
	tr, err := NewTargeter(vault, s, nil)
	require.NoError(t, err)
	first := map[string][]byte{}
	for range 100 {
		tgt := next(t, tr)
		u := strings.SplitN(tgt.URL, "?", 2)[0]
		if b, ok := first[u]; ok {
			assert.Same(t, &b[0], &tgt.Body[0], "one body per entry, not one per request")
		} else {
			first[u] = tgt.Body
		}
	}
	assert.Len(t, first, 7, "every name of every entry was drawn: %v", len(first))
}

func ecCurve384() elliptic.Curve { return elliptic.P384() }
