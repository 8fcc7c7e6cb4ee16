package auth

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
)

// KeySet resolves a token's kid to the public key that verifies it. The issuer
// is one; a JWKS document fetched from elsewhere could be another.
type KeySet interface {
	PublicKey(kid string) (*rsa.PublicKey, bool)
}

// SigningKey is a published verification key, what a JWKS endpoint lists.
type SigningKey struct {
	KeyID  string
	Public *rsa.PublicKey
}

// Thumbprint is the RFC 7638 JWK thumbprint of an RSA public key: SHA-256 over
// {"e":...,"kty":"RSA","n":...}, base64url without padding. It names the key
// in the kid (and x5t) header of every token.
func Thumbprint(pub *rsa.PublicKey) string {
	b64 := base64.RawURLEncoding
	e := b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes())
	n := b64.EncodeToString(pub.N.Bytes())
	sum := sha256.Sum256([]byte(`{"e":"` + e + `","kty":"RSA","n":"` + n + `"}`))
	return b64.EncodeToString(sum[:])
}
