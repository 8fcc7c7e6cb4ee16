package emulator

import (
	"crypto/sha1"
	"encoding/base64"

	"github.com/kvquota/kvquota/emulator/store"
)

// The JSON shapes of the certificates REST API (azure-rest-api-specs,
// data-plane 2025-07-01 certificates.json: CertificateBundle,
// CertificateItem, DeletedCertificateBundle, DeletedCertificateItem,
// CertificateOperation, CertificatePolicy, Contacts, IssuerBundle,
// CertificateIssuerItem), with the field names the spec and azcertificates
// v1.5.0 use. cer and csr are standard base64; x5t is base64url, as the
// SDK decodes them.

// certAttributes is CertificateAttributes.
type certAttributes struct {
	Enabled         bool   `json:"enabled"`
	NotBefore       *int64 `json:"nbf,omitempty"`
	Expires         *int64 `json:"exp,omitempty"`
	Created         int64  `json:"created"`
	Updated         int64  `json:"updated"`
	RecoverableDays int    `json:"recoverableDays"`
	RecoveryLevel   string `json:"recoveryLevel"`
}

// certPolicyOut is CertificatePolicy with its read-only id.
type certPolicyOut struct {
	ID string `json:"id"`
	store.CertPolicy
}

// certBundle is CertificateBundle.
type certBundle struct {
	ID                string            `json:"id"`
	Kid               string            `json:"kid,omitempty"`
	Sid               string            `json:"sid,omitempty"`
	X5t               string            `json:"x5t,omitempty"`
	Cer               string            `json:"cer,omitempty"`
	ContentType       string            `json:"contentType,omitempty"`
	Attributes        certAttributes    `json:"attributes"`
	Policy            *certPolicyOut    `json:"policy,omitempty"`
	Tags              map[string]string `json:"tags,omitempty"`
	PreserveCertOrder bool              `json:"preserveCertOrder,omitempty"`
}

// certItem is CertificateItem.
type certItem struct {
	ID         string            `json:"id"`
	Attributes certAttributes    `json:"attributes"`
	Tags       map[string]string `json:"tags,omitempty"`
	X5t        string            `json:"x5t,omitempty"`
}

// deletedCertBundle is DeletedCertificateBundle.
type deletedCertBundle struct {
	RecoveryID         string `json:"recoveryId"`
	DeletedDate        int64  `json:"deletedDate"`
	ScheduledPurgeDate int64  `json:"scheduledPurgeDate"`
	certBundle
}

// deletedCertItem is DeletedCertificateItem.
type deletedCertItem struct {
	RecoveryID         string `json:"recoveryId"`
	DeletedDate        int64  `json:"deletedDate"`
	ScheduledPurgeDate int64  `json:"scheduledPurgeDate"`
	certItem
}

// certOperation is CertificateOperation.
type certOperation struct {
	ID                    string                 `json:"id"`
	Issuer                store.CertIssuerParams `json:"issuer"`
	CSR                   string                 `json:"csr,omitempty"`
	CancellationRequested bool                   `json:"cancellation_requested"`
	Status                string                 `json:"status"`
	StatusDetails         string                 `json:"status_details,omitempty"`
	Target                string                 `json:"target,omitempty"`
	RequestID             string                 `json:"request_id"`
	PreserveCertOrder     bool                   `json:"preserveCertOrder,omitempty"`
}

// contactsOut is Contacts.
type contactsOut struct {
	ID       string          `json:"id"`
	Contacts []store.Contact `json:"contacts"`
}

// issuerAttributes is IssuerAttributes.
type issuerAttributes struct {
	Enabled bool  `json:"enabled"`
	Created int64 `json:"created"`
	Updated int64 `json:"updated"`
}

// issuerCredentialsOut is IssuerCredentials without the password, which
// Key Vault never sends back.
type issuerCredentialsOut struct {
	AccountID string `json:"account_id,omitempty"`
}

// issuerBundle is IssuerBundle.
type issuerBundle struct {
	ID          string                `json:"id"`
	Provider    string                `json:"provider,omitempty"`
	Credentials *issuerCredentialsOut `json:"credentials,omitempty"`
	OrgDetails  *store.OrgDetails     `json:"org_details,omitempty"`
	Attributes  issuerAttributes      `json:"attributes"`
}

