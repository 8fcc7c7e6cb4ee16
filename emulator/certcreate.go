package emulator

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"net/http"
	"strings"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// pendingDetails is Key Vault's status_details of a request left with an
// issuer (UpdateCertificateOperation example of the spec).
const pendingDetails = "Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later."

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// POST /certificates/{name}/create: a new version under the policy given
// (or the certificate's current one), answered 202 with the operation and
// its CSR. Issuer Self completes at once (GET .../pending says completed);
// any other issuer leaves the version pending until a merge.
func createCert(rq *request) {
	var b certBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	name := rq.param("name")
	if e := checkProperties(nil, b.Tags); e != nil {
		rq.fail(e)
		return
	}
	if b.Policy == nil {
		cur, err := rq.v.certStore().Policy(name)
		if err != nil {
			rq.fail(bad("The parameter 'policy' is required to create a new certificate."))
			return
		}
		b.Policy = &cur
	}
	p, e := normalizePolicy(*b.Policy, true)
	if e != nil {
		rq.fail(e)
		return
	}
	if e := rq.checkIssuer(&p); e != nil {
		rq.fail(e)
		return
	}
	key, csr, e := rq.newCertKey(p)
	if e != nil {
		rq.fail(e)
		return
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	preserve := b.PreserveCertOrder != nil && *b.PreserveCertOrder
	op, err := rq.v.certStore().Begin(name, p, store.NewVersion{Enabled: b.enabled(), Tags: b.Tags, PreserveCertOrder: preserve},
		store.CertOperation{RequestID: newRequestID(), CSR: csr, Issuer: *p.Issuer, StatusDetails: pendingDetails,
			PreserveCertOrder: preserve, Key: pkcs8})
	if err != nil {
		rq.fail(certError(err, name))
		return
	}
	if p.Issuer.Name == issuerSelf {
		der, err := selfSign(key, p, rq.v.cfg.Clock.Now())
		if err != nil {
			rq.fail(bad("The certificate could not be made from its policy: " + err.Error()))
			return
		}
		if e := rq.complete(name, key, [][]byte{der}); e != nil {
			rq.fail(e)
			return
		}
		// The answer is the operation as it began, inProgress with its
		// status_details, as Key Vault's 202 is; the first poll finds it
		// completed (azcertificates' TestCRUD wants status_details here).
	}
	rq.v.out.JSON(rq.w, rq.r, http.StatusAccepted, rq.operationOf(name, op))
}

// checkIssuer accepts Self and Unknown, in any case (written as Key Vault
// spells them), and the issuers the vault has been given, whose CAs the
// emulator never calls: their requests stay pending like Unknown's, for a
// merge.
func (rq *request) checkIssuer(p *store.CertPolicy) *kverror.Error {
	switch n := p.Issuer.Name; {
	case strings.EqualFold(n, issuerSelf):
		p.Issuer.Name = issuerSelf
	case strings.EqualFold(n, issuerUnknown):
		p.Issuer.Name = issuerUnknown
	default:
		if _, err := rq.v.certStore().GetIssuer(n); err != nil {
			return bad("The issuer '" + clip(n) + "' is not Self, Unknown or an issuer of this vault.")
		}
	}
	return nil
}

// newCertKey makes the key of a new certificate version and its CSR.
func (rq *request) newCertKey(p store.CertPolicy) (crypto.Signer, []byte, *kverror.Error) {
	if p.KeyProps.Crv == "P-256K" {
		return nil, nil, bad("Certificates with P-256K keys are not supported by this emulator (Go's crypto/x509 cannot sign with secp256k1); use P-256, P-384 or P-521.")
	}
	size, crv := p.KeyProps.KeySize, ""
	if p.KeyProps.Kty == "EC" || p.KeyProps.Kty == "EC-HSM" {
		size, crv = 0, p.KeyProps.Crv
	}
	key, err := rq.v.keyMaker().make(size, crv)
	if err != nil {
		return nil, nil, kverror.Internal("The certificate's key could not be generated.")
	}
	csr, err := certRequest(key, p, rq.v.cfg.Clock.Now())
	if err != nil {
		return nil, nil, bad("The certificate request could not be made from the policy: " + err.Error())
	}
	return key, csr, nil
}

// complete finishes the pending version of name with the chain given (DER,
// leaf first), whose leaf must carry key's public key, and installs its key
// and secret.
func (rq *request) complete(name string, key crypto.Signer, ders [][]byte) *kverror.Error {
	chain, e := parseChain(ders, key)
	if e != nil {
		return e
	}
	leaf := chain[0]
	c, err := rq.v.certStore().Complete(name, leaf.Raw, leaf.NotBefore.Unix(), leaf.NotAfter.Unix())
	if err != nil {
		return certError(err, name)
	}
	_, p, err := rq.v.certStore().Get(name, c.Version)
	if err != nil {
		return certError(err, name)
	}
	return rq.installOwned(c, p, key, chain)
}

// parseChain parses DER certificates and puts the one whose public key is
// key's first.
func parseChain(ders [][]byte, key crypto.Signer) ([]*x509.Certificate, *kverror.Error) {
	var chain []*x509.Certificate
	leaf := -1
	for _, d := range ders {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return nil, bad("An x509 certificate could not be parsed: " + err.Error())
		}
		if leaf < 0 && samePublic(c.PublicKey, key.Public()) {
			leaf = len(chain)
		}
		chain = append(chain, c)
	}
	if leaf < 0 {
		return nil, bad("Public key from x509 certificate and key of this instance doesn't match.")
	}
	chain[0], chain[leaf] = chain[leaf], chain[0]
	return chain, nil
}

