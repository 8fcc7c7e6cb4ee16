package store

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// CertEntryState is one certificate with every version, its policy and its
// operation: the unit of persistence and of backup.
type CertEntryState struct {
	Name      string         `json:"name"`
	Latest    string         `json:"latest"`
	Versions  []Cert         `json:"versions"`
	Policy    CertPolicy     `json:"policy"`
	Operation *CertOperation `json:"operation,omitempty"`
	DeletedAt time.Time      `json:"deletedAt,omitzero"`
	PurgeAt   time.Time      `json:"purgeAt,omitzero"`
}

// CertsState is everything a Certs store holds.
type CertsState struct {
	Live     []CertEntryState `json:"live"`
	Deleted  []CertEntryState `json:"deleted"`
	Contacts []Contact        `json:"contacts,omitempty"`
	Issuers  []Issuer         `json:"issuers,omitempty"`
}

func (e *certEntry) state() CertEntryState {
	st := CertEntryState{Name: e.name, Latest: e.latest, Policy: e.policy.Clone(), DeletedAt: e.deletedAt, PurgeAt: e.purgeAt}
	for _, id := range slices.Sorted(maps.Keys(e.versions)) {
		st.Versions = append(st.Versions, e.versions[id].clone())
	}
	if e.op != nil {
		op := cloneOp(e.op)
		st.Operation = &op
	}
	return st
}

func entryFromState(st CertEntryState) (*certEntry, error) {
	if st.Name == "" || len(st.Versions) == 0 {
		return nil, fmt.Errorf("certificate %q: no name or no versions", st.Name)
	}
	e := &certEntry{name: st.Name, latest: st.Latest, versions: map[string]*Cert{}, policy: st.Policy.Clone(),
		deletedAt: st.DeletedAt, purgeAt: st.PurgeAt}
	for _, v := range st.Versions {
		if v.Version == "" {
			return nil, fmt.Errorf("certificate %q: a version without an id", st.Name)
		}
		c := v.clone()
		c.Name = st.Name
		e.versions[v.Version] = &c
	}
	if e.versions[e.latest] == nil {
		return nil, fmt.Errorf("certificate %q: latest version %q is not among its versions", st.Name, st.Latest)
	}
	if st.Operation != nil {
		op := cloneOp(st.Operation)
		if e.versions[op.Version] == nil {
			return nil, fmt.Errorf("certificate %q: the operation's version %q is not among its versions", st.Name, op.Version)
		}
		e.op = &op
	}
	return e, nil
}

// Export returns a live certificate's state, for a backup.
func (s *Certs) Export(name string) (CertEntryState, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok {
		return CertEntryState{}, ErrNotFound
	}
	st := e.state()
	st.Operation = nil // a backup holds the certificate, not its request
	return st, nil
}

// Import adds a certificate from a backup: ErrExists when the name is live,
// ErrDeleted when it is soft-deleted.
func (s *Certs) Import(st CertEntryState) (Cert, CertPolicy, error) {
	st.DeletedAt, st.PurgeAt, st.Operation = time.Time{}, time.Time{}, nil
	e, err := entryFromState(st)
	if err != nil {
		return Cert{}, CertPolicy{}, err
	}
	now := s.clock.Now()
	k := key(st.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.deletedLocked(k, now); ok {
		return Cert{}, CertPolicy{}, ErrDeleted
	}
	if _, ok := s.live[k]; ok {
		return Cert{}, CertPolicy{}, ErrExists
	}
	s.live[k] = e
	return e.versions[e.latest].clone(), e.policy.Clone(), nil
}

// Snapshot copies the store's state.
func (s *Certs) Snapshot() CertsState {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := CertsState{Contacts: slices.Clone(s.contacts)}
	for _, k := range slices.Sorted(maps.Keys(s.live)) {
		st.Live = append(st.Live, s.live[k].state())
	}
	for _, k := range slices.Sorted(maps.Keys(s.deleted)) {
		st.Deleted = append(st.Deleted, s.deleted[k].state())
	}
	for _, k := range slices.Sorted(maps.Keys(s.issuers)) {
		st.Issuers = append(st.Issuers, s.issuers[k].clone())
	}
	return st
}

// Restore replaces the store's contents with st, checking all of it first.
func (s *Certs) Restore(st CertsState) error {
	load := func(what string, in []CertEntryState) (map[string]*certEntry, error) {
		out := map[string]*certEntry{}
		for _, es := range in {
			e, err := entryFromState(es)
			if err != nil {
				return nil, fmt.Errorf("%s %w", what, err)
			}
			if _, dup := out[key(es.Name)]; dup {
				return nil, fmt.Errorf("%s certificate %q appears twice", what, es.Name)
			}
			out[key(es.Name)] = e
		}
		return out, nil
	}
	live, err := load("live", st.Live)
	if err != nil {
		return err
	}
	deleted, err := load("deleted", st.Deleted)
	if err != nil {
		return err
	}
	issuers := map[string]*Issuer{}
	for _, i := range st.Issuers {
		if i.Name == "" {
			return errors.New("an issuer without a name")
		}
		c := i.clone()
		issuers[key(i.Name)] = &c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live, s.deleted, s.issuers = live, deleted, issuers
	s.contacts = slices.Clone(st.Contacts)
	return nil
}
