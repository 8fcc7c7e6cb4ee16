package emulator

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"strings"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// importJWK is the JsonWebKey of an import: the private part in the clear
// (base64url fields, keys.json JsonWebKey). A BYOK transfer blob (key_hsm)
// needs a key exchange key the emulator does not offer; symmetric (oct) keys
// are Managed HSM only.
type importJWK struct {
	Kty    string   `json:"kty"`
	KeyOps []string `json:"key_ops"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	D      string   `json:"d"`
	DP     string   `json:"dp"`
	DQ     string   `json:"dq"`
	QI     string   `json:"qi"`
	P      string   `json:"p"`
	Q      string   `json:"q"`
	K      string   `json:"k"`
	T      string   `json:"key_hsm"`
	Crv    string   `json:"crv"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
}

// kty is the key type the import stores: Hsm (or an -HSM kty) makes an HSM
// key.
func (j *importJWK) kty(hsm bool) string {
	t := strings.TrimSuffix(j.Kty, "-HSM")
	if hsm || strings.HasSuffix(j.Kty, "-HSM") {
		return t + "-HSM"
	}
	return t
}

func jwkField(field, s string) ([]byte, *kverror.Error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, kverror.BadParameter("The JSON Web Key field '" + field + "' is not base64url.")
	}
	return b, nil
}

// spec is the limits row of the key, from its type and size or curve.
func (j *importJWK) spec(hsm bool) (limits.KeySpec, error) {
	if strings.HasPrefix(j.Kty, "RSA") {
		n, e := jwkField("n", j.N)
		if e != nil {
			return limits.KeySpec{}, e
		}
		return limits.ParseKeySpec(j.kty(hsm), new(big.Int).SetBytes(n).BitLen(), "")
	}
	return limits.ParseKeySpec(j.kty(hsm), 0, j.Crv)
}

// toKey checks the JWK and returns the key it holds (without properties).
func (j *importJWK) toKey(hsm bool) (store.Key, *kverror.Error) {
	switch {
	case j.T != "":
		return store.Key{}, kverror.BadParameter("Importing a key by a BYOK transfer blob (key_hsm) needs a key exchange key, which the emulator does not offer; import the private key in the clear.")
	case strings.HasPrefix(j.Kty, "oct"):
		return store.Key{}, kverror.BadParameter("Symmetric (oct) keys are supported by Managed HSM only.")
	}
	spec, err := j.spec(hsm)
	if err != nil {
		if ke, ok := err.(*kverror.Error); ok {
			return store.Key{}, ke
		}
		return store.Key{}, kverror.BadParameter("Invalid key parameters: " + err.Error())
	}
	k := store.Key{Kty: j.kty(hsm), Spec: spec, Enabled: true}
	var e *kverror.Error
	if spec.Type == limits.EC {
		k.Curve = j.Crv
		k.Private, e = j.ecKey()
	} else {
		var pk *rsa.PrivateKey
		pk, e = j.rsaKey()
		if e == nil {
			k.Private, k.Size = pk, pk.N.BitLen()
		}
	}
	return k, e
}

// rsaKey builds and validates an RSA private key from n, e, d, p and q.
func (j *importJWK) rsaKey() (*rsa.PrivateKey, *kverror.Error) {
	fields := map[string]string{"n": j.N, "e": j.E, "d": j.D, "p": j.P, "q": j.Q}
	ints := map[string]*big.Int{}
	for _, f := range []string{"n", "e", "d", "p", "q"} {
		if fields[f] == "" {
			return nil, kverror.BadParameter("An RSA key import needs the private key: the JSON Web Key field '" + f + "' is missing.")
		}
		b, e := jwkField(f, fields[f])
		if e != nil {
			return nil, e
		}
		ints[f] = new(big.Int).SetBytes(b)
	}
	if !ints["e"].IsInt64() || ints["e"].Int64() < 3 || ints["e"].Int64() > 1<<31-1 {
		return nil, kverror.BadParameter("The RSA public exponent is not valid.")
	}
	pk := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: ints["n"], E: int(ints["e"].Int64())},
		D: ints["d"], Primes: []*big.Int{ints["p"], ints["q"]}}
	if err := pk.Validate(); err != nil {
		return nil, kverror.BadParameter("The JSON Web Key is not a valid RSA private key: " + err.Error() + ".")
	}
	pk.Precompute()
	return pk, nil
}

// ecKey builds an EC private key from d and checks that x and y are its
// public point.
func (j *importJWK) ecKey() (crypto.Signer, *kverror.Error) {
	if j.D == "" || j.X == "" || j.Y == "" {
		return nil, kverror.BadParameter("An EC key import needs the private key: the JSON Web Key fields 'd', 'x' and 'y'.")
	}
	d, e := jwkField("d", j.D)
	if e != nil {
		return nil, e
	}
	x, e := jwkField("x", j.X)
	if e != nil {
		return nil, e
	}
	y, e := jwkField("y", j.Y)
	if e != nil {
		return nil, e
	}
	bad := kverror.BadParameter("The JSON Web Key is not a valid EC private key of curve " + clip(j.Crv) + ": d does not give the point (x, y).")
	if j.Crv == "P-256K" {
		xi, yi, di := new(big.Int).SetBytes(x), new(big.Int).SetBytes(y), new(big.Int).SetBytes(d)
		if !k1OnCurve(xi, yi) || di.Sign() == 0 || di.Cmp(k1.n) >= 0 {
			return nil, bad
		}
		pub := k1Mul(k1G(), di)
		if pub.x.Cmp(xi) != 0 || pub.y.Cmp(yi) != 0 {
			return nil, bad
		}
		return &k1Key{d: di, pub: pub}, nil
	}
	c := curves[j.Crv]
	size := (c.Params().BitSize + 7) / 8
	if len(d) > size || len(x) > size || len(y) > size {
		return nil, bad
	}
	pk, err := ecdsa.ParseRawPrivateKey(c, leftPad(d, size))
	if err != nil {
		return nil, bad
	}
	pub, err := pk.PublicKey.Bytes()
	want := append(append([]byte{4}, leftPad(x, size)...), leftPad(y, size)...)
	if err != nil || !bytes.Equal(pub, want) {
		return nil, bad
	}
	return pk, nil
}

func leftPad(b []byte, n int) []byte {
	if len(b) >= n {
		return b
	}
	return append(make([]byte, n-len(b)), b...)
}
