package store

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/kvquota/kvquota/emulator/clock"
)

// ErrPending: the certificate has a creation operation in progress, so a new
// create (or a merge without one) cannot start (Key Vault's 409).
var ErrPending = errors.New("certificate operation in progress")

// ErrNoOperation: the certificate has no pending operation to merge into.
var ErrNoOperation = errors.New("no pending certificate operation")

// CertAttributes are a certificate version's management attributes; nbf and
// exp are the X.509 validity of the version's certificate.
type CertAttributes struct {
	Enabled   bool
	NotBefore *int64
	Expires   *int64
	Created   int64
	Updated   int64
}

// Cert is one version of a certificate. CER (the DER) is nil while the
// version's creation is pending (issuer Unknown until a merge).
type Cert struct {
	Name, Version     string
	CER               []byte
	Attributes        CertAttributes
	Tags              map[string]string
	PreserveCertOrder bool
}

// Pending reports whether the version is still being created.
func (c Cert) Pending() bool { return c.CER == nil }

func (c *Cert) clone() Cert {
	o := *c
	o.CER = append([]byte(nil), c.CER...)
	if c.CER == nil {
		o.CER = nil
	}
	o.Tags = cloneTags(c.Tags)
	o.Attributes.NotBefore = clonePtr(c.Attributes.NotBefore)
	o.Attributes.Expires = clonePtr(c.Attributes.Expires)
	return o
}

// CertOperation is a certificate's creation operation (Key Vault's
// "pending" object, CertificateOperation in the spec).
type CertOperation struct {
	Version               string           `json:"version"`
	RequestID             string           `json:"requestId"`
	CSR                   []byte           `json:"csr"`
	Issuer                CertIssuerParams `json:"issuer"`
	Status                string           `json:"status"`
	StatusDetails         string           `json:"statusDetails,omitempty"`
	CancellationRequested bool             `json:"cancellationRequested"`
	PreserveCertOrder     bool             `json:"preserveCertOrder,omitempty"`
	// Key is the PKCS#8 private key a merge completes the version with; nil
	// once the operation has completed.
	Key []byte `json:"key,omitempty"`
}

// The statuses of a certificate operation.
const (
	OpInProgress = "inProgress"
	OpCompleted  = "completed"
)

// DeletedCert is a soft-deleted certificate, shown by its latest version.
type DeletedCert struct {
	Cert
	Policy                          CertPolicy
	DeletedDate, ScheduledPurgeDate int64
}

type certEntry struct {
	name     string
	versions map[string]*Cert
	latest   string
	policy   CertPolicy
	op       *CertOperation
	// deletedAt and purgeAt are set while the entry is soft-deleted.
	deletedAt, purgeAt time.Time
}

// Certs is a vault's certificates, its certificate contacts and its issuers.
// It holds the certificates' own parts (the X.509 versions, policy, pending
// operation); the key and secret each certificate owns live in the key and
// secret stores under the same name and version. Safe for concurrent use.
type Certs struct {
	clock clock.Clock

	mu       sync.RWMutex
	live     map[string]*certEntry
	deleted  map[string]*certEntry
	contacts []Contact
	issuers  map[string]*Issuer
}

// NewCerts returns an empty certificate store reading time from clk.
func NewCerts(clk clock.Clock) *Certs {
	if clk == nil {
		clk = clock.Real()
	}
	return &Certs{clock: clk, live: map[string]*certEntry{}, deleted: map[string]*certEntry{}, issuers: map[string]*Issuer{}}
}

func (s *Certs) deletedLocked(k string, now time.Time) (*certEntry, bool) {
	e, ok := s.deleted[k]
	if ok && !now.Before(e.purgeAt) {
		delete(s.deleted, k)
		return nil, false
	}
	return e, ok
}

// entryForNew returns the live entry for a new version of name, making it if
// needed; ErrDeleted while the name is soft-deleted.
func (s *Certs) entryForNew(name string, now time.Time) (*certEntry, error) {
	k := key(name)
	if _, ok := s.deletedLocked(k, now); ok {
		return nil, ErrDeleted
	}
	e, ok := s.live[k]
	if !ok {
		e = &certEntry{name: name, versions: map[string]*Cert{}}
		s.live[k] = e
	}
	return e, nil
}

func (e *certEntry) newVersion() string {
	v := newVersion()
	for e.versions[v] != nil {
		v = newVersion()
	}
	return v
}

// setPolicy replaces the entry's policy, keeping its creation time.
func (e *certEntry) setPolicy(p CertPolicy, now int64) {
	p = p.Clone()
	created := now
	if e.policy.Attributes != nil && e.policy.Attributes.Created != 0 {
		created = e.policy.Attributes.Created
	}
	if p.Attributes == nil {
		t := true
		p.Attributes = &CertPolicyAttribs{Enabled: &t}
	}
	p.Attributes.Created, p.Attributes.Updated = created, now
	e.policy = p
}

// NewVersion is the input of Begin and Add: a version's attributes and tags.
type NewVersion struct {
	Enabled           *bool
	Tags              map[string]string
	PreserveCertOrder bool
	// CER is the version's certificate; nil for Begin.
	CER                []byte
	NotBefore, Expires *int64
}

