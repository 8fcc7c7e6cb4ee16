package auth

import (
	"crypto/rsa"
	"sync"
)

// maxVerified bounds the verified-token cache. A load test sends one token
// from each client for an hour, so a handful of entries do all the work; the
// bound only keeps a stream of distinct tokens from growing it without end.
const maxVerified = 4096

// verifiedCache remembers the tokens whose RS256 signature checked out, and
// the claims they carried, so that the same bearer string is not verified
// again on every request. Verifying a signature is most of what a request to
// the emulator costs (an RSA-2048 public-key operation and two JSON decodes,
// against microseconds for the rest); Key Vault itself caches validated
// tokens in the same way.
//
// Only the signature is remembered, never a verdict: every request still
// judges aud, iss, tid, exp and nbf against the clock, and a cached token
// counts only while its kid still resolves to the very key that verified it,
// so Retire takes effect at once.
type verifiedCache struct {
	mu sync.RWMutex
	m  map[string]verifiedToken
}

type verifiedToken struct {
	kid    string
	key    *rsa.PublicKey
	claims tokenClaims
}

func (c *verifiedCache) get(raw string, keys KeySet) (tokenClaims, bool) {
	c.mu.RLock()
	t, ok := c.m[raw]
	c.mu.RUnlock()
	if !ok {
		return tokenClaims{}, false
	}
	if k, trusted := keys.PublicKey(t.kid); !trusted || !k.Equal(t.key) {
		return tokenClaims{}, false
	}
	return t.claims, true
}

func (c *verifiedCache) put(raw, kid string, key *rsa.PublicKey, claims tokenClaims) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxVerified {
		c.m = make(map[string]verifiedToken)
	}
	c.m[raw] = verifiedToken{kid: kid, key: key, claims: claims}
}
