package emulator

import (
	"crypto"
	"crypto/x509"
	"errors"
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// certificateRoutes are the operations on certificates, their pending
// operations, policies, contacts and issuers. Routes with a literal segment
// come before those with a parameter in its place, since the router takes
// the first that matches ("certificates/contacts" is not a certificate).
func certificateRoutes(*Vault) []route {
	r := func(method, pattern string, h func(*request)) route {
		return route{method: method, pattern: pattern, handle: h, classify: classifyCert}
	}
	return []route{
		r(http.MethodGet, "certificates", listCerts),
		r(http.MethodGet, "certificates/contacts", getContacts),
		r(http.MethodPut, "certificates/contacts", setContacts),
		r(http.MethodDelete, "certificates/contacts", deleteContacts),
		r(http.MethodGet, "certificates/issuers", listIssuers),
		r(http.MethodGet, "certificates/issuers/{name}", getIssuer),
		r(http.MethodPut, "certificates/issuers/{name}", setIssuer),
		r(http.MethodPatch, "certificates/issuers/{name}", updateIssuer),
		r(http.MethodDelete, "certificates/issuers/{name}", deleteIssuer),
		r(http.MethodPost, "certificates/restore", restoreCert),
		r(http.MethodPost, "certificates/{name}/create", createCert),
		r(http.MethodPost, "certificates/{name}/import", importCert),
		r(http.MethodPost, "certificates/{name}/backup", backupCert),
		r(http.MethodGet, "certificates/{name}/pending", getCertOperation),
		r(http.MethodPatch, "certificates/{name}/pending", cancelCertOperation),
		r(http.MethodDelete, "certificates/{name}/pending", deleteCertOperation),
		r(http.MethodPost, "certificates/{name}/pending/merge", mergeCert),
		r(http.MethodGet, "certificates/{name}/policy", getCertPolicy),
		r(http.MethodPatch, "certificates/{name}/policy", updateCertPolicy),
		r(http.MethodGet, "certificates/{name}/versions", listCertVersions),
		r(http.MethodGet, "certificates/{name}", getCert),
		r(http.MethodPatch, "certificates/{name}", updateCert),
		r(http.MethodDelete, "certificates/{name}", deleteCert),
		r(http.MethodGet, "certificates/{name}/{version}", getCert),
		r(http.MethodPatch, "certificates/{name}/{version}", updateCert),
		r(http.MethodGet, "deletedcertificates", listDeletedCerts),
		r(http.MethodGet, "deletedcertificates/{name}", getDeletedCert),
		r(http.MethodDelete, "deletedcertificates/{name}", purgeDeletedCert),
		r(http.MethodPost, "deletedcertificates/{name}/recover", recoverDeletedCert),
	}
}

// classifyCert is the quota class of every certificate operation
// (limits.ClassifyCertificateRequest).
func classifyCert(rq *request) (limits.Class, bool) {
	return limits.ClassifyCertificateRequest(rq.r.Method, rq.r.URL.Path)
}

// certAttributesIn are the settable CertificateAttributes. nbf and exp are
// the certificate's own validity in Key Vault; a value sent is ignored.
type certAttributesIn struct {
	Enabled *bool `json:"enabled"`
}

// certBody is CertificateCreateParameters, CertificateUpdateParameters,
// CertificateImportParameters (value, pwd) and CertificateMergeParameters
// (x5c) in one.
type certBody struct {
	Value             *string           `json:"value"`
	Pwd               string            `json:"pwd"`
	X5c               []string          `json:"x5c"`
	Policy            *store.CertPolicy `json:"policy"`
	Attributes        *certAttributesIn `json:"attributes"`
	Tags              map[string]string `json:"tags"`
	PreserveCertOrder *bool             `json:"preserveCertOrder"`
}

func (b certBody) enabled() *bool {
	if b.Attributes == nil {
		return nil
	}
	return b.Attributes.Enabled
}

func (v *Vault) certStore() *store.Certs { return v.certs }

// GET /certificates/{name}[/{version}].
func getCert(rq *request) {
	c, p, err := rq.v.certStore().Get(rq.param("name"), rq.param("version"))
	if err != nil {
		rq.fail(certError(err, nameAndVersion(rq)))
		return
	}
	rq.ok(rq.certBundleOf(c, p))
}

// PATCH /certificates/{name}[/{version}]: attributes, tags and the policy.
func updateCert(rq *request) {
	var b certBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	if e := checkProperties(nil, b.Tags); e != nil {
		rq.fail(e)
		return
	}
	u := store.CertUpdate{Enabled: b.enabled(), Tags: b.Tags}
	if b.Policy != nil {
		cur, err := rq.v.certStore().Policy(rq.param("name"))
		if err != nil {
			rq.fail(certError(err, rq.param("name")))
			return
		}
		p, e := normalizePolicy(mergePolicy(cur, *b.Policy), false)
		if e != nil {
			rq.fail(e)
			return
		}
		u.Policy = &p
	}
	c, p, err := rq.v.certStore().Update(rq.param("name"), rq.param("version"), u)
	if err != nil {
		rq.fail(certError(err, nameAndVersion(rq)))
		return
	}
	rq.ok(rq.certBundleOf(c, p))
}

// GET /certificates: a page of certificates; pending ones with
// includePending=true.
func listCerts(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	pending := rq.r.URL.Query().Get("includePending") == "true"
	certs, next := rq.v.certStore().List(p.after, p.size, pending)
	res := listResult[certItem]{Value: make([]certItem, 0, len(certs))}
	for _, c := range certs {
		res.Value = append(res.Value, rq.certItemOf(c, false))
	}
	res.NextLink = rq.nextLink("/certificates", p, next)
	if res.NextLink != nil && pending {
		*res.NextLink += "&includePending=true"
	}
	rq.ok(res)
}

// GET /certificates/{name}/versions.
func listCertVersions(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	name := rq.param("name")
	versions, next, err := rq.v.certStore().Versions(name, p.after, p.size)
	if err != nil {
		rq.fail(certError(err, name))
		return
	}
	res := listResult[certItem]{Value: make([]certItem, 0, len(versions))}
	for _, c := range versions {
		res.Value = append(res.Value, rq.certItemOf(c, true))
	}
	if len(versions) > 0 {
		name = versions[0].Name
	}
	res.NextLink = rq.nextLink("/certificates/"+name+"/versions", p, next)
	rq.ok(res)
}

// DELETE /certificates/{name}: the certificate, its key and its secret are
// soft-deleted together.
func deleteCert(rq *request) {
	name := rq.param("name")
	d, err := rq.v.certStore().Delete(name, store.Retention)
	if err != nil {
		rq.fail(certError(err, name))
		return
	}
	rq.v.keyStore().DeleteOwned(name)
	rq.v.secrets.DeleteOwned(name)
	rq.ok(rq.deletedCertBundleOf(d))
}

// installOwned puts the key and the secret of a completed certificate
// version into their stores, under the certificate's name and version.
func (rq *request) installOwned(c store.Cert, p store.CertPolicy, key crypto.Signer, chain []*x509.Certificate) *kverror.Error {
	kp := p.KeyProps
	spec, err := certKeySpec(*kp)
	if err != nil {
		return bad(err.Error())
	}
	k := store.Key{Kty: kp.Kty, Spec: spec, Private: key, Enabled: c.Attributes.Enabled, Tags: c.Tags, Ops: allKeyOps}
	if spec.Type == limits.EC {
		k.Curve, k.Ops = kp.Crv, []string{"sign", "verify"}
	} else {
		k.Size = kp.KeySize
	}
	rq.v.keyStore().PutOwned(c.Name, c.Version, k)
	value, err := certSecretValue(p.SecretProps.ContentType, key, chain, *kp.Exportable)
	if err != nil {
		return kverror.Internal("The certificate's secret could not be encoded.")
	}
	enabled := c.Attributes.Enabled
	rq.v.secrets.SetOwned(c.Name, c.Version, store.SetParams{Value: value, ContentType: p.SecretProps.ContentType,
		Tags: c.Tags, Enabled: &enabled, NotBefore: c.Attributes.NotBefore, Expires: c.Attributes.Expires})
	return nil
}

// certError maps the store's refusals to Key Vault's errors (the
// CertificateNotFound text as for secrets and keys).
func certError(err error, nameOrID string) *kverror.Error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return kverror.New(http.StatusNotFound, "CertificateNotFound",
			"A certificate with (name/id) "+clip(nameOrID)+" was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182")
	case errors.Is(err, store.ErrDeleted):
		return kverror.New(http.StatusConflict, "Conflict",
			"Certificate "+clip(nameOrID)+" is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the certificate can only be recovered or purged.").
			WithInner("ObjectIsDeletedButRecoverable")
	case errors.Is(err, store.ErrPending):
		return kverror.New(http.StatusConflict, "Conflict",
			"There is a pending certificate operation for certificate "+clip(nameOrID)+"; wait for it to complete, or cancel and delete it, before you start another.")
	case errors.Is(err, store.ErrNoOperation):
		return kverror.New(http.StatusNotFound, "PendingCertificateNotFound",
			"Pending certificate not found: "+clip(nameOrID))
	default:
		return kverror.Internal("The certificate store failed.")
	}
}
