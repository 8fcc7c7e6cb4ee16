package emulator

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"net/http"
	"slices"
	"strings"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// keyOpKind is a cryptographic operation; wrapkey and unwrapkey are encrypt
// and decrypt under other names, as in Key Vault.
type keyOpKind int

const (
	opSign keyOpKind = iota
	opVerify
	opEncrypt
	opDecrypt
)

// keyOpBody is KeyOperationsParameters, KeySignParameters and
// KeyVerifyParameters in one.
type keyOpBody struct {
	Alg    string `json:"alg"`
	Value  string `json:"value"`
	Digest string `json:"digest"`
}

// signAlgs maps JWS algorithms to their hash; the prefix says the scheme.
var signAlgs = map[string]crypto.Hash{
	"RS256": crypto.SHA256, "RS384": crypto.SHA384, "RS512": crypto.SHA512,
	"PS256": crypto.SHA256, "PS384": crypto.SHA384, "PS512": crypto.SHA512,
	"ES256": crypto.SHA256, "ES384": crypto.SHA384, "ES512": crypto.SHA512,
	"ES256K": crypto.SHA256,
}

// keyOp answers POST /keys/{name}/{version}/{op} with real cryptography on
// the stored key.
func keyOp(kind keyOpKind) func(*request) {
	return func(rq *request) {
		var b keyOpBody
		if e := rq.decodeBody(&b); e != nil {
			rq.fail(e)
			return
		}
		k, err := rq.v.keyStore().Get(rq.param("name"), rq.param("version"))
		if err != nil {
			rq.fail(keyError(err, rq.param("name")))
			return
		}
		if !k.Enabled {
			rq.fail(kverror.New(http.StatusForbidden, "Forbidden", "Operation is not allowed on a disabled key.").WithInner("KeyDisabled"))
			return
		}
		value, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(b.Value, "="))
		if err != nil {
			rq.fail(kverror.BadParameter("The parameter 'value' is not base64url."))
			return
		}
		kid := rq.keyID(k.Name, k.Version)
		switch kind {
		case opSign:
			sig, e := sign(k, b.Alg, value)
			if e != nil {
				rq.fail(e)
				return
			}
			rq.ok(keyOperationResult{Kid: kid, Value: b64(sig)})
		case opVerify:
			digest, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(b.Digest, "="))
			if err != nil {
				rq.fail(kverror.BadParameter("The parameter 'digest' is not base64url."))
				return
			}
			ok, e := verify(k, b.Alg, digest, value)
			if e != nil {
				rq.fail(e)
				return
			}
			rq.ok(keyVerifyResult{Value: ok})
		case opEncrypt, opDecrypt:
			out, e := crypt(k, b.Alg, value, kind == opEncrypt)
			if e != nil {
				rq.fail(e)
				return
			}
			rq.ok(keyOperationResult{Kid: kid, Value: b64(out)})
		}
	}
}

func badAlg(alg string, k store.Key) *kverror.Error {
	return kverror.BadParameter("Algorithm '" + clip(alg) + "' is not supported for a key of type " + k.Kty + ".")
}

// hashFor checks alg against the key and the digest's length.
func hashFor(k store.Key, alg string, digest []byte) (crypto.Hash, *kverror.Error) {
	h, ok := signAlgs[alg]
	_, isEC := k.Private.(*ecdsa.PrivateKey)
	_, isK1 := k.Private.(*k1Key)
	if !ok || (isEC || isK1) != strings.HasPrefix(alg, "ES") || isK1 != (alg == "ES256K") {
		return 0, badAlg(alg, k)
	}
	if len(digest) != h.Size() {
		return 0, kverror.BadParameter("The digest is " + itoa(len(digest)) + " bytes; " + alg + " wants " + itoa(h.Size()) + ".")
	}
	return h, nil
}

