package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
)

// Rotate replaces the signing key with a fresh RSA-2048 key, as Azure AD rolls
// its keys. The old key stays published in the JWKS and trusted by the vault,
// so tokens already issued keep working until Retire drops it: clients that
// cache keys by kid must cope with both, which is what rotation tests probe.
// It returns the new kid.
func (i *Issuer) Rotate() (string, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", fmt.Errorf("generating the token signing key: %w", err)
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.retired = append(i.retired, SigningKey{KeyID: i.kid, Public: &i.key.PublicKey})
	i.key, i.kid = key, Thumbprint(&key.PublicKey)
	return i.kid, nil
}

// Retire stops publishing and trusting the earlier key kid: tokens it signed
// are then refused as signed by an unknown key (AKV10046). The current key
// cannot be retired; rotate first.
func (i *Issuer) Retire(kid string) error {
	i.mu.Lock()
	defer i.mu.Unlock()
	if kid == i.kid {
		return fmt.Errorf("key %s is the current signing key; rotate before retiring it", kid)
	}
	for n, k := range i.retired {
		if k.KeyID == kid {
			i.retired = append(i.retired[:n], i.retired[n+1:]...)
			return nil
		}
	}
	return fmt.Errorf("key %s is not a retired key of this issuer", kid)
}