// issuerItem is CertificateIssuerItem.
type issuerItem struct {
	ID       string `json:"id"`
	Provider string `json:"provider,omitempty"`
}

func (rq *request) certID(name, version string) string {
	id := rq.base + "/certificates/" + name
	if version != "" {
		id += "/" + version
	}
	return id
}

// certAttrs are c's attributes with the vault's deletion policy.
func (rq *request) certAttrs(c store.Cert) certAttributes {
	d := rq.v.cfg.Deletion
	return certAttributes{Enabled: c.Attributes.Enabled, NotBefore: c.Attributes.NotBefore, Expires: c.Attributes.Expires,
		Created: c.Attributes.Created, Updated: c.Attributes.Updated,
		RecoverableDays: d.Days(), RecoveryLevel: d.RecoveryLevel()}
}

// thumbprint is the x5t of a DER certificate: its SHA-1, base64url.
func thumbprint(der []byte) string {
	if der == nil {
		return ""
	}
	// x5t is defined as the SHA-1 thumbprint (RFC 7515 4.1.7).
	sum := sha1.Sum(der)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (rq *request) policyOut(name string, p store.CertPolicy) *certPolicyOut {
	return &certPolicyOut{ID: rq.base + "/certificates/" + name + "/policy", CertPolicy: p}
}

// certBundleOf is the CertificateBundle of c; a pending version has no
// certificate, key or secret yet.
func (rq *request) certBundleOf(c store.Cert, p store.CertPolicy) certBundle {
	b := certBundle{ID: rq.certID(c.Name, c.Version), Attributes: rq.certAttrs(c), Policy: rq.policyOut(c.Name, p),
		Tags: c.Tags, PreserveCertOrder: c.PreserveCertOrder}
	if !c.Pending() {
		b.Kid = rq.keyID(c.Name, c.Version)
		b.Sid = rq.secretID(c.Name, c.Version)
		b.X5t = thumbprint(c.CER)
		b.Cer = base64.StdEncoding.EncodeToString(c.CER)
		b.ContentType = contentPKCS12
		if p.SecretProps != nil && p.SecretProps.ContentType != "" {
			b.ContentType = p.SecretProps.ContentType
		}
	}
	return b
}

// certItemOf is the CertificateItem of c in a list of certificates (id
// without version) or of versions (with).
func (rq *request) certItemOf(c store.Cert, withVersion bool) certItem {
	v := ""
	if withVersion {
		v = c.Version
	}
	return certItem{ID: rq.certID(c.Name, v), Attributes: rq.certAttrs(c), Tags: c.Tags, X5t: thumbprint(c.CER)}
}

func (rq *request) deletedCertBundleOf(d store.DeletedCert) deletedCertBundle {
	return deletedCertBundle{RecoveryID: rq.base + "/deletedcertificates/" + d.Name, DeletedDate: d.DeletedDate,
		ScheduledPurgeDate: d.ScheduledPurgeDate, certBundle: rq.certBundleOf(d.Cert, d.Policy)}
}

func (rq *request) operationOf(name string, op store.CertOperation) certOperation {
	o := certOperation{ID: rq.base + "/certificates/" + name + "/pending", Issuer: op.Issuer,
		CSR: base64.StdEncoding.EncodeToString(op.CSR), CancellationRequested: op.CancellationRequested,
		Status: op.Status, StatusDetails: op.StatusDetails, RequestID: op.RequestID, PreserveCertOrder: op.PreserveCertOrder}
	if op.Status == store.OpCompleted {
		o.Target = rq.certID(name, "")
	}
	return o
}

func (rq *request) issuerBundleOf(i store.Issuer) issuerBundle {
	b := issuerBundle{ID: rq.base + "/certificates/issuers/" + i.Name, Provider: i.Provider, OrgDetails: i.OrgDetails,
		Attributes: issuerAttributes{Enabled: i.Enabled, Created: i.Created, Updated: i.Updated}}
	if i.Credentials != nil {
		b.Credentials = &issuerCredentialsOut{AccountID: i.Credentials.AccountID}
	}
	return b
}
