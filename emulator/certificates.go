package emulator

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/kvquota/kvquota/emulator/access"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// certificateRoutes are the operations on certificates, their pending
// operations, policies, contacts and issuers, and deleted certificates. The
// permission of each is the one its operation's description in
// certificates.json (2025-07-01) names ("This operation requires the
// certificates/<permission> permission").
func certificateRoutes(*Vault) []route {
	r := func(method, pattern string, h func(*request), perm string, st stateEffect) route {
		return route{method: method, pattern: pattern, handle: h, classify: classifyCert, need: certsNeed(perm), state: st}
	}
	get, post, put, patch, del := http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
	routes := []route{
		r(get, "certificates", listCerts, "list", reads),
		r(get, "certificates/contacts", getContacts, "managecontacts", reads),
		r(put, "certificates/contacts", setContacts, "managecontacts", changes),
		r(del, "certificates/contacts", deleteContacts, "managecontacts", changes),
		r(get, "certificates/issuers", listIssuers, "listissuers", reads),
		r(get, "certificates/issuers/{name}", getIssuer, "getissuers", reads),
		r(put, "certificates/issuers/{name}", setIssuer, "setissuers", changes),
		r(patch, "certificates/issuers/{name}", updateIssuer, "setissuers", changes),
		r(del, "certificates/issuers/{name}", deleteIssuer, "deleteissuers", changes),
		r(post, "certificates/restore", restoreCert, "restore", changes),
		r(post, "certificates/{name}/create", createCert, "create", changes),
		r(post, "certificates/{name}/backup", backupCert, "backup", reads),
		r(get, "certificates/{name}/pending", getCertOperation, "get", reads),
		r(patch, "certificates/{name}/pending", cancelCertOperation, "update", changes),
		r(del, "certificates/{name}/pending", deleteCertOperation, "update", changes),
		r(post, "certificates/{name}/pending/merge", mergeCert, "create", changes),
		r(get, "certificates/{name}/policy", getCertPolicy, "get", reads),
		r(patch, "certificates/{name}/policy", updateCertPolicy, "update", changes),
		r(get, "certificates/{name}/versions", listCertVersions, "list", reads),
		r(get, "certificates/{name}", getCert, "get", reads),
		r(patch, "certificates/{name}", updateCert, "update", changes),
		r(del, "certificates/{name}", deleteCert, "delete", changes),
		r(get, "certificates/{name}/{version}", getCert, "get", reads),
		r(patch, "certificates/{name}/{version}", updateCert, "update", changes),
		r(get, "deletedcertificates", listDeletedCerts, "list", reads),
		r(get, "deletedcertificates/{name}", getDeletedCert, "get", reads),
		r(del, "deletedcertificates/{name}", purgeDeletedCert, "purge", changes),
		r(post, "deletedcertificates/{name}/recover", recoverDeletedCert, "recover", changes),
	}
	imp := r(post, "certificates/{name}/import", importCert, "import", changes)
	imp.classify = classifyCertImport
	return append(routes, imp)
}

func certsNeed(perm string) access.Operation {
	return access.Operation{Collection: access.Certificates, Permission: perm}
}

// classifyCert is the quota class of every certificate operation but import:
// a vault transaction (limits.ClassifyCertificateRequestIn).
func classifyCert(rq *request) (limits.Class, bool) {
	return limits.ClassifyCertificateRequestIn(rq.v.cfg.Profile, rq.r.Method, rq.r.URL.Path, limits.DefaultCertKey)
}

// classifyCertImport is the class of an import, which depends on the
// imported key under profiles that count an import as its key type's
// CREATE (Profile.ImportClass). It reads the body for the key (the policy's
// key_props, else the certificate's own key) and puts it back for
// importCert; a body that names no key Key Vault imports uses no quota, and
// importCert answers 400.
func classifyCertImport(rq *request) (limits.Class, bool) {
	p := rq.v.cfg.Profile
	raw, err := io.ReadAll(http.MaxBytesReader(rq.w, rq.r.Body, maxBody))
	rq.r.Body = io.NopCloser(bytes.NewReader(raw))
	var b certBody
	if err != nil || json.Unmarshal(raw, &b) != nil || b.Value == nil {
		return "", false
	}
	if p.SharedImport {
		return limits.ClassifyCertificateRequestIn(p, rq.r.Method, rq.r.URL.Path, limits.DefaultCertKey)
	}
	in, err := parseImport(*b.Value, b.Pwd)
	if err != nil {
		return "", false
	}
	spec, ok := importedSpec(in, b.Policy)
	if !ok {
		return "", false
	}
	return limits.ClassifyCertificateRequestIn(p, rq.r.Method, rq.r.URL.Path, spec)
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
	retention := rq.v.cfg.Deletion.Retention()
	d, err := rq.v.certStore().Delete(name, retention)
	if err != nil {
		rq.fail(certError(err, name))
		return
	}
	rq.v.keyStore().DeleteOwned(name)
	rq.v.secrets.DeleteOwned(name, retention)
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
	k := store.Key{Kty: kp.Kty, Spec: spec, Private: key, Enabled: c.Attributes.Enabled, Tags: c.Tags,
		Ops:       defaultKeyOps(kp.Kty),
		NotBefore: c.Attributes.NotBefore, Expires: c.Attributes.Expires}
	if spec.Type == limits.EC {
		k.Curve = kp.Crv
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
