package emulator

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// The two content types of a certificate's secret (SecretProperties).
const (
	contentPKCS12 = "application/x-pkcs12"
	contentPEM    = "application/x-pem-file"
)

// certSecretValue is the value of the secret a certificate owns: a
// password-less PKCS#12, base64, or PEM, as Key Vault serves them. The
// private key is in it only when the policy's key is exportable.
func certSecretValue(contentType string, key crypto.Signer, chain []*x509.Certificate, exportable bool) (string, error) {
	if contentType == contentPEM {
		var b bytes.Buffer
		if exportable {
			der, err := x509.MarshalPKCS8PrivateKey(key)
			if err != nil {
				return "", err
			}
			_ = pem.Encode(&b, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
		}
		for _, c := range chain {
			_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
		}
		return b.String(), nil
	}
	var pfx []byte
	var err error
	if exportable {
		pfx, err = pkcs12.Passwordless.Encode(key, chain[0], chain[1:], "")
	} else {
		pfx, err = pkcs12.Passwordless.EncodeTrustStore(chain, "")
	}
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(pfx), nil
}

// imported is what an import body's certificate holds.
type imported struct {
	key   crypto.Signer
	chain []*x509.Certificate // leaf first
	pem   bool                // the value was PEM, not PKCS#12
}

var errNoKey = errors.New("the certificate to import has no private key; Key Vault imports a certificate with its key (PKCS#12, or PEM with a PKCS#8 key)")

// parseImport reads an import's value: PEM text (the key in PKCS#8 with the
// certificates), or a base64 PKCS#12 opened with password.
func parseImport(value, password string) (imported, error) {
	if strings.Contains(value, "-----BEGIN") {
		return parsePEMImport([]byte(value))
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
	if err != nil {
		return imported{}, errors.New("the certificate value is neither PEM nor base64 PKCS#12")
	}
	if bytes.Contains(raw, []byte("-----BEGIN")) {
		return parsePEMImport(raw)
	}
	k, leaf, cas, err := pkcs12.DecodeChain(raw, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return imported{}, errors.New("the PKCS#12 password is wrong")
		}
		return imported{}, errors.New("the certificate value is not a PKCS#12 this emulator can read: " + err.Error())
	}
	signer, ok := k.(crypto.Signer)
	if !ok || signer == nil {
		return imported{}, errNoKey
	}
	return imported{key: signer, chain: append([]*x509.Certificate{leaf}, cas...)}, nil
}

func parsePEMImport(b []byte) (imported, error) {
	out := imported{pem: true}
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		switch blk.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return imported{}, errors.New("a CERTIFICATE block of the PEM is not an X.509 certificate")
			}
			out.chain = append(out.chain, c)
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
			if err != nil {
				return imported{}, errors.New("the PRIVATE KEY block of the PEM is not a PKCS#8 key")
			}
			s, ok := k.(crypto.Signer)
			if !ok {
				return imported{}, errors.New("the PEM's key is of a type Key Vault does not import")
			}
			out.key = s
		default:
			return imported{}, errors.New("the PEM has a " + clip(blk.Type) + " block; Key Vault accepts the key only in PKCS#8 (PRIVATE KEY)")
		}
	}
	if out.key == nil {
		return imported{}, errNoKey
	}
	if len(out.chain) == 0 {
		return imported{}, errors.New("the PEM holds no certificate")
	}
	return out, nil
}
