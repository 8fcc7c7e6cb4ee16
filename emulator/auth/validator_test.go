package auth

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func refusal(t *testing.T, v *Validator, header string) *Failure {
	t.Helper()
	p, err := v.Validate(header)
	require.Error(t, err, header)
	assert.Nil(t, p)
	var f *Failure
	require.True(t, errors.As(err, &f), "want a *Failure, got %T", err)
	return f
}

func sign(t *testing.T, iss *Issuer, mutate func(jwt.MapClaims)) string {
	t.Helper()
	c := iss.Claims(DefaultIdentity(), start)
	if mutate != nil {
		mutate(c)
	}
	s, err := iss.Sign(c)
	require.NoError(t, err)
	return s
}

// forge builds a token with any header and claims, signed with sig (raw bytes
// of the third segment).
func forge(t *testing.T, header, claims map[string]any, sig []byte) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(header) + "." + enc(claims) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestValidatorRefusesEachWayATokenCanBeWrong(t *testing.T) {
	iss, clk := newTestIssuer(t)
	v := NewValidator(iss, DefaultTenant, clk)
	good := sign(t, iss, nil)
	_, err := v.Validate("Bearer " + good)
	require.NoError(t, err)
	_, err = v.Validate("bearer  " + good)
	require.NoError(t, err, "the scheme is case-insensitive")

	other, err := NewIssuer(DefaultTenant, []Identity{DefaultIdentity()}, clk, WithKey(testKey(t, 1)))
	require.NoError(t, err)

	// RS256 signed by another key but claiming the vault's kid.
	stolenKid := jwt.NewWithClaims(jwt.SigningMethodRS256, iss.Claims(DefaultIdentity(), start))
	stolenKid.Header["kid"] = iss.KeyID()
	badSig, err := stolenKid.SignedString(testKey(t, 1))
	require.NoError(t, err)

	// alg none, built as an attacker would.
	claims := map[string]any(iss.Claims(DefaultIdentity(), start))
	none := forge(t, map[string]any{"alg": "none", "typ": "JWT", "kid": iss.KeyID()}, claims, nil)

	// HS256 keyed with the vault's public key: the classic algorithm confusion.
	pubDER, err := x509.MarshalPKIXPublicKey(&testKey(t, 0).PublicKey)
	require.NoError(t, err)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, iss.Claims(DefaultIdentity(), start))
	hs.Header["kid"] = iss.KeyID()
	hs256, err := hs.SignedString(pubPEM)
	require.NoError(t, err)

	unknownAlg := forge(t, map[string]any{"alg": "XX512", "kid": iss.KeyID()}, claims, []byte("sig"))

	for _, tc := range []struct {
		name, header string
		reason       Reason
		message      string
	}{
		{"no header", "", ReasonMissing, "AKV10000: Request is missing a Bearer or PoP token."},
		{"blank header", "   ", ReasonMissing, "AKV10000: Request is missing a Bearer or PoP token."},
		{"bearer without token", "Bearer ", ReasonMissing, "AKV10000"},
		{"basic auth", "Basic dXNlcjpwYXNz", ReasonNotBearer, "AKV10000"},
		{"pop scheme", "PoP " + good, ReasonNotBearer, "AKV10000"},
		{"not a jwt", "Bearer not-a-token", ReasonMalformed, "AKV10021"},
		{"bad base64", "Bearer a!.b!.c!", ReasonMalformed, "not a well-formed JWT"},
		{"alg none", "Bearer " + none, ReasonWrongAlg, "found: none"},
		{"HS256 with the public key", "Bearer " + hs256, ReasonWrongAlg, "found: HS256"},
		{"unknown alg", "Bearer " + unknownAlg, ReasonWrongAlg, "found: XX512"},
		{"another issuer's key", "Bearer " + sign(t, other, nil), ReasonUnknownKey, "AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '"},
		{"forged signature", "Bearer " + badSig, ReasonBadSignature, "AKV10023: Invalid token signature."},
		{"tampered claims", "Bearer " + tamper(t, good), ReasonBadSignature, "AKV10023"},
		{"management audience", "Bearer " + sign(t, iss, func(c jwt.MapClaims) { c["aud"] = "https://management.azure.com/" }), ReasonAudience,
			"AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/."},
		{"trailing slash audience", "Bearer " + sign(t, iss, func(c jwt.MapClaims) { c["aud"] = "https://vault.azure.net/" }), ReasonAudience,
			"found: https://vault.azure.net/."},
		{"other tenant's issuer", "Bearer " + sign(t, iss, func(c jwt.MapClaims) { c["iss"] = "https://sts.windows.net/other/" }), ReasonIssuer,
			"AKV10032: Invalid issuer. Expected one of https://sts.windows.net/" + DefaultTenant + "/, found https://sts.windows.net/other/."},
		{"other tenant's tid", "Bearer " + sign(t, iss, func(c jwt.MapClaims) { c["tid"] = "other" }), ReasonIssuer, "found https://sts.windows.net/other/."},
		{"no exp", "Bearer " + sign(t, iss, func(c jwt.MapClaims) { delete(c, "exp") }), ReasonMalformed, "no exp claim"},
		{"string exp", "Bearer " + sign(t, iss, func(c jwt.MapClaims) { c["exp"] = "soon" }), ReasonMalformed, "AKV10021"},
		{"expired", "Bearer " + sign(t, iss, func(c jwt.MapClaims) { c["exp"] = start.Add(-6 * time.Minute).Unix() }), ReasonExpired,
			"[TokenExpired] Error validating token: 'S2S12086'."},
		{"not yet valid", "Bearer " + sign(t, iss, func(c jwt.MapClaims) { c["nbf"] = start.Add(6 * time.Minute).Unix() }), ReasonNotYetValid,
			"Token not yet valid."},
	} {
		f := refusal(t, v, tc.header)
		assert.Equal(t, tc.reason, f.Reason, tc.name)
		assert.Contains(t, f.Message, tc.message, tc.name)
		assert.NotContains(t, f.Message, DefaultClientSecret, tc.name)
	}
}

// tamper changes the token's claims without re-signing.
func tamper(t *testing.T, tok string) string {
	parts := strings.Split(tok, ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var c map[string]any
	require.NoError(t, json.Unmarshal(b, &c))
	c["oid"] = "someone-else"
	b, err = json.Marshal(c)
	require.NoError(t, err)
	parts[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

func TestSkewIsAllowedOnBothSidesAndIsAField(t *testing.T) {
	iss, clk := newTestIssuer(t)
	v := NewValidator(iss, DefaultTenant, clk)
	assert.Equal(t, 5*time.Minute, v.Skew)
	tok := sign(t, iss, nil) // valid from start to start+1h

	clk.Set(start.Add(time.Hour + 4*time.Minute))
	_, err := v.Validate("Bearer " + tok)
	assert.NoError(t, err, "4 minutes past exp is within the skew")
	clk.Set(start.Add(time.Hour + 6*time.Minute))
	assert.Equal(t, ReasonExpired, refusal(t, v, "Bearer "+tok).Reason)

	clk.Set(start.Add(-4 * time.Minute))
	_, err = v.Validate("Bearer " + tok)
	assert.NoError(t, err, "4 minutes before nbf is within the skew")
	clk.Set(start.Add(-6 * time.Minute))
	assert.Equal(t, ReasonNotYetValid, refusal(t, v, "Bearer "+tok).Reason)

	v.Skew = 0
	clk.Set(start.Add(time.Hour + time.Second))
	assert.Equal(t, ReasonExpired, refusal(t, v, "Bearer "+tok).Reason)
}