func samePublic(a, b crypto.PublicKey) bool {
	ea, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && ea.Equal(b)
}

// POST /certificates/{name}/pending/merge: the certificate (x5c, base64
// DER or PEM) an outside CA signed for the pending request; answered 201.
func mergeCert(rq *request) {
	var b certBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	name := rq.param("name")
	if len(b.X5c) == 0 {
		rq.fail(bad("The parameter 'x5c' is required to merge a certificate."))
		return
	}
	ders, e := decodeX5c(b.X5c)
	if e != nil {
		rq.fail(e)
		return
	}
	op, err := rq.v.certStore().Operation(name)
	if err != nil || op.Status != store.OpInProgress {
		rq.fail(certError(store.ErrNoOperation, name))
		return
	}
	k, err := x509.ParsePKCS8PrivateKey(op.Key)
	signer, ok := k.(crypto.Signer)
	if err != nil || !ok {
		rq.fail(kverror.Internal("The pending certificate's key could not be read."))
		return
	}
	if e := rq.complete(name, signer, ders); e != nil {
		rq.fail(e)
		return
	}
	if b.Tags != nil || b.enabled() != nil {
		_, _, _ = rq.v.certStore().Update(name, "", store.CertUpdate{Enabled: b.enabled(), Tags: b.Tags})
	}
	c, p, err := rq.v.certStore().Get(name, "")
	if err != nil {
		rq.fail(certError(err, name))
		return
	}
	rq.created(rq.certBundleOf(c, p))
}

// decodeX5c reads merge's x5c: each entry base64 of a DER certificate, or of
// PEM text (azcertificates' own test sends PEM-less DER).
func decodeX5c(x5c []string) ([][]byte, *kverror.Error) {
	var ders [][]byte
	for _, s := range x5c {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
		if err != nil {
			return nil, bad("An x5c entry is not base64.")
		}
		if !bytes.Contains(raw, []byte("-----BEGIN")) {
			ders = append(ders, raw)
			continue
		}
		for {
			var blk *pem.Block
			if blk, raw = pem.Decode(raw); blk == nil {
				break
			}
			ders = append(ders, blk.Bytes)
		}
	}
	return ders, nil
}
