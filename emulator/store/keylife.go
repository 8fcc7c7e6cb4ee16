package store

import (
	"crypto"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"
)

// The key lifecycle beyond create, get, list and delete: updates, versions,
// deleted keys, backup and restore, and rotation (rotation.go).

// ErrExists refuses a restore into a name that is taken (live or deleted).
var ErrExists = errors.New("an object with this name already exists")

// KeyUpdate changes a key version's properties; nil fields are left as they
// are (Tags nil keeps the tags, an empty map removes them).
type KeyUpdate struct {
	Ops        *[]string
	Enabled    *bool
	NotBefore  *int64
	Expires    *int64
	Exportable *bool
	Tags       map[string]string
}

// Update changes a version of a live key ("" is the latest).
func (s *Keys) Update(name, version string, u KeyUpdate) (Key, error) {
	now := s.clock.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[key(name)]
	if !ok {
		return Key{}, ErrNotFound
	}
	if version == "" {
		version = e.latest
	}
	k, ok := e.versions[strings.ToLower(version)]
	if !ok {
		return Key{}, ErrNotFound
	}
	if u.Ops != nil {
		k.Ops = append([]string(nil), (*u.Ops)...)
	}
	if u.Enabled != nil {
		k.Enabled = *u.Enabled
	}
	if u.NotBefore != nil {
		k.NotBefore = clonePtr(u.NotBefore)
	}
	if u.Expires != nil {
		k.Expires = clonePtr(u.Expires)
	}
	if u.Exportable != nil {
		k.Exportable = *u.Exportable
	}
	if u.Tags != nil {
		k.Tags = maps.Clone(u.Tags)
	}
	k.Updated = now
	if version == e.latest {
		s.scheduleLocked(e)
	}
	return k.clone(), nil
}

// Versions returns a page of a live key's versions in version id order.
func (s *Keys) Versions(name, after string, limit int) (page []Key, next string, err error) {
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

// GetDeleted returns a soft-deleted key.
func (s *Keys) GetDeleted(name string) (DeletedKey, error) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.deletedLocked(key(name), now)
	if !ok {
		return DeletedKey{}, ErrNotFound
	}
	return e.asDeleted(), nil
}

// ListDeleted returns a page of soft-deleted keys in name order.
func (s *Keys) ListDeleted(after string, limit int) (page []DeletedKey, next string) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.deleted {
		s.deletedLocked(k, now)
	}
	names, next := pageOf(s.deleted, after, limit)
	for _, n := range names {
		page = append(page, s.deleted[n].asDeleted())
	}
	return page, next
}

// Recover brings a soft-deleted key back with every version (and its
// rotation policy) and returns its latest version.
func (s *Keys) Recover(name string) (Key, error) {
	now := s.clock.Now()
	kk := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.deletedLocked(kk, now)
	if !ok {
		return Key{}, ErrNotFound
	}
	delete(s.deleted, kk)
	e.deletedAt, e.purgeAt = time.Time{}, time.Time{}
	s.live[kk] = e
	s.scheduleLocked(e)
	return e.versions[e.latest].clone(), nil
}

// Purge removes a soft-deleted key for good; purge protection refuses it
// (ErrPurgeProtected).
func (s *Keys) Purge(name string) error {
	now := s.clock.Now()
	kk := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.deletedLocked(kk, now); !ok {
		return ErrNotFound
	}
	if !s.deletion.Purgeable() {
		return ErrPurgeProtected
	}
	delete(s.deleted, kk)
	return nil
}

// KeyBackup is a live key with every version and its rotation policy, as a
// backup holds it (the vault encodes, seals and opens the blob).
type KeyBackup struct {
	Name     string
	Latest   string
	Versions []Key
	Policy   *RotationPolicy
}

// Backup copies a live key for a backup blob.
func (s *Keys) Backup(name string) (KeyBackup, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok {
		return KeyBackup{}, ErrNotFound
	}
	b := KeyBackup{Name: e.name, Latest: e.latest}
	for _, id := range slices.Sorted(maps.Keys(e.versions)) {
		b.Versions = append(b.Versions, e.versions[id].clone())
	}
	if e.policy != nil {
		p := e.policy.clone()
		b.Policy = &p
	}
	return b, nil
}

// RestoreBackup puts a backed-up key back, with its version ids, dates and
// policy. A name that is live or soft-deleted is ErrExists, as Key Vault
// refuses to restore over an existing key.
func (s *Keys) RestoreBackup(b KeyBackup) (Key, error) {
	if b.Name == "" || len(b.Versions) == 0 {
		return Key{}, errors.New("backup holds no key")
	}
	e := &keyEntry{name: b.Name, latest: b.Latest, versions: make(map[string]*Key, len(b.Versions))}
	for _, v := range b.Versions {
		if v.Version == "" || v.Private == nil {
			return Key{}, errors.New("backup holds a version without an id or material")
		}
		c := v.clone()
		c.Name = b.Name
		e.versions[strings.ToLower(v.Version)] = &c
	}
	if e.versions[e.latest] == nil {
		return Key{}, errors.New("backup's latest version is not among its versions")
	}
	if b.Policy != nil {
		p := b.Policy.clone()
		e.policy = &p
	}
	now := s.clock.Now()
	kk := key(b.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.live[kk]; ok {
		return Key{}, ErrExists
	}
	if _, ok := s.deletedLocked(kk, now); ok {
		return Key{}, ErrDeleted
	}
	s.live[kk] = e
	s.scheduleLocked(e)
	return e.versions[e.latest].clone(), nil
}

// Rotate adds a new version of a live key with fresh material (made by mk
// from the latest version) and the latest version's type, operations,
// exportability and tags; the rotation policy's expiry applies.
func (s *Keys) Rotate(name string, mk func(Key) (crypto.Signer, error)) (Key, error) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[key(name)]
	if !ok {
		return Key{}, ErrNotFound
	}
	return s.rotateLocked(e, now, mk)
}

func (s *Keys) rotateLocked(e *keyEntry, now time.Time, mk func(Key) (crypto.Signer, error)) (Key, error) {
	old := e.versions[e.latest]
	priv, err := mk(*old)
	if err != nil {
		return Key{}, err
	}
	k := Key{Kty: old.Kty, Size: old.Size, Curve: old.Curve, Ops: old.Ops, Spec: old.Spec, Private: priv,
		Enabled: true, Exportable: old.Exportable, Tags: old.Tags}
	return s.addVersionLocked(e, k, now), nil
}
