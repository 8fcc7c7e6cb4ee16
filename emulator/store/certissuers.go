package store

import "strings"

// Certificate contacts and issuers: vault-wide settings of the certificates
// collection (Contacts and IssuerBundle in the spec), kept in the wire form.

// Contact is one certificate contact.
type Contact struct {
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Issuer is an issuer's settings. The credentials' password is kept (Key
// Vault keeps it to call the provider) but the vault never answers it.
type Issuer struct {
	Name        string             `json:"name"`
	Provider    string             `json:"provider,omitempty"`
	Credentials *IssuerCredentials `json:"credentials,omitempty"`
	OrgDetails  *OrgDetails        `json:"org_details,omitempty"`
	Enabled     bool               `json:"enabled"`
	Created     int64              `json:"created"`
	Updated     int64              `json:"updated"`
}

// IssuerCredentials is IssuerCredentials.
type IssuerCredentials struct {
	AccountID string `json:"account_id,omitempty"`
	Password  string `json:"pwd,omitempty"`
}

// OrgDetails is OrganizationDetails.
type OrgDetails struct {
	ID           string         `json:"id,omitempty"`
	AdminDetails []AdminContact `json:"admin_details,omitempty"`
}

// AdminContact is AdministratorDetails.
type AdminContact struct {
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

func (i *Issuer) clone() Issuer {
	c := *i
	if i.Credentials != nil {
		cr := *i.Credentials
		c.Credentials = &cr
	}
	if i.OrgDetails != nil {
		o := *i.OrgDetails
		o.AdminDetails = append([]AdminContact(nil), i.OrgDetails.AdminDetails...)
		c.OrgDetails = &o
	}
	return c
}

// Contacts returns the vault's certificate contacts; ok is false when none
// are set (Key Vault answers 404 then).
func (s *Certs) Contacts() (contacts []Contact, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]Contact(nil), s.contacts...), s.contacts != nil
}

// SetContacts replaces the contacts.
func (s *Certs) SetContacts(c []Contact) []Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.contacts = append([]Contact{}, c...)
	return append([]Contact(nil), s.contacts...)
}

// DeleteContacts removes the contacts and returns them; ok false when none
// were set.
func (s *Certs) DeleteContacts() ([]Contact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts, s.contacts != nil
	s.contacts = nil
	return c, ok
}

// IssuerUpdate holds an issuer's settable parts; nil fields are unchanged
// by UpdateIssuer (SetIssuer takes them all).
type IssuerUpdate struct {
	Provider    *string
	Credentials *IssuerCredentials
	OrgDetails  *OrgDetails
	Enabled     *bool
}

func (i *Issuer) apply(u IssuerUpdate, now int64) {
	if u.Provider != nil {
		i.Provider = *u.Provider
	}
	if u.Credentials != nil {
		c := *u.Credentials
		i.Credentials = &c
	}
	if u.OrgDetails != nil {
		o := *u.OrgDetails
		o.AdminDetails = append([]AdminContact(nil), u.OrgDetails.AdminDetails...)
		i.OrgDetails = &o
	}
	if u.Enabled != nil {
		i.Enabled = *u.Enabled
	}
	i.Updated = now
}

// SetIssuer creates or replaces an issuer.
func (s *Certs) SetIssuer(name string, u IssuerUpdate) Issuer {
	now := s.clock.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	i := &Issuer{Name: name, Enabled: true, Created: now}
	if old, ok := s.issuers[key(name)]; ok {
		i.Name, i.Created = old.Name, old.Created
	}
	i.apply(u, now)
	s.issuers[key(name)] = i
	return i.clone()
}

// UpdateIssuer changes an existing issuer.
func (s *Certs) UpdateIssuer(name string, u IssuerUpdate) (Issuer, error) {
	now := s.clock.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.issuers[key(name)]
	if !ok {
		return Issuer{}, ErrNotFound
	}
	i.apply(u, now)
	return i.clone(), nil
}

// GetIssuer returns an issuer.
func (s *Certs) GetIssuer(name string) (Issuer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.issuers[key(name)]
	if !ok {
		return Issuer{}, ErrNotFound
	}
	return i.clone(), nil
}

// DeleteIssuer removes an issuer and returns it.
func (s *Certs) DeleteIssuer(name string) (Issuer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.issuers[key(name)]
	if !ok {
		return Issuer{}, ErrNotFound
	}
	delete(s.issuers, key(name))
	return i.clone(), nil
}

// ListIssuers returns a page of issuers in name order.
func (s *Certs) ListIssuers(after string, limit int) (page []Issuer, next string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys, next := pageOf(s.issuers, strings.ToLower(after), limit)
	for _, k := range keys {
		page = append(page, s.issuers[k].clone())
	}
	return page, next
}
