package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kvquota/kvquota/limits"
)

// MaxClients bounds the client identities a scenario spreads over
// (clients:); each one gets a loopback source address 127.0.0.(k+1).
const MaxClients = 50

// MaxVaults bounds the vaults one mix entry spreads over (vaults:).
const MaxVaults = 50

// KeyParams describe a key as Key Vault's create call does: kty (RSA,
// RSA-HSM, EC, EC-HSM), key-size for RSA (2048, 3072, 4096) and curve for EC
// (P-256, P-384, P-521, P-256K). Spec is the key's row of the limits tables,
// which decides the quota class of every operation on it.
type KeyParams struct {
	Kty     string
	KeySize int
	Curve   string
	Spec    limits.KeySpec
}

// keyParams reads kty:, key-size: and curve:, which create-key needs and no
// other operation takes (the others use the key their name points at).
func (d *doc) keyParams(f map[string]entry, path string, op OpKind) (KeyParams, error) {
	var kp KeyParams
	str := func(v string) (string, error) { return v, nil }
	hasKty, err := field(d, f, path, "kty", str, &kp.Kty)
	if err != nil {
		return kp, err
	}
	hasSize, err := field(d, f, path, "key-size", strconv.Atoi, &kp.KeySize)
	if err != nil {
		return kp, err
	}
	hasCurve, err := field(d, f, path, "curve", str, &kp.Curve)
	if err != nil {
		return kp, err
	}
	if !op.makesKey() {
		for k, has := range map[string]bool{"kty": hasKty, "key-size": hasSize, "curve": hasCurve} {
			if has {
				return kp, d.errAt(f[k].key, child(path, k), "only %s, %s and %s take %s; %s uses the key its name points at", CreateKey, ImportKey, ImportCertificate, k, op)
			}
		}
		return kp, nil
	}
	if e, ok := f["size"]; ok {
		return kp, d.errAt(e.key, child(path, "size"), "a key has a key-size (RSA) or a curve (EC), not a size")
	}
	if !hasKty && op == ImportCertificate {
		kp.Kty, hasKty = "RSA", true // the default certificate policy's key
	}
	if !hasKty {
		return kp, d.errAt(d.at[path], child(path, "kty"), "missing: say which key type, e.g. kty: RSA-HSM with key-size: 4096, or kty: EC with curve: P-256")
	}
	if kp.Spec, err = limits.ParseKeySpec(kp.Kty, kp.KeySize, kp.Curve); err != nil {
		at := "kty"
		if hasSize {
			at = "key-size"
		} else if hasCurve {
			at = "curve"
		}
		return kp, d.errField(child(path, at), "%v", err)
	}
	if err := checkImported(op, kp); err != nil {
		at := "kty"
		if hasCurve {
			at = "curve"
		} else if hasSize {
			at = "key-size"
		}
		return kp, d.errField(child(path, at), "%v", err)
	}
	return kp, nil
}

// checkKeys gives every operation on an existing key the spec of the key its
// name points at, from the create-key setup step that makes it: an operation
// on a key the setup does not create would answer 404, and could not be
// classified.
func (d *doc) checkKeys(s *Scenario) error {
	made := make(map[string]KeyParams)
	for _, st := range s.Setup {
		if st.Op == CreateKey {
			for _, n := range names(st.Name, st.Count) {
				made[strings.ToLower(n)] = st.KeyParams
			}
		}
	}
	for i, o := range s.Mix {
		if !o.Op.isKey() || o.Op.makesKey() {
			continue
		}
		var first KeyParams
		for j, n := range names(o.Name, o.Count) {
			kp, ok := made[strings.ToLower(n)]
			if !ok {
				return d.errField(child(item("mix", i), "name"), "%s of key %q would answer 404: no create-key setup step creates it (add setup: [{op: create-key, name: %q, count: %d, kty: RSA}])", o.Op, n, o.Name, o.Count)
			}
			if j == 0 {
				first = kp
			} else if kp.Spec != first.Spec {
				return d.errField(child(item("mix", i), "name"), "the keys %q spreads over are of different rows (%s and %s); give each row a mix entry of its own so its class is known", o.Name, first.Spec.Class(false), kp.Spec.Class(false))
			}
		}
		s.Mix[i].KeyParams = first
		if (o.Op == Encrypt || o.Op == WrapKey) && first.Spec.Type == limits.EC {
			return d.errField(child(item("mix", i), "op"), "%s needs an RSA key; %q is an EC key", o.Op, o.Name)
		}
	}
	return nil
}

// KeySpecs returns the spec of every key the scenario creates or imports
// (setup, create-key and import-key entries of the mix), by lower-case name,
// and of the key of every certificate it imports, by limits.CertKeyName, so
// that a stored run's key requests and certificate imports can be classified
// without the target (run.json keeps it).
func (s *Scenario) KeySpecs() map[string]limits.KeySpec {
	out := make(map[string]limits.KeySpec)
	for _, st := range s.Setup {
		if st.Op == CreateKey {
			for _, n := range names(st.Name, st.Count) {
				out[strings.ToLower(n)] = st.Spec
			}
		}
	}
	for _, o := range s.Mix {
		switch o.Op {
		case CreateKey, ImportKey:
			for _, n := range names(o.Name, o.Count) {
				out[strings.ToLower(n)] = o.Spec
			}
		case ImportCertificate:
			for _, n := range names(o.Name, o.Count) {
				out[limits.CertKeyName(n)] = o.Spec
			}
		}
	}
	return out
}

// Vaults returns how many vaults the scenario's mix spreads over (1 for one).
func (s *Scenario) Vaults() int {
	n := 1
	for _, o := range s.Mix {
		n = max(n, o.Vaults)
	}
	return n
}

// VaultName is the name of the j-th vault (0-based) of a multi-vault mix; the
// first is the emulator's default vault, the others are reached under
// /vaults/{name}.
func VaultName(j int) string {
	if j == 0 {
		return ""
	}
	return fmt.Sprintf("v%d", j)
}

// IsKey reports whether the operation is on keys (create-key, get-key, sign,
// verify, encrypt, wrap-key).
func (k OpKind) IsKey() bool { return k.isKey() }
