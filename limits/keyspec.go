package limits

import (
	"fmt"
	"strings"
)

// KeySpec is what the quota needs to know of a key: the row of the keys table
// (its type and size or curve) and whether it is HSM-protected. Key requests
// carry neither in their URL, so whoever classifies them (the emulator from
// its store, the assert package from run.json) looks the key up by name.
type KeySpec struct {
	Type KeyType `json:"type"`
	HSM  bool    `json:"hsm"`
}

// Class returns the class of a CREATE (create true) or of any other operation
// on the key.
func (k KeySpec) Class(create bool) Class { return KeyClass(k.Type, k.HSM, create) }

// Curves lists the EC curves Key Vault creates; they share one row.
var Curves = []string{"P-256", "P-384", "P-521", "P-256K"}

// RSASizes lists the RSA key sizes of the keys table.
var RSASizes = []int{2048, 3072, 4096}

// ParseKeySpec classifies a key as Key Vault's create call describes it: kty
// (RSA, RSA-HSM, EC, EC-HSM), key_size for RSA (2048 when 0) and crv for EC
// (P-256 when empty).
func ParseKeySpec(kty string, size int, curve string) (KeySpec, error) {
	switch kty {
	case "RSA", "RSA-HSM":
		hsm := kty == "RSA-HSM"
		switch size {
		case 0, 2048:
			return KeySpec{RSA2048, hsm}, nil
		case 3072:
			return KeySpec{RSA3072, hsm}, nil
		case 4096:
			return KeySpec{RSA4096, hsm}, nil
		}
		if curve != "" {
			return KeySpec{}, fmt.Errorf("an %s key takes a key size, not a curve (%q)", kty, curve)
		}
		return KeySpec{}, fmt.Errorf("RSA key size %d is not one Key Vault creates (2048, 3072, 4096)", size)
	case "EC", "EC-HSM":
		if size != 0 {
			return KeySpec{}, fmt.Errorf("an %s key takes a curve, not a key size (%d)", kty, size)
		}
		if curve == "" {
			curve = "P-256"
		}
		for _, c := range Curves {
			if c == curve {
				return KeySpec{EC, kty == "EC-HSM"}, nil
			}
		}
		return KeySpec{}, fmt.Errorf("curve %q is not one Key Vault creates (%s)", curve, strings.Join(Curves, ", "))
	}
	return KeySpec{}, fmt.Errorf("key type %q is not one Key Vault creates (RSA, RSA-HSM, EC, EC-HSM)", kty)
}

// ClassifyKeyRequest is ClassifyKeyRequestIn under DefaultProfile.
func ClassifyKeyRequest(method, path string, lookup func(name string) (KeySpec, bool)) (Class, bool) {
	return ClassifyKeyRequestIn(defaultProfile, method, path, lookup)
}

// defaultProfile is read only (ImportClass), never handed out.
var defaultProfile = MustGet(DefaultProfile)

// ClassifyKeyRequestIn returns the class of a key data-plane request (path
// relative to the vault, e.g. /keys/k/create) under profile p:
//   - POST /keys/{name}/create and POST /keys/{name}/rotate (a new version
//     with new material) are the key's CREATE;
//   - PUT /keys/{name} (import) is p.ImportClass of the key;
//   - every other operation on a named key, deleted or not, is its "all
//     other";
//   - requests that name no key (GET /keys, GET /deletedkeys, POST
//     /keys/restore, POST /rng) count as vault transactions (Secrets), as the
//     documentation's "vault transactions" row says: a restore's key is known
//     only from its blob, which a stored run does not keep.
//
// lookup gives the spec of a key by name; a request on a key it does not know
// is not classified (ok false).
func ClassifyKeyRequestIn(p *Profile, method, path string, lookup func(name string) (KeySpec, bool)) (Class, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(segs) == 0:
		return "", false
	case segs[0] == "rng" && len(segs) == 1:
		return Secrets, true
	case segs[0] != "keys" && segs[0] != "deletedkeys":
		return "", false
	case len(segs) == 1:
		return Secrets, true
	case segs[0] == "keys" && len(segs) == 2 && method == "POST" && strings.EqualFold(segs[1], "restore"):
		return Secrets, true
	}
	spec, ok := lookup(strings.ToLower(segs[1]))
	if !ok {
		return "", false
	}
	live := segs[0] == "keys"
	if live && len(segs) == 2 && method == "PUT" {
		return p.ImportClass(spec), true
	}
	create := live && len(segs) == 3 && method == "POST" &&
		(strings.EqualFold(segs[2], "create") || strings.EqualFold(segs[2], "rotate"))
	return spec.Class(create), true
}

// VaultPrefix is the first path segment of a request addressed to one of
// several vaults in one emulator: /vaults/{vault}/secrets/... .
const VaultPrefix = "vaults"

// SplitVault returns the vault a path addresses and the path within it:
// "/vaults/b/secrets/x" is vault "b", "/secrets/x"; a path without the
// prefix is the default vault ("").
func SplitVault(path string) (vault, rest string) {
	p := strings.TrimLeft(path, "/")
	head, tail, ok := strings.Cut(p, "/")
	if !ok || head != VaultPrefix {
		return "", path
	}
	vault, rest, _ = strings.Cut(tail, "/")
	return vault, "/" + rest
}
