package emulator

import (
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/store"
)

// Certificate contacts and issuers, vault-wide settings of the
// certificates collection.

// contactsBody is Contacts as a request body.
type contactsBody struct {
	Contacts []store.Contact `json:"contacts"`
}

func (rq *request) contactsOut(c []store.Contact) contactsOut {
	return contactsOut{ID: rq.base + "/certificates/contacts", Contacts: c}
}

func errNoContacts() *kverror.Error {
	return kverror.New(http.StatusNotFound, "ContactsNotFound", "Contacts not found")
}

// GET /certificates/contacts.
func getContacts(rq *request) {
	c, ok := rq.v.certStore().Contacts()
	if !ok {
		rq.fail(errNoContacts())
		return
	}
	rq.ok(rq.contactsOut(c))
}

// PUT /certificates/contacts.
func setContacts(rq *request) {
	var b contactsBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	if b.Contacts == nil {
		rq.fail(bad("The parameter 'contacts' is required."))
		return
	}
	for _, c := range b.Contacts {
		if c.Email == "" {
			rq.fail(bad("Every certificate contact needs an email."))
			return
		}
	}
	rq.ok(rq.contactsOut(rq.v.certStore().SetContacts(b.Contacts)))
}

// DELETE /certificates/contacts: answered with the contacts removed.
func deleteContacts(rq *request) {
	c, ok := rq.v.certStore().DeleteContacts()
	if !ok {
		rq.fail(errNoContacts())
		return
	}
	rq.ok(rq.contactsOut(c))
}

// issuerBody is CertificateIssuerSetParameters and
// CertificateIssuerUpdateParameters.
type issuerBody struct {
	Provider    *string                  `json:"provider"`
	Credentials *store.IssuerCredentials `json:"credentials"`
	OrgDetails  *store.OrgDetails        `json:"org_details"`
	Attributes  *struct {
		Enabled *bool `json:"enabled"`
	} `json:"attributes"`
}

func (b issuerBody) update() store.IssuerUpdate {
	u := store.IssuerUpdate{Provider: b.Provider, Credentials: b.Credentials, OrgDetails: b.OrgDetails}
	if b.Attributes != nil {
		u.Enabled = b.Attributes.Enabled
	}
	return u
}

func errIssuerNotFound(name string) *kverror.Error {
	return kverror.New(http.StatusNotFound, "CertificateIssuerNotFound", "Issuer not found: "+clip(name))
}

// PUT /certificates/issuers/{name}: create or replace; provider is required.
func setIssuer(rq *request) {
	var b issuerBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	if b.Provider == nil || *b.Provider == "" {
		rq.fail(bad("The parameter 'provider' is required to set an issuer."))
		return
	}
	rq.ok(rq.issuerBundleOf(rq.v.certStore().SetIssuer(rq.param("name"), b.update())))
}

// PATCH /certificates/issuers/{name}.
func updateIssuer(rq *request) {
	var b issuerBody
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	i, err := rq.v.certStore().UpdateIssuer(rq.param("name"), b.update())
	if err != nil {
		rq.fail(errIssuerNotFound(rq.param("name")))
		return
	}
	rq.ok(rq.issuerBundleOf(i))
}

// GET /certificates/issuers/{name}.
func getIssuer(rq *request) {
	i, err := rq.v.certStore().GetIssuer(rq.param("name"))
	if err != nil {
		rq.fail(errIssuerNotFound(rq.param("name")))
		return
	}
	rq.ok(rq.issuerBundleOf(i))
}

// DELETE /certificates/issuers/{name}: answered with the issuer removed.
func deleteIssuer(rq *request) {
	i, err := rq.v.certStore().DeleteIssuer(rq.param("name"))
	if err != nil {
		rq.fail(errIssuerNotFound(rq.param("name")))
		return
	}
	rq.ok(rq.issuerBundleOf(i))
}

// GET /certificates/issuers: a page of issuers (id and provider).
func listIssuers(rq *request) {
	p, e := rq.page()
	if e != nil {
		rq.fail(e)
		return
	}
	issuers, next := rq.v.certStore().ListIssuers(p.after, p.size)
	res := listResult[issuerItem]{Value: make([]issuerItem, 0, len(issuers))}
	for _, i := range issuers {
		res.Value = append(res.Value, issuerItem{ID: rq.base + "/certificates/issuers/" + i.Name, Provider: i.Provider})
	}
	res.NextLink = rq.nextLink("/certificates/issuers", p, next)
	rq.ok(res)
}
