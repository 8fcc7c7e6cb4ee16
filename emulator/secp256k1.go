package emulator

import (
	"crypto"
	"crypto/rand"
	"errors"
	"io"
	"math/big"
)

// secp256k1 (Key Vault's P-256K) is not in Go's standard library, and
// crypto/elliptic's generic code assumes a = -3 where this curve has a = 0.
// This is a small affine implementation over math/big: enough for an
// emulator's P-256K keys to sign and verify with real ECDSA (ES256K). It is
// neither constant-time nor fast (a few milliseconds a signature) and must
// never guard real secrets.
var k1 = struct {
	p, n, b, gx, gy *big.Int
}{
	p:  hexInt("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"),
	n:  hexInt("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
	b:  big.NewInt(7),
	gx: hexInt("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
	gy: hexInt("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"),
}

func hexInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("bad constant " + s)
	}
	return n
}

// k1Point is an affine point; nil x is the point at infinity.
type k1Point struct{ x, y *big.Int }

func (a k1Point) inf() bool { return a.x == nil }

func k1Add(a, b k1Point) k1Point {
	p := k1.p
	switch {
	case a.inf():
		return b
	case b.inf():
		return a
	}
	var lambda *big.Int
	if a.x.Cmp(b.x) == 0 {
		if new(big.Int).Add(a.y, b.y).Mod(new(big.Int).Add(a.y, b.y), p).Sign() == 0 {
			return k1Point{}
		}
		// Doubling: (3x^2) / (2y).
		num := new(big.Int).Mul(a.x, a.x)
		num.Mul(num, big.NewInt(3))
		den := new(big.Int).Lsh(a.y, 1)
		lambda = num.Mul(num, den.ModInverse(den.Mod(den, p), p))
	} else {
		num := new(big.Int).Sub(b.y, a.y)
		den := new(big.Int).Sub(b.x, a.x)
		den.Mod(den, p)
		lambda = num.Mul(num, den.ModInverse(den, p))
	}
	lambda.Mod(lambda, p)
	x := new(big.Int).Mul(lambda, lambda)
	x.Sub(x, a.x).Sub(x, b.x).Mod(x, p)
	y := new(big.Int).Sub(a.x, x)
	y.Mul(y, lambda).Sub(y, a.y).Mod(y, p)
	return k1Point{x, y}
}

func k1Mul(pt k1Point, k *big.Int) k1Point {
	var r k1Point
	for i := k.BitLen() - 1; i >= 0; i-- {
		r = k1Add(r, r)
		if k.Bit(i) == 1 {
			r = k1Add(r, pt)
		}
	}
	return r
}

func k1G() k1Point { return k1Point{k1.gx, k1.gy} }

// k1OnCurve reports whether y^2 = x^3 + 7 (mod p).
func k1OnCurve(x, y *big.Int) bool {
	l := new(big.Int).Mul(y, y)
	l.Mod(l, k1.p)
	r := new(big.Int).Exp(x, big.NewInt(3), k1.p)
	r.Add(r, k1.b).Mod(r, k1.p)
	return l.Cmp(r) == 0
}

// k1Key is a P-256K private key.
type k1Key struct {
	d   *big.Int
	pub k1Point
}

func newK1Key(rnd io.Reader) (*k1Key, error) {
	d, err := rand.Int(rnd, new(big.Int).Sub(k1.n, big.NewInt(1)))
	if err != nil {
		return nil, err
	}
	d.Add(d, big.NewInt(1))
	return &k1Key{d: d, pub: k1Mul(k1G(), d)}, nil
}

// Public implements crypto.Signer; the emulator reads pub directly.
func (k *k1Key) Public() crypto.PublicKey { return k.pub }

// Sign returns r||s, 32 bytes each, of ECDSA over the digest.
func (k *k1Key) Sign(rnd io.Reader, digest []byte, _ crypto.SignerOpts) ([]byte, error) {
	z := k1Hash(digest)
	for range 64 {
		kk, err := rand.Int(rnd, new(big.Int).Sub(k1.n, big.NewInt(1)))
		if err != nil {
			return nil, err
		}
		kk.Add(kk, big.NewInt(1))
		r := new(big.Int).Mod(k1Mul(k1G(), kk).x, k1.n)
		if r.Sign() == 0 {
			continue
		}
		s := new(big.Int).Mul(r, k.d)
		s.Add(s, z).Mul(s, new(big.Int).ModInverse(kk, k1.n)).Mod(s, k1.n)
		if s.Sign() == 0 {
			continue
		}
		return append(padded(r, 32), padded(s, 32)...), nil
	}
	return nil, errors.New("secp256k1: no signature after 64 tries")
}

// k1Verify checks an r||s signature over digest.
func k1Verify(pub k1Point, digest, sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if r.Sign() == 0 || s.Sign() == 0 || r.Cmp(k1.n) >= 0 || s.Cmp(k1.n) >= 0 {
		return false
	}
	w := new(big.Int).ModInverse(s, k1.n)
	u1 := new(big.Int).Mul(k1Hash(digest), w)
	u1.Mod(u1, k1.n)
	u2 := new(big.Int).Mul(r, w)
	u2.Mod(u2, k1.n)
	x := k1Add(k1Mul(k1G(), u1), k1Mul(pub, u2))
	return !x.inf() && new(big.Int).Mod(x.x, k1.n).Cmp(r) == 0
}

// k1Hash is the digest as an integer, truncated to the order's 256 bits.
func k1Hash(digest []byte) *big.Int {
	if len(digest) > 32 {
		digest = digest[:32]
	}
	return new(big.Int).SetBytes(digest)
}
