package store

import (
	"fmt"
	"time"
)

// Backup returns a live secret with every version, for a backup blob (Key
// Vault backs up all versions of a secret). The entry has no deletion dates.
func (s *Store) Backup(name string) (SecretEntryState, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok {
		return SecretEntryState{}, ErrNotFound
	}
	return entriesState(map[string]*entry{key(name): e})[0], nil
}

// RestoreBackup brings back a backed-up secret with its versions, version ids
// and attributes as they were, and returns its latest version. The name must
// be free: ErrExists when a live secret has it, ErrDeleted when a deleted
// one does (it must be purged first, as in Key Vault). An inconsistent entry
// (which only a forged blob can hold) is an error naming what is wrong.
func (s *Store) RestoreBackup(es SecretEntryState) (Secret, error) {
	es.DeletedAt, es.PurgeAt = time.Time{}, time.Time{}
	m, err := entriesFromState("backed-up", []SecretEntryState{es})
	if err != nil {
		return Secret{}, err
	}
	k := key(es.Name)
	e := m[k]
	for _, v := range e.versions {
		if !validVersion(v.Version) {
			return Secret{}, fmt.Errorf("backed-up secret %q: version %q is not a version id", es.Name, v.Version)
		}
	}
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.live[k]; ok {
		return Secret{}, ErrExists
	}
	if _, ok := s.deletedLocked(k, now); ok {
		return Secret{}, ErrDeleted
	}
	s.live[k] = e
	return e.versions[e.latest].clone(), nil
}

// validVersion reports whether v looks like the store's version ids: 32
// lowercase hex digits.
func validVersion(v string) bool {
	if len(v) != 32 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