// Begin starts a new version of name under policy and its creation
// operation op, whose Version it fills in. The version is pending until
// Complete. A certificate with an operation in progress is ErrPending.
func (s *Certs) Begin(name string, policy CertPolicy, nv NewVersion, op CertOperation) (CertOperation, error) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.entryForNew(name, now)
	if err != nil {
		return CertOperation{}, err
	}
	if e.op != nil && e.op.Status == OpInProgress {
		return CertOperation{}, ErrPending
	}
	v := e.newVersion()
	c := &Cert{Name: e.name, Version: v, Tags: cloneTags(nv.Tags), PreserveCertOrder: nv.PreserveCertOrder,
		Attributes: CertAttributes{Enabled: nv.Enabled == nil || *nv.Enabled, Created: now.Unix(), Updated: now.Unix()}}
	e.versions[v] = c
	if e.latest == "" || e.versions[e.latest].Pending() {
		e.latest = v
	}
	e.setPolicy(policy, now.Unix())
	op.Version = v
	op.Status = OpInProgress
	op.CSR = append([]byte(nil), op.CSR...)
	e.op = &op
	return cloneOp(e.op), nil
}

// Complete gives the pending version of name its certificate (DER, with its
// validity as nbf and exp) and marks the operation completed.
func (s *Certs) Complete(name string, der []byte, nbf, exp int64) (Cert, error) {
	now := s.clock.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[key(name)]
	if !ok {
		return Cert{}, ErrNotFound
	}
	if e.op == nil || e.op.Status != OpInProgress {
		return Cert{}, ErrNoOperation
	}
	c := e.versions[e.op.Version]
	c.CER = append([]byte(nil), der...)
	c.Attributes.NotBefore, c.Attributes.Expires, c.Attributes.Updated = &nbf, &exp, now
	e.latest = c.Version
	e.op.Status, e.op.StatusDetails, e.op.Key = OpCompleted, "", nil
	return c.clone(), nil
}

// Add makes a completed version of name at once (an import), under policy.
func (s *Certs) Add(name string, policy CertPolicy, nv NewVersion) (Cert, error) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.entryForNew(name, now)
	if err != nil {
		return Cert{}, err
	}
	v := e.newVersion()
	c := &Cert{Name: e.name, Version: v, CER: append([]byte(nil), nv.CER...), Tags: cloneTags(nv.Tags),
		PreserveCertOrder: nv.PreserveCertOrder,
		Attributes: CertAttributes{Enabled: nv.Enabled == nil || *nv.Enabled, NotBefore: clonePtr(nv.NotBefore),
			Expires: clonePtr(nv.Expires), Created: now.Unix(), Updated: now.Unix()}}
	e.versions[v] = c
	e.latest = v
	e.setPolicy(policy, now.Unix())
	return c.clone(), nil
}

// Get returns a version of a live certificate ("" for the latest) and its
// policy.
func (s *Certs) Get(name, version string) (Cert, CertPolicy, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok {
		return Cert{}, CertPolicy{}, ErrNotFound
	}
	if version == "" {
		version = e.latest
	}
	c, ok := e.versions[strings.ToLower(version)]
	if !ok {
		return Cert{}, CertPolicy{}, ErrNotFound
	}
	return c.clone(), e.policy.Clone(), nil
}

// CertUpdate changes a version's attributes and tags (nil: unchanged) and,
// when Policy is set, the certificate's policy.
type CertUpdate struct {
	Enabled *bool
	Tags    map[string]string
	Policy  *CertPolicy
}

// Update applies u to a version of name ("" for the latest).
func (s *Certs) Update(name, version string, u CertUpdate) (Cert, CertPolicy, error) {
	now := s.clock.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[key(name)]
	if !ok {
		return Cert{}, CertPolicy{}, ErrNotFound
	}
	if version == "" {
		version = e.latest
	}
	c, ok := e.versions[strings.ToLower(version)]
	if !ok {
		return Cert{}, CertPolicy{}, ErrNotFound
	}
	if u.Enabled != nil {
		c.Attributes.Enabled = *u.Enabled
	}
	if u.Tags != nil {
		c.Tags = cloneTags(u.Tags)
	}
	c.Attributes.Updated = now
	if u.Policy != nil {
		e.setPolicy(*u.Policy, now)
	}
	return c.clone(), e.policy.Clone(), nil
}

// List returns a page of live certificates (latest versions) in name order;
// pending ones (no completed version) only with includePending.
func (s *Certs) List(after string, limit int, includePending bool) (page []Cert, next string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	shown := make(map[string]*certEntry, len(s.live))
	for k, e := range s.live {
		if includePending || !e.versions[e.latest].Pending() {
			shown[k] = e
		}
	}
	keys, next := pageOf(shown, after, limit)
	for _, k := range keys {
		e := shown[k]
		page = append(page, e.versions[e.latest].clone())
	}
	return page, next
}

// Versions returns a page of a live certificate's versions in id order.
func (s *Certs) Versions(name, after string, limit int) (page []Cert, next string, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok {
		return nil, "", ErrNotFound
	}
	ids, next := pageOf(e.versions, after, limit)
	for _, id := range ids {
		page = append(page, e.versions[id].clone())
	}
	return page, next, nil
}

func cloneOp(op *CertOperation) CertOperation {
	o := *op
	o.CSR = append([]byte(nil), op.CSR...)
	o.Key = append([]byte(nil), op.Key...)
	if op.Key == nil {
		o.Key = nil
	}
	o.Issuer.CertTransparency = cloneBool(op.Issuer.CertTransparency)
	return o
}
