package store

import (
	"crypto"
	"sort"
	"strings"
	"sync"

	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/limits"
)

// Key is one version of a key. Private holds real key material
// (*rsa.PrivateKey or *ecdsa.PrivateKey); "HSM" keys (kty RSA-HSM, EC-HSM) are
// software keys that the quota classes as HSM.
type Key struct {
	Name, Version string
	// Kty is as created: RSA, RSA-HSM, EC or EC-HSM.
	Kty   string
	Size  int    // RSA only
	Curve string // EC only
	Ops   []string
	// Spec is the key's row of the limits tables.
	Spec    limits.KeySpec
	Private crypto.Signer
	Enabled bool
	Created int64
	Updated int64
	Tags    map[string]string
	// Managed is true for the key a certificate owns (certowned.go).
	Managed bool `json:",omitempty"`
}

// DeletedKey is a soft-deleted key.
type DeletedKey struct {
	Key
	DeletedDate, ScheduledPurgeDate int64
}

type keyEntry struct {
	name     string
	versions map[string]*Key
	latest   string
}

// Keys is a vault's keys. It is safe for concurrent use.
type Keys struct {
	clock clock.Clock

	mu      sync.RWMutex
	live    map[string]*keyEntry
	deleted map[string]*keyEntry
}

// NewKeys returns an empty key store reading time from clk.
func NewKeys(clk clock.Clock) *Keys {
	if clk == nil {
		clk = clock.Real()
	}
	return &Keys{clock: clk, live: map[string]*keyEntry{}, deleted: map[string]*keyEntry{}}
}

// Create adds a new version of name holding k's material and returns it.
func (s *Keys) Create(name string, k Key) (Key, error) {
	now := s.clock.Now().Unix()
	kk := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.deleted[kk]; ok {
		return Key{}, ErrDeleted
	}
	e, ok := s.live[kk]
	if !ok {
		e = &keyEntry{name: name, versions: map[string]*Key{}}
		s.live[kk] = e
	}
	v := newVersion()
	for e.versions[v] != nil {
		v = newVersion()
	}
	k.Name, k.Version, k.Created, k.Updated = e.name, v, now, now
	k.Tags = cloneTags(k.Tags)
	e.versions[v] = &k
	e.latest = v
	return k, nil
}

// Get returns a version of a live key; version "" is the latest.
func (s *Keys) Get(name, version string) (Key, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
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
	return *k, nil
}

// Spec returns the limits row of a live key (its latest version), for the
// quota.
func (s *Keys) Spec(name string) (limits.KeySpec, bool) {
	k, err := s.Get(name, "")
	return k.Spec, err == nil
}

// List returns up to limit live keys (latest versions) after the key after,
// in name order, and the key to continue from ("" at the end).
func (s *Keys) List(after string, limit int) (page []Key, next string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names, next := pageOf(s.live, after, limit)
	for _, n := range names {
		e := s.live[n]
		page = append(page, *e.versions[e.latest])
	}
	return page, next
}

// Delete soft-deletes a key with all its versions.
func (s *Keys) Delete(name string) (DeletedKey, error) {
	now := s.clock.Now()
	kk := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[kk]
	if !ok {
		return DeletedKey{}, ErrNotFound
	}
	delete(s.live, kk)
	s.deleted[kk] = e
	return DeletedKey{Key: *e.versions[e.latest], DeletedDate: now.Unix(), ScheduledPurgeDate: now.Add(Retention).Unix()}, nil
}

// Names lists the live keys' names, sorted (for tests and diagnostics).
func (s *Keys) Names() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.live))
	for _, e := range s.live {
		out = append(out, e.name)
	}
	sort.Strings(out)
	return out
}
