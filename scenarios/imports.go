package scenarios

import (
	"fmt"

	"github.com/kvquota/kvquota/limits"
)

// checkImported refuses the keys an import cannot carry. import-key sends a
// JWK the targeter makes with Go's crypto, which has no secp256k1 (P-256K);
// import-certificate sends a self-signed certificate with an RSA 2048 or EC
// P-256 software key, the two a certificate import is judged for (a stored
// run classes an import by the key KeySpecs records for it).
func checkImported(op OpKind, kp KeyParams) error {
	switch op {
	case ImportKey:
		if kp.Curve == "P-256K" {
			return fmt.Errorf("%s cannot import a P-256K key (the targeter makes its keys with Go's crypto, which has no secp256k1); use P-256, P-384 or P-521", op)
		}
	case ImportCertificate:
		ok := kp.Spec == limits.KeySpec{Type: limits.RSA2048} ||
			kp.Spec == limits.KeySpec{Type: limits.EC} && (kp.Curve == "" || kp.Curve == "P-256")
		if !ok {
			return fmt.Errorf("%s imports an RSA 2048 (kty: RSA) or an EC P-256 (kty: EC) self-signed certificate with a software key, not %s", op, describeKey(kp))
		}
	}
	return nil
}

// describeKey names a key as a scenario file gives it.
func describeKey(kp KeyParams) string {
	s := kp.Kty
	if kp.KeySize > 0 {
		s += fmt.Sprintf(" %d", kp.KeySize)
	}
	if kp.Curve != "" {
		s += " " + kp.Curve
	}
	return s
}
