package emulator

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"sync"

	"github.com/kvquota/kvquota/limits"
)

// keyMaker makes the material of new keys. RSA-4096 generation takes 0.3-1 s
// of CPU, more than the 0.5-2 creates per second the documented limits let
// through, so RSA material is made one pair at a time per process and in the
// background: a create takes the newest pair, and if that pair was already
// given to a key, it is shared and a fresh one is started. Creates never wait
// for generation (but the first of a size), generation never uses more than
// one core, and keys get material of their own whenever creates come slower
// than generation. With reuse set (Config.ReuseKeyMaterial, for time-scaled
// runs that create many keys per second) one pair per type serves every key
// of that type. EC material is cheap and always fresh. The quota never looks
// at the material, only at the type.
type keyMaker struct {
	reuse bool
}

// material is the process's shared key material. gen serializes generation.
var material = struct {
	gen   sync.Mutex
	mu    sync.Mutex
	cache map[string]crypto.Signer // reuse mode: one pair per type
	fresh map[string]crypto.Signer // the newest RSA pair per size
	used  map[string]bool          // fresh[id] was given to a key
	busy  map[string]bool          // a fresh[id] is being made
}{cache: map[string]crypto.Signer{}, fresh: map[string]crypto.Signer{}, used: map[string]bool{}, busy: map[string]bool{}}

// rsaFresh returns RSA material without waiting on generation, but for the
// first pair of a size (see keyMaker).
func rsaFresh(bits int) (crypto.Signer, error) {
	id := fmt.Sprintf("rsa%d", bits)
	material.mu.Lock()
	k, ok := material.fresh[id]
	if ok {
		if material.used[id] && !material.busy[id] {
			material.busy[id] = true
			go func() {
				material.gen.Lock()
				nk, err := rsa.GenerateKey(rand.Reader, bits)
				material.gen.Unlock()
				material.mu.Lock()
				defer material.mu.Unlock()
				material.busy[id] = false
				if err == nil {
					material.fresh[id], material.used[id] = nk, false
				}
			}()
		}
		material.used[id] = true
		material.mu.Unlock()
		return k, nil
	}
	material.mu.Unlock()
	material.gen.Lock()
	nk, err := rsa.GenerateKey(rand.Reader, bits)
	material.gen.Unlock()
	if err != nil {
		return nil, err
	}
	material.mu.Lock()
	defer material.mu.Unlock()
	if _, ok := material.fresh[id]; !ok { // unless another first create made one meanwhile
		material.fresh[id], material.used[id] = nk, true
	}
	return nk, nil
}

// PrepareKeyMaterial makes the shared material of reuse mode
// (Config.ReuseKeyMaterial) for a key type ahead of time, so that a
// time-scaled create-onset run does not stall its first creates for a second
// of RSA generation. kty, size and curve are as in a create call.
func PrepareKeyMaterial(kty string, size int, curve string) error {
	spec, err := limits.ParseKeySpec(kty, size, curve)
	if err != nil {
		return err
	}
	if spec.Type == limits.EC {
		if curve == "" {
			curve = "P-256"
		}
		size = 0
	} else if size == 0 {
		size = 2048
	}
	_, err = (&keyMaker{reuse: true}).make(size, curve)
	return err
}

// curves maps Key Vault's curve names to Go's. P-256K (secp256k1) is not in
// the standard library; secp256k1.go makes those keys.
var curves = map[string]elliptic.Curve{
	"P-256": elliptic.P256(),
	"P-384": elliptic.P384(),
	"P-521": elliptic.P521(),
}

// makeFresh is make, but RSA material is always a new pair (unless reuse
// is set): a rotation must change the material, and rotations are rare (the
// CREATE rows of the limits), so waiting for generation is affordable.
func (m *keyMaker) makeFresh(rsaBits int, curve string) (crypto.Signer, error) {
	if curve != "" || m.reuse {
		return m.make(rsaBits, curve)
	}
	material.gen.Lock()
	defer material.gen.Unlock()
	return rsa.GenerateKey(rand.Reader, rsaBits)
}

func (m *keyMaker) make(rsaBits int, curve string) (crypto.Signer, error) {
	id := fmt.Sprintf("rsa%d", rsaBits)
	if curve != "" {
		id = "ec" + curve
	}
	cached := func() (crypto.Signer, bool) {
		material.mu.Lock()
		defer material.mu.Unlock()
		k, ok := material.cache[id]
		return k, ok
	}
	if m.reuse {
		if k, ok := cached(); ok {
			return k, nil
		}
	} else if curve == "" {
		return rsaFresh(rsaBits)
	}
	material.gen.Lock()
	defer material.gen.Unlock()
	if m.reuse { // another create may have made it while we waited
		if k, ok := cached(); ok {
			return k, nil
		}
	}
	var k crypto.Signer
	var err error
	if curve != "" {
		if c, ok := curves[curve]; ok {
			k, err = ecdsa.GenerateKey(c, rand.Reader)
		} else {
			k, err = newK1Key(rand.Reader)
		}
	} else {
		k, err = rsa.GenerateKey(rand.Reader, rsaBits)
	}
	if err != nil {
		return nil, err
	}
	if m.reuse {
		material.mu.Lock()
		material.cache[id] = k
		material.mu.Unlock()
	}
	return k, nil
}
