package auth

import (
	"crypto/rsa"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// swappableKeys resolves one kid to whatever key it holds now.
type swappableKeys struct {
	kid string
	key *rsa.PublicKey
}

func (s *swappableKeys) PublicKey(kid string) (*rsa.PublicKey, bool) {
	return s.key, kid == s.kid
}

// A token remembered as verified counts only while its kid resolves to the
// key that verified it: the cache saves the RSA operation, never a decision.
func TestVerifiedTokensAreRememberedOnlyForTheKeyThatVerifiedThem(t *testing.T) {
	iss, clk := newTestIssuer(t)
	keys := &swappableKeys{kid: iss.KeyID(), key: &testKey(t, 0).PublicKey}
	signer, ok := iss.PublicKey(iss.KeyID())
	require.True(t, ok)
	keys.key = signer
	v := NewValidator(keys, DefaultTenant, clk)
	tok := sign(t, iss, nil)
	for range 2 {
		_, err := v.Validate("Bearer " + tok)
		require.NoError(t, err)
	}
	require.Len(t, v.verified.m, 1)

	keys.key = &testKey(t, 1).PublicKey // same kid, another key
	assert.Equal(t, ReasonBadSignature, refusal(t, v, "Bearer "+tok).Reason,
		"a remembered token must be verified again once its kid names another key")
}

func TestVerifiedCacheIsBounded(t *testing.T) {
	var c verifiedCache
	key := &testKey(t, 0).PublicKey
	for i := range maxVerified + 10 {
		c.put(fmt.Sprint(i), "kid", key, tokenClaims{})
	}
	assert.LessOrEqual(t, len(c.m), maxVerified)
}