func sign(k store.Key, alg string, digest []byte) ([]byte, *kverror.Error) {
	if !slices.Contains(k.Ops, "sign") {
		return nil, opNotAllowed("sign")
	}
	h, e := hashFor(k, alg, digest)
	if e != nil {
		return nil, e
	}
	var sig []byte
	var err error
	switch pk := k.Private.(type) {
	case *rsa.PrivateKey:
		if strings.HasPrefix(alg, "PS") {
			sig, err = rsa.SignPSS(rand.Reader, pk, h, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			sig, err = rsa.SignPKCS1v15(rand.Reader, pk, h, digest)
		}
	case *k1Key:
		sig, err = pk.Sign(rand.Reader, digest, nil)
	case *ecdsa.PrivateKey:
		var r, s *big.Int
		if r, s, err = ecdsa.Sign(rand.Reader, pk, digest); err == nil {
			n := (pk.Curve.Params().BitSize + 7) / 8
			sig = append(padded(r, n), padded(s, n)...)
		}
	}
	if err != nil {
		return nil, kverror.Internal("Signing failed.")
	}
	return sig, nil
}

func verify(k store.Key, alg string, digest, sig []byte) (bool, *kverror.Error) {
	if !slices.Contains(k.Ops, "verify") {
		return false, opNotAllowed("verify")
	}
	h, e := hashFor(k, alg, digest)
	if e != nil {
		return false, e
	}
	switch pk := k.Private.(type) {
	case *rsa.PrivateKey:
		if strings.HasPrefix(alg, "PS") {
			return rsa.VerifyPSS(&pk.PublicKey, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil, nil
		}
		return rsa.VerifyPKCS1v15(&pk.PublicKey, h, digest, sig) == nil, nil
	case *ecdsa.PrivateKey:
		n := (pk.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*n {
			return false, nil
		}
		r, s := new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])
		return ecdsa.Verify(&pk.PublicKey, digest, r, s), nil
	case *k1Key:
		return k1Verify(pk.pub, digest, sig), nil
	}
	return false, badAlg(alg, k)
}

// crypt is encrypt (and wrapkey) or decrypt (and unwrapkey) with RSA-OAEP,
// RSA-OAEP-256 or RSA1_5. EC keys cannot encrypt.
func crypt(k store.Key, alg string, in []byte, encrypt bool) ([]byte, *kverror.Error) {
	pk, ok := k.Private.(*rsa.PrivateKey)
	if !ok {
		return nil, badAlg(alg, k)
	}
	op := "decrypt"
	if encrypt {
		op = "encrypt"
	}
	if !slices.Contains(k.Ops, op) && !slices.Contains(k.Ops, map[bool]string{true: "wrapKey", false: "unwrapKey"}[encrypt]) {
		return nil, opNotAllowed(op)
	}
	var out []byte
	var err error
	switch alg {
	case "RSA-OAEP", "RSA-OAEP-256":
		h := sha1.New()
		if alg == "RSA-OAEP-256" {
			h = sha256.New()
		}
		if encrypt {
			out, err = rsa.EncryptOAEP(h, rand.Reader, &pk.PublicKey, in, nil)
		} else {
			out, err = rsa.DecryptOAEP(h, nil, pk, in, nil)
		}
	case "RSA1_5":
		// RSA1_5 is a Key Vault encryption algorithm (JsonWebKeyEncryptionAlgorithm)
		// that clients still send; the emulator must serve it as the service does.
		if encrypt {
			//lint:ignore SA1019 Key Vault serves RSA1_5, so the emulator must too.
			out, err = rsa.EncryptPKCS1v15(rand.Reader, &pk.PublicKey, in)
		} else {
			//lint:ignore SA1019 Key Vault serves RSA1_5, so the emulator must too.
			out, err = rsa.DecryptPKCS1v15(nil, pk, in)
		}
	default:
		return nil, badAlg(alg, k)
	}
	if err != nil {
		if encrypt {
			return nil, kverror.BadParameter("The plaintext is too long for this key and algorithm.")
		}
		return nil, kverror.BadParameter("The ciphertext could not be decrypted with this key and algorithm.")
	}
	return out, nil
}

func opNotAllowed(op string) *kverror.Error {
	return kverror.New(http.StatusForbidden, "Forbidden", "Operation "+op+" is not permitted on this key.").WithInner("KeyOperationForbidden")
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }
