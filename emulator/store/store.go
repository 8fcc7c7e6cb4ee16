package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kvquota/kvquota/emulator/clock"
)

// The store's refusals; the vault turns them into Key Vault errors.
var (
	// ErrNotFound: no such secret, version or deleted secret.
	ErrNotFound = errors.New("not found")
	// ErrDeleted: the name belongs to a soft-deleted secret, which can only be
	// recovered or purged (Key Vault's 409 ObjectIsDeletedButRecoverable).
	ErrDeleted = errors.New("secret is deleted but recoverable")
)

// entry is a live or deleted secret with all its versions.
type entry struct {
	name     string
	versions map[string]*Secret
	latest   string
	// deletedAt and purgeAt are set while the entry is soft-deleted.
	deletedAt time.Time
	purgeAt   time.Time
}

// Store is a vault's secrets. It is safe for concurrent use.
type Store struct {
	clock clock.Clock

	mu      sync.RWMutex
	live    map[string]*entry // by lower-cased name
	deleted map[string]*entry
	// deletion is the vault's soft-delete retention and purge protection
	// (UseDeletion); the zero value is 90 days, purgeable.
	deletion DeletionPolicy
}

// UseDeletion sets the vault's deletion policy: how long deleted secrets stay
// recoverable and whether they may be purged. Call it before the store is
// used; secrets deleted before keep the purge date they were given.
func (s *Store) UseDeletion(d DeletionPolicy) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deletion = d
}

// New returns an empty store reading time from clk.
func New(clk clock.Clock) *Store {
	if clk == nil {
		clk = clock.Real()
	}
	return &Store{clock: clk, live: map[string]*entry{}, deleted: map[string]*entry{}}
}

func key(name string) string { return strings.ToLower(name) }

func newVersion() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// deletedLocked returns the deleted entry for k, purging it first if its
// retention has run out.
func (s *Store) deletedLocked(k string, now time.Time) (*entry, bool) {
	e, ok := s.deleted[k]
	if ok && !now.Before(e.purgeAt) {
		delete(s.deleted, k)
		return nil, false
	}
	return e, ok
}

// Set creates a new version of name (and the secret, if new) and returns it.
func (s *Store) Set(name string, p SetParams) (Secret, error) {
	now := s.clock.Now()
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.deletedLocked(k, now); ok {
		return Secret{}, ErrDeleted
	}
	e, ok := s.live[k]
	if !ok {
		e = &entry{name: name, versions: map[string]*Secret{}}
		s.live[k] = e
	}
	v := newVersion()
	for e.versions[v] != nil {
		v = newVersion()
	}
	enabled := true
	if p.Enabled != nil {
		enabled = *p.Enabled
	}
	sec := &Secret{
		Name:        e.name,
		Version:     v,
		Value:       p.Value,
		ContentType: p.ContentType,
		Attributes: Attributes{
			Enabled:   enabled,
			NotBefore: clonePtr(p.NotBefore),
			Expires:   clonePtr(p.Expires),
			Created:   now.Unix(),
			Updated:   now.Unix(),
		},
	}
	sec.Tags = cloneTags(p.Tags)
	e.versions[v] = sec
	e.latest = v
	return sec.clone(), nil
}

// Get returns a version of a live secret; version "" is the latest.
func (s *Store) Get(name, version string) (Secret, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sec, err := s.versionLocked(name, version)
	if err != nil {
		return Secret{}, err
	}
	return sec.clone(), nil
}

func (s *Store) versionLocked(name, version string) (*Secret, error) {
	e, ok := s.live[key(name)]
	if !ok {
		return nil, ErrNotFound
	}
	if version == "" {
		version = e.latest
	}
	sec, ok := e.versions[strings.ToLower(version)]
	if !ok {
		return nil, ErrNotFound
	}
	return sec, nil
}

// Update changes the properties of a version ("" for the latest).
func (s *Store) Update(name, version string, p UpdateParams) (Secret, error) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.versionLocked(name, version)
	if err != nil {
		return Secret{}, err
	}
	if p.ContentType != nil {
		sec.ContentType = *p.ContentType
	}
	if p.Tags != nil {
		sec.Tags = cloneTags(p.Tags)
	}
	if p.Enabled != nil {
		sec.Attributes.Enabled = *p.Enabled
	}
	if p.NotBefore != nil {
		sec.Attributes.NotBefore = clonePtr(p.NotBefore)
	}
	if p.Expires != nil {
		sec.Attributes.Expires = clonePtr(p.Expires)
	}
	sec.Attributes.Updated = now.Unix()
	return sec.clone(), nil
}

// List returns a page of live secrets (their latest versions) in name order:
// at most limit, starting after the secret whose key is after ("" for the
// first page). next is the key to continue after, "" on the last page.
func (s *Store) List(after string, limit int) (page []Secret, next string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys, next := pageOf(s.live, after, limit)
	for _, k := range keys {
		e := s.live[k]
		page = append(page, e.versions[e.latest].clone())
	}
	return page, next
}

// Versions returns a page of a live secret's versions in version id order.
func (s *Store) Versions(name, after string, limit int) (page []Secret, next string, err error) {
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

// Delete soft-deletes a secret with all its versions.
func (s *Store) Delete(name string) (DeletedSecret, error) {
	now := s.clock.Now()
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[k]
	if !ok {
		return DeletedSecret{}, ErrNotFound
	}
	delete(s.live, k)
	e.deletedAt = now
	e.purgeAt = now.Add(s.deletion.Retention())
	s.deleted[k] = e
	return e.asDeleted(), nil
}

func (e *entry) asDeleted() DeletedSecret {
	return DeletedSecret{
		Secret:             e.versions[e.latest].clone(),
		DeletedDate:        e.deletedAt.Unix(),
		ScheduledPurgeDate: e.purgeAt.Unix(),
	}
}

// GetDeleted returns a soft-deleted secret.
func (s *Store) GetDeleted(name string) (DeletedSecret, error) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.deletedLocked(key(name), now)
	if !ok {
		return DeletedSecret{}, ErrNotFound
	}
	return e.asDeleted(), nil
}

// ListDeleted returns a page of soft-deleted secrets in name order.
func (s *Store) ListDeleted(after string, limit int) (page []DeletedSecret, next string) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.deleted {
		s.deletedLocked(k, now)
	}
	keys, next := pageOf(s.deleted, after, limit)
	for _, k := range keys {
		page = append(page, s.deleted[k].asDeleted())
	}
	return page, next
}

// Recover brings a soft-deleted secret back with all its versions and returns
// its latest version.
func (s *Store) Recover(name string) (Secret, error) {
	now := s.clock.Now()
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.deletedLocked(k, now)
	if !ok {
		return Secret{}, ErrNotFound
	}
	delete(s.deleted, k)
	e.deletedAt, e.purgeAt = time.Time{}, time.Time{}
	s.live[k] = e
	return e.versions[e.latest].clone(), nil
}

// Purge removes a soft-deleted secret for good: ErrPurgeProtected in a vault
// with purge protection, where only the end of the retention removes it.
func (s *Store) Purge(name string) error {
	now := s.clock.Now()
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.deletedLocked(k, now); !ok {
		return ErrNotFound
	}
	if !s.deletion.Purgeable() {
		return ErrPurgeProtected
	}
	delete(s.deleted, k)
	return nil
}

// pageOf returns up to limit keys of m in order (all if limit <= 0), after the
// key after, and the key to continue after when more remain.
func pageOf[V any](m map[string]V, after string, limit int) (keys []string, next string) {
	all := make([]string, 0, len(m))
	for k := range m {
		if k > after {
			all = append(all, k)
		}
	}
	sort.Strings(all)
	if limit <= 0 || len(all) <= limit {
		return all, ""
	}
	return all[:limit], all[limit-1]
}
