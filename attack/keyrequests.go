package attack

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// keyRequest fills tgt with key operation o on the key name, in the vault
// whose path prefix is vault ("" for the target's own). The bodies are fixed
// per key type: the quota counts requests, not their content, and a fixed
// digest or plaintext keeps the targeter cheap. verify sends a signature of
// zeros, which Key Vault answers with 200 and {"value": false}.
func (b *builder) keyRequest(tgt *vegeta.Target, o scenarios.Op, name, vault string) error {
	path := vault + "/keys/" + url.PathEscape(name)
	var body any
	switch o.Op {
	case scenarios.CreateKey:
		path += "/create"
		c := map[string]any{"kty": o.Kty}
		if o.KeySize > 0 {
			c["key_size"] = o.KeySize
		}
		if o.Curve != "" {
			c["crv"] = o.Curve
		}
		body = c
	case scenarios.GetKey:
	case scenarios.SignKey:
		alg, digest := signAlg(o)
		path += "/sign"
		body = map[string]string{"alg": alg, "value": digest}
	case scenarios.VerifyKey:
		alg, digest := signAlg(o)
		n := 2 * len(digestOf(alg))
		if o.Spec.Type != limits.EC {
			n = rsaBytes(o.Spec.Type)
		}
		path += "/verify"
		body = map[string]string{"alg": alg, "digest": digest, "value": base64.RawURLEncoding.EncodeToString(make([]byte, n))}
	case scenarios.Encrypt, scenarios.WrapKey:
		if o.Op == scenarios.WrapKey {
			path += "/wrapkey"
		} else {
			path += "/encrypt"
		}
		body = map[string]string{"alg": "RSA-OAEP-256", "value": base64.RawURLEncoding.EncodeToString([]byte("kvquota content encryption key!!"))}
	default:
		return fmt.Errorf("unknown key operation %q", o.Op)
	}
	method := http.MethodPost
	if o.Op == scenarios.GetKey {
		method = http.MethodGet
	}
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	h, err := b.header(raw != nil)
	if err != nil {
		return err
	}
	*tgt = vegeta.Target{Method: method, URL: b.base + path + b.query, Body: raw, Header: h}
	return nil
}

// signAlg is the JWS algorithm for the key's type and a digest of its size.
func signAlg(o scenarios.Op) (alg, digest string) {
	alg = "RS256"
	if o.Spec.Type == limits.EC {
		switch o.Curve {
		case "P-384":
			alg = "ES384"
		case "P-521":
			alg = "ES512"
		case "P-256K":
			alg = "ES256K"
		default:
			alg = "ES256"
		}
	}
	return alg, base64.RawURLEncoding.EncodeToString(digestOf(alg))
}

func digestOf(alg string) []byte {
	sum := sha512.Sum512([]byte("kvquota"))
	switch alg {
	case "ES384":
		return sum[:48]
	case "ES512":
		return sum[:64]
	}
	return sum[:32]
}

func rsaBytes(kt limits.KeyType) int {
	switch kt {
	case limits.RSA3072:
		return 384
	case limits.RSA4096:
		return 512
	}
	return 256
}

// vaultPrefix is the path prefix of the j-th vault of a multi-vault entry.
func vaultPrefix(j int) string {
	if n := scenarios.VaultName(j); n != "" {
		return "/" + limits.VaultPrefix + "/" + n
	}
	return ""
}

// inVault returns a builder for the vault under prefix of b's target.
func (b *builder) inVault(prefix string) *builder {
	c := *b
	c.base += prefix
	return &c
}

// importRequest fills tgt with import o of name with body, made once per
// attack (importBodies): a key import is PUT /keys/{name}, a certificate
// import POST /certificates/{name}/import.
func (b *builder) importRequest(tgt *vegeta.Target, o scenarios.Op, name, vault string, body []byte) error {
	method, path := http.MethodPut, vault+"/keys/"+url.PathEscape(name)
	if o.Op == scenarios.ImportCertificate {
		method, path = http.MethodPost, vault+"/certificates/"+url.PathEscape(name)+"/import"
	}
	if body == nil {
		return fmt.Errorf("%s of %q has no material", o.Op, name)
	}
	h, err := b.header(true)
	if err != nil {
		return err
	}
	*tgt = vegeta.Target{Method: method, URL: b.base + path + b.query, Body: body, Header: h}
	return nil
}
