package attack

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/kvquota/kvquota/scenarios"
)

// contentPEM is the content type of a PEM certificate import
// (CertificatePolicy.secret_props.contentType).
const contentPEM = "application/x-pem-file"

// jsonWebKey is the private JsonWebKey of a key import, with the field names
// of keys.json's JsonWebKey (base64url without padding).
type jsonWebKey struct {
	Kty string `json:"kty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	D   string `json:"d,omitempty"`
	P   string `json:"p,omitempty"`
	Q   string `json:"q,omitempty"`
	DP  string `json:"dp,omitempty"`
	DQ  string `json:"dq,omitempty"`
	QI  string `json:"qi,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// importBodies makes the body of every import entry of ops (nil for the
// others), once per attack: generating a key costs milliseconds to seconds,
// far too much for the hot path, and the quota counts requests, not their
// material. Entries that import the same kind of key share one.
func importBodies(ops []scenarios.Op) ([][]byte, error) {
	out := make([][]byte, len(ops))
	made := make(map[string][]byte)
	for i, o := range ops {
		if o.Op != scenarios.ImportKey && o.Op != scenarios.ImportCertificate {
			continue
		}
		id := fmt.Sprintf("%s/%s/%d/%s", o.Op, o.Kty, o.KeySize, o.Curve)
		if b, ok := made[id]; ok {
			out[i] = b
			continue
		}
		var err error
		if o.Op == scenarios.ImportKey {
			out[i], err = keyImportBody(o.KeyParams)
		} else {
			out[i], err = certImportBody(o.KeyParams)
		}
		if err != nil {
			return nil, fmt.Errorf("mix[%d]: making the %s material: %w", i, o.Op, err)
		}
		made[id] = out[i]
	}
	return out, nil
}

// newKey generates a private key of the type kp describes (RSA of KeySize
// bits, 2048 by default; EC on Curve, P-256 by default).
func newKey(kp scenarios.KeyParams) (crypto.Signer, error) {
	if strings.HasPrefix(kp.Kty, "RSA") {
		bits := kp.KeySize
		if bits == 0 {
			bits = 2048
		}
		return rsa.GenerateKey(rand.Reader, bits)
	}
	var c elliptic.Curve
	switch kp.Curve {
	case "", "P-256":
		c = elliptic.P256()
	case "P-384":
		c = elliptic.P384()
	case "P-521":
		c = elliptic.P521()
	default:
		return nil, fmt.Errorf("curve %q cannot be generated here", kp.Curve)
	}
	return ecdsa.GenerateKey(c, rand.Reader)
}

// keyImportBody is a KeyImportParameters: {"key": JWK, "hsm": ...}; an -HSM
// kty imports into an HSM (hsm true), the JWK's own kty being RSA or EC.
func keyImportBody(kp scenarios.KeyParams) ([]byte, error) {
	k, err := newKey(kp)
	if err != nil {
		return nil, err
	}
	jwk, err := toJWK(k)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"key": jwk, "hsm": strings.HasSuffix(kp.Kty, "-HSM")})
}

// toJWK writes the private key k as a JsonWebKey.
func toJWK(k crypto.Signer) (jsonWebKey, error) {
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	switch k := k.(type) {
	case *rsa.PrivateKey:
		if len(k.Primes) != 2 {
			return jsonWebKey{}, fmt.Errorf("an RSA key of %d primes has no JWK", len(k.Primes))
		}
		return jsonWebKey{Kty: "RSA", N: b64(k.N.Bytes()), E: b64(big.NewInt(int64(k.E)).Bytes()), D: b64(k.D.Bytes()),
			P: b64(k.Primes[0].Bytes()), Q: b64(k.Primes[1].Bytes()),
			DP: b64(k.Precomputed.Dp.Bytes()), DQ: b64(k.Precomputed.Dq.Bytes()), QI: b64(k.Precomputed.Qinv.Bytes())}, nil
	case *ecdsa.PrivateKey:
		d, err := k.Bytes()
		if err != nil {
			return jsonWebKey{}, err
		}
		pub, err := k.PublicKey.Bytes() // 0x04 || X || Y, each the curve's size
		if err != nil {
			return jsonWebKey{}, err
		}
		n := (len(pub) - 1) / 2
		return jsonWebKey{Kty: "EC", Crv: k.Curve.Params().Name, D: b64(d), X: b64(pub[1 : 1+n]), Y: b64(pub[1+n:])}, nil
	}
	return jsonWebKey{}, fmt.Errorf("a %T has no JWK", k)
}

// certImportBody is a CertificateImportParameters of a self-signed
// certificate with its PKCS#8 private key, as PEM: {"value": PEM, "policy":
// {"secret_props": {"contentType": "application/x-pem-file"}}}.
func certImportBody(kp scenarios.KeyParams) ([]byte, error) {
	k, err := newKey(kp)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: "kvquota import"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		return nil, err
	}
	p8, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	value := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})) +
		string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return json.Marshal(map[string]any{
		"value":  value,
		"policy": map[string]any{"secret_props": map[string]string{"contentType": contentPEM}},
	})
}
