package emulator

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// POST /certificates/{name}/import: a certificate with its private key,
// PKCS#12 (base64, with or without pwd) or PEM (PKCS#8 key and
// certificates), becomes a new completed version. The policy, when none is
// given, is the certificate's own: its subject, SANs and key.
func importCert(rq *request) {
	var b certBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	name := rq.param("name")
	if b.Value == nil || *b.Value == "" {
		rq.fail(bad("The parameter 'value' is required to import a certificate."))
		return
	}
	if e := checkProperties(nil, b.Tags); e != nil {
		rq.fail(e)
		return
	}
	in, err := parseImport(*b.Value, b.Pwd)
	if err != nil {
		rq.fail(bad("The certificate could not be imported: " + err.Error()))
		return
	}
	ders := make([][]byte, len(in.chain))
	for i, c := range in.chain {
		ders[i] = c.Raw
	}
	chain, e := parseChain(ders, in.key)
	if e != nil {
		rq.fail(e)
		return
	}
	p, e := importPolicy(b.Policy, in, chain[0].Subject.String(), rq)
	if e != nil {
		rq.fail(e)
		return
	}
	leaf := chain[0]
	nbf, exp := leaf.NotBefore.Unix(), leaf.NotAfter.Unix()
	c, err := rq.v.certStore().Add(name, p, store.NewVersion{Enabled: b.enabled(), Tags: b.Tags, CER: leaf.Raw,
		NotBefore: &nbf, Expires: &exp, PreserveCertOrder: b.PreserveCertOrder != nil && *b.PreserveCertOrder})
	if err != nil {
		rq.fail(certError(err, name))
		return
	}
	if e := rq.installOwned(c, p, in.key, chain); e != nil {
		rq.fail(e)
		return
	}
	rq.ok(rq.certBundleOf(c, p))
}

// importPolicy is the policy of an imported certificate: the one given, or
// the certificate's current one, with the key properties of the key
// actually imported and, when unnamed, the leaf's subject.
func importPolicy(given *store.CertPolicy, in imported, subject string, rq *request) (store.CertPolicy, *kverror.Error) {
	var p store.CertPolicy
	if given != nil {
		p = given.Clone()
	} else if cur, err := rq.v.certStore().Policy(rq.param("name")); err == nil {
		p = cur
	}
	if p.KeyProps == nil {
		p.KeyProps = &store.CertKeyProps{}
	}
	switch k := in.key.(type) {
	case *rsa.PrivateKey:
		if p.KeyProps.Kty != "RSA-HSM" {
			p.KeyProps.Kty = "RSA"
		}
		p.KeyProps.KeySize, p.KeyProps.Crv = k.N.BitLen(), ""
	case *ecdsa.PrivateKey:
		if p.KeyProps.Kty != "EC-HSM" {
			p.KeyProps.Kty = "EC"
		}
		p.KeyProps.Crv, p.KeyProps.KeySize = k.Curve.Params().Name, 0
	default:
		return p, bad("The imported key is of a type Key Vault does not import.")
	}
	if p.SecretProps == nil && in.pem {
		p.SecretProps = &store.CertSecretProps{ContentType: contentPEM}
	}
	if p.X509Props == nil {
		p.X509Props = &store.CertX509Props{}
	}
	if p.X509Props.Subject == "" {
		p.X509Props.Subject = subject
	}
	if given == nil && p.Issuer == nil {
		p.Issuer = &store.CertIssuerParams{Name: issuerUnknown}
	}
	return normalizePolicy(p, false)
}

// GET /certificates/{name}/pending.
func getCertOperation(rq *request) {
	op, err := rq.v.certStore().Operation(rq.param("name"))
	if err != nil {
		rq.fail(certError(store.ErrNoOperation, rq.param("name")))
		return
	}
	rq.ok(rq.operationOf(rq.param("name"), op))
}

// cancelBody is CertificateOperationUpdateParameter.
type cancelBody struct {
	CancellationRequested *bool `json:"cancellation_requested"`
}

// PATCH /certificates/{name}/pending: request cancellation.
func cancelCertOperation(rq *request) {
	var b cancelBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	if b.CancellationRequested == nil {
		rq.fail(bad("The parameter 'cancellation_requested' is required."))
		return
	}
	op, err := rq.v.certStore().CancelOperation(rq.param("name"), *b.CancellationRequested)
	if err != nil {
		rq.fail(certError(store.ErrNoOperation, rq.param("name")))
		return
	}
	rq.ok(rq.operationOf(rq.param("name"), op))
}

// DELETE /certificates/{name}/pending: the operation goes, answered as it
// was.
func deleteCertOperation(rq *request) {
	op, err := rq.v.certStore().DeleteOperation(rq.param("name"))
	if err != nil {
		rq.fail(certError(store.ErrNoOperation, rq.param("name")))
		return
	}
	rq.ok(rq.operationOf(rq.param("name"), op))
}

// GET /certificates/{name}/policy.
func getCertPolicy(rq *request) {
	p, err := rq.v.certStore().Policy(rq.param("name"))
	if err != nil {
		rq.fail(certError(err, rq.param("name")))
		return
	}
	rq.ok(rq.policyOut(rq.param("name"), p))
}

// PATCH /certificates/{name}/policy: the parts given replace the current
// ones; the policy applies to the next version made.
func updateCertPolicy(rq *request) {
	var upd store.CertPolicy
	if e := rq.decodeBody(&upd); e != nil {
		rq.fail(e)
		return
	}
	var perr *kverror.Error
	p, err := rq.v.certStore().SetPolicy(rq.param("name"), func(cur store.CertPolicy) store.CertPolicy {
		merged, e := normalizePolicy(mergePolicy(cur, upd), false)
		if e != nil {
			perr = e
			return cur
		}
		return merged
	})
	if err != nil {
		rq.fail(certError(err, rq.param("name")))
		return
	}
	if perr != nil {
		rq.fail(perr)
		return
	}
	rq.ok(rq.policyOut(rq.param("name"), p))
}

// created answers 201 with v.
func (rq *request) created(v any) { rq.v.out.JSON(rq.w, rq.r, http.StatusCreated, v) }

// importedSpec is the limits row of an imported certificate's key: its
// type and size from the key itself, HSM when the policy's key_props say
// so.
func importedSpec(in imported, p *store.CertPolicy) (limits.KeySpec, bool) {
	hsm := p != nil && p.KeyProps != nil && (p.KeyProps.Kty == "RSA-HSM" || p.KeyProps.Kty == "EC-HSM")
	var spec limits.KeySpec
	var err error
	switch k := in.key.(type) {
	case *rsa.PrivateKey:
		spec, err = limits.ParseKeySpec("RSA", k.N.BitLen(), "")
	case *ecdsa.PrivateKey:
		spec, err = limits.ParseKeySpec("EC", 0, k.Curve.Params().Name)
	default:
		return spec, false
	}
	spec.HSM = hsm
	return spec, err == nil
}
