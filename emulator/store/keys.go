package store

import (
	"crypto"
	"maps"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
	// NotBefore and Expires are Unix seconds, nil when unset.
	NotBefore *int64 `json:",omitempty"`
	Expires   *int64 `json:",omitempty"`
	// Exportable is attributes.exportable: whether the private key may be
	// released (with an attestation, which the emulator does not offer).
	Exportable bool `json:",omitempty"`
	Created    int64
	Updated    int64
	Tags       map[string]string
	// Managed is true for the key a certificate owns (certowned.go).
	Managed bool `json:",omitempty"`
}

// clone copies k so that callers never share the store's slices and maps.
func (k *Key) clone() Key {
	c := *k
	c.Tags = maps.Clone(k.Tags) // an empty map stays empty: tags {} are kept
	c.Ops = append([]string(nil), k.Ops...)
	c.NotBefore, c.Expires = clonePtr(k.NotBefore), clonePtr(k.Expires)
	return c
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
	// deletedAt and purgeAt are set while the key is soft-deleted.
	deletedAt, purgeAt time.Time
	// policy is the key's rotation policy, nil until one is set.
	policy *RotationPolicy
}

// Keys is a vault's keys. It is safe for concurrent use.
type Keys struct {
	clock    clock.Clock
	deletion DeletionPolicy

	mu      sync.RWMutex
	live    map[string]*keyEntry
	deleted map[string]*keyEntry
	// rotateAt is the earliest time a rotation policy's Rotate action falls
	// due (Unix nanoseconds; 0 for none), so that RotateDue costs one atomic
	// load on the request path.
	rotateAt atomic.Int64
}

// NewKeys returns an empty key store reading time from clk.
func NewKeys(clk clock.Clock) *Keys {
	if clk == nil {
		clk = clock.Real()
	}
	return &Keys{clock: clk, live: map[string]*keyEntry{}, deleted: map[string]*keyEntry{}}
}

// UseDeletion sets the vault's soft-delete policy (retention, purge
// protection). Call it before the store is used.
func (s *Keys) UseDeletion(d DeletionPolicy) { s.deletion = d }

// Create adds a new version of name holding k's material and returns it.
// A key with a rotation policy gets the policy's expiry.
func (s *Keys) Create(name string, k Key) (Key, error) {
	now := s.clock.Now()
	kk := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.deletedLocked(kk, now); ok {
		return Key{}, ErrDeleted
	}
	e, ok := s.live[kk]
	if !ok {
		e = &keyEntry{name: name, versions: map[string]*Key{}}
		s.live[kk] = e
	}
	return s.addVersionLocked(e, k, now), nil
}

// addVersionLocked stores k as e's new latest version.
func (s *Keys) addVersionLocked(e *keyEntry, k Key, now time.Time) Key {
	v := newVersion()
	for e.versions[v] != nil {
		v = newVersion()
	}
	k.Name, k.Version, k.Created, k.Updated = e.name, v, now.Unix(), now.Unix()
	if k.Expires == nil && e.policy != nil {
		if d, err := ParseDuration(e.policy.ExpiryTime); e.policy.ExpiryTime != "" && err == nil {
			exp := addDuration(now, d).Unix()
			k.Expires = &exp
		}
	}
	c := k.clone()
	e.versions[v] = &c
	e.latest = v
	s.scheduleLocked(e)
	return k.clone()
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
	return k.clone(), nil
}

// Spec returns the limits row of a key (its latest version), live or
// soft-deleted, for the quota.
func (s *Keys) Spec(name string) (limits.KeySpec, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok {
		e, ok = s.deleted[key(name)]
	}
	if !ok {
		return limits.KeySpec{}, false
	}
	return e.versions[e.latest].Spec, true
}

// List returns up to limit live keys (latest versions) after the key after,
// in name order, and the key to continue from ("" at the end).
func (s *Keys) List(after string, limit int) (page []Key, next string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names, next := pageOf(s.live, after, limit)
	for _, n := range names {
		e := s.live[n]
		page = append(page, e.versions[e.latest].clone())
	}
	return page, next
}

// Delete soft-deletes a key with all its versions, for the retention of the
// vault's deletion policy.
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
	e.deletedAt, e.purgeAt = now, now.Add(s.deletion.Retention())
	s.deleted[kk] = e
	return e.asDeleted(), nil
}

func (e *keyEntry) asDeleted() DeletedKey {
	return DeletedKey{Key: e.versions[e.latest].clone(), DeletedDate: e.deletedAt.Unix(), ScheduledPurgeDate: e.purgeAt.Unix()}
}

// deletedLocked returns the deleted entry for k, purging it first if its
// retention has run out (Key Vault purges it then).
func (s *Keys) deletedLocked(k string, now time.Time) (*keyEntry, bool) {
	e, ok := s.deleted[k]
	if ok && !now.Before(e.purgeAt) {
		delete(s.deleted, k)
		return nil, false
	}
	return e, ok
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
