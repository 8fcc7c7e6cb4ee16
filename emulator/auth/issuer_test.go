package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decodeSegment(t *testing.T, s string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestIssuedTokenHasAzureADsShape(t *testing.T) {
	iss, clk := newTestIssuer(t)
	tok, err := iss.Issue(DefaultClientID)
	require.NoError(t, err)
	assert.Equal(t, start, tok.IssuedAt)
	assert.Equal(t, start.Add(time.Hour), tok.ExpiresOn)

	parts := strings.Split(tok.AccessToken, ".")
	require.Len(t, parts, 3)
	h := decodeSegment(t, parts[0])
	assert.Equal(t, "RS256", h["alg"])
	assert.Equal(t, "JWT", h["typ"])
	assert.Equal(t, iss.KeyID(), h["kid"])
	assert.Equal(t, iss.KeyID(), h["x5t"])
	assert.Equal(t, Thumbprint(&testKey(t, 0).PublicKey), iss.KeyID())
	assert.Len(t, iss.KeyID(), 43, "base64url of a SHA-256 sum, unpadded")

	c := decodeSegment(t, parts[1])
	assert.Equal(t, "https://vault.azure.net", c["aud"], "a plain string, as in v1 tokens")
	assert.Equal(t, "https://sts.windows.net/"+DefaultTenant+"/", c["iss"])
	assert.EqualValues(t, start.Unix(), c["iat"])
	assert.EqualValues(t, start.Unix(), c["nbf"])
	assert.EqualValues(t, start.Add(time.Hour).Unix(), c["exp"])
	assert.Equal(t, DefaultClientID, c["appid"])
	assert.Equal(t, DefaultObjectID, c["oid"])
	assert.Equal(t, DefaultObjectID, c["sub"])
	assert.Equal(t, DefaultTenant, c["tid"])
	assert.Equal(t, "1.0", c["ver"])
	assert.NotContains(t, tok.AccessToken, DefaultClientSecret)

	p, err := NewValidator(iss, DefaultTenant, clk).Validate("Bearer " + tok.AccessToken)
	require.NoError(t, err)
	assert.Equal(t, Principal{ClientID: DefaultClientID, ObjectID: DefaultObjectID, TenantID: DefaultTenant, Subject: DefaultObjectID}, *p)
}

func TestIssueRefusesUnknownClients(t *testing.T) {
	iss, _ := newTestIssuer(t)
	_, err := iss.Issue("nobody")
	assert.ErrorIs(t, err, ErrUnknownClient)

	_, err = iss.Authenticate(DefaultClientID, "wrong")
	assert.ErrorIs(t, err, ErrBadSecret)
	_, err = iss.Authenticate("nobody", DefaultClientSecret)
	assert.ErrorIs(t, err, ErrUnknownClient)
	id, err := iss.Authenticate(DefaultClientID, DefaultClientSecret)
	require.NoError(t, err)
	assert.Equal(t, DefaultObjectID, id.ObjectID)
}

func TestNewIssuerRefusesBadInput(t *testing.T) {
	ok := DefaultIdentity()
	for name, tc := range map[string]struct {
		tenant string
		ids    []Identity
		opts   []Option
		want   string
	}{
		"empty tenant":     {"", nil, nil, "tenant"},
		"slash in tenant":  {"a/b", nil, nil, "tenant"},
		"no client id":     {DefaultTenant, []Identity{{ClientSecret: "s", ObjectID: "o"}}, nil, "empty client id"},
		"no secret":        {DefaultTenant, []Identity{{ClientID: "c", ObjectID: "o"}}, nil, "empty client secret"},
		"no object id":     {DefaultTenant, []Identity{{ClientID: "c", ClientSecret: "s"}}, nil, "empty object id"},
		"duplicate client": {DefaultTenant, []Identity{ok, ok}, nil, "listed twice"},
		"zero lifetime":    {DefaultTenant, nil, []Option{WithLifetime(0)}, "lifetime"},
	} {
		_, err := NewIssuer(tc.tenant, tc.ids, nil, append(tc.opts, WithKey(testKey(t, 0)))...)
		assert.ErrorContains(t, err, tc.want, name)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	_, err = NewIssuer(DefaultTenant, nil, nil, WithKey(small))
	assert.ErrorContains(t, err, "1024 bits")
}

func TestIdentityNeverPrintsItsSecret(t *testing.T) {
	id := DefaultIdentity()
	for _, s := range []string{fmt.Sprint(id), fmt.Sprintf("%v", id), fmt.Sprintf("%+v", id), fmt.Sprintf("%#v", id)} {
		assert.NotContains(t, s, DefaultClientSecret)
		assert.Contains(t, s, DefaultClientID)
	}
}

func TestChallengeParsesLikeTheAzureSDKForGo(t *testing.T) {
	v := Challenge("https://127.0.0.1:8443/", DefaultTenant)
	assert.Equal(t, `Bearer authorization="https://127.0.0.1:8443/`+DefaultTenant+`", resource="https://vault.azure.net"`, v)

	// keyvault/internal challenge_policy.go: strip "Bearer ", split on spaces
	// and '=', strip quotes and trailing commas, tenant = 4th '/'-part.
	parts := strings.Split(strings.TrimPrefix(v, "Bearer "), " ")
	vals := map[string]string{}
	for _, p := range parts {
		k, val, ok := strings.Cut(p, "=")
		require.True(t, ok, p)
		vals[k] = strings.Trim(strings.TrimSuffix(val, ","), `"`)
	}
	assert.Equal(t, "https://vault.azure.net", vals["resource"])
	assert.Equal(t, DefaultTenant, strings.Split(vals["authorization"], "/")[3])
}
