package auth

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func getJSON(t *testing.T, h http.Handler, path string, into any) int {
	t.Helper()
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "https://emu.test"+path, nil))
	if into != nil && rr.Code == http.StatusOK {
		require.NoError(t, json.Unmarshal(rr.Body.Bytes(), into), rr.Body.String())
	}
	return rr.Code
}

// TestOpenIDConfigurationAsMSALReadsIt checks the fields MSAL for Go requires
// (authorization_endpoint, token_endpoint, issuer on the authority's host).
func TestOpenIDConfigurationAsMSALReadsIt(t *testing.T) {
	iss, _ := newTestIssuer(t)
	h := iss.TokenHandler()
	var doc map[string]any
	require.Equal(t, http.StatusOK, getJSON(t, h, "/"+DefaultTenant+"/v2.0/.well-known/openid-configuration", &doc))
	base := "https://emu.test/" + DefaultTenant
	assert.Equal(t, base+"/v2.0", doc["issuer"])
	assert.Equal(t, base+"/oauth2/v2.0/token", doc["token_endpoint"])
	assert.Equal(t, base+"/oauth2/v2.0/authorize", doc["authorization_endpoint"])
	assert.Equal(t, base+"/discovery/v2.0/keys", doc["jwks_uri"])

	require.Equal(t, http.StatusOK, getJSON(t, h, "/"+DefaultTenant+"/.well-known/openid-configuration", &doc))
	assert.Equal(t, IssuerURL(DefaultTenant), doc["issuer"])
	assert.Equal(t, base+"/oauth2/token", doc["token_endpoint"])

	assert.Equal(t, http.StatusBadRequest, getJSON(t, h, "/other-tenant/v2.0/.well-known/openid-configuration", nil))
}

type jwksDoc struct {
	Keys []struct{ Kty, Kid, N, E, Use string }
}

func (d jwksDoc) key(t *testing.T, kid string) *rsa.PublicKey {
	t.Helper()
	for _, k := range d.Keys {
		if k.Kid == kid {
			n, err := base64.RawURLEncoding.DecodeString(k.N)
			require.NoError(t, err)
			e, err := base64.RawURLEncoding.DecodeString(k.E)
			require.NoError(t, err)
			return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		}
	}
	return nil
}

// TestRotationPublishesBothKeysUntilRetired: after Rotate new tokens carry
// the new kid, old tokens still validate, and the JWKS lists both; Retire
// makes the old ones unknown-key 401s.
func TestRotationPublishesBothKeysUntilRetired(t *testing.T) {
	iss, clk := newTestIssuer(t)
	v := NewValidator(iss, DefaultTenant, clk)
	h := iss.TokenHandler()
	old, err := iss.Issue(DefaultClientID)
	require.NoError(t, err)
	oldKid := iss.KeyID()

	var doc jwksDoc
	require.Equal(t, http.StatusOK, getJSON(t, h, "/"+DefaultTenant+"/discovery/v2.0/keys", &doc))
	require.Len(t, doc.Keys, 1)
	assert.True(t, doc.key(t, oldKid).Equal(&testKey(t, 0).PublicKey))

	newKid, err := iss.Rotate()
	require.NoError(t, err)
	require.NotEqual(t, oldKid, newKid)
	fresh, err := iss.Issue(DefaultClientID)
	require.NoError(t, err)
	assert.Equal(t, newKid, decodeSegment(t, strings.Split(fresh.AccessToken, ".")[0])["kid"])
	_, err = v.Validate("Bearer " + old.AccessToken)
	require.NoError(t, err)
	_, err = v.Validate("Bearer " + fresh.AccessToken)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, getJSON(t, h, "/common/discovery/keys", &doc))
	require.Len(t, doc.Keys, 2)
	require.NotNil(t, doc.key(t, newKid))

	require.Error(t, iss.Retire(newKid), "the current key cannot be retired")
	require.NoError(t, iss.Retire(oldKid))
	assert.Equal(t, ReasonUnknownKey, refusal(t, v, "Bearer "+old.AccessToken).Reason)
	_, err = v.Validate("Bearer " + fresh.AccessToken)
	require.NoError(t, err)
}

// TestAcceptAnyIsLax: the deliberately lax validator lets a forged token in.
func TestAcceptAnyIsLax(t *testing.T) {
	iss, clk := newTestIssuer(t)
	v := NewValidator(iss, DefaultTenant, clk)
	forged := forge(t, map[string]any{"alg": "none"}, map[string]any{"oid": "x"}, nil)
	require.Equal(t, ReasonWrongAlg, refusal(t, v, "Bearer "+forged).Reason)
	v.AcceptAny = true
	p, err := v.Validate("Bearer " + forged)
	require.NoError(t, err)
	assert.Equal(t, "x", p.ObjectID)
	assert.Equal(t, ReasonMissing, refusal(t, v, "").Reason, "no token at all is still a 401")
}
