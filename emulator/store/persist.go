package store

import (
	"crypto"
	"fmt"
	"maps"
	"slices"
	"time"
)

// SecretsState is everything a Store holds, in a form that encodes to JSON:
// what `kvquota emulate --data DIR` writes so that a restart keeps the vault's
// secrets (package emulator does the file handling). Entries are in name
// order so that two snapshots of one store are byte-for-byte equal.
type SecretsState struct {
	Live    []SecretEntryState `json:"live"`
	Deleted []SecretEntryState `json:"deleted"`
}

// SecretEntryState is one secret with every version; DeletedAt and PurgeAt
// are set for a soft-deleted one.
type SecretEntryState struct {
	Name      string    `json:"name"`
	Latest    string    `json:"latest"`
	Versions  []Secret  `json:"versions"`
	DeletedAt time.Time `json:"deletedAt,omitzero"`
	PurgeAt   time.Time `json:"purgeAt,omitzero"`
}

// Snapshot copies the store's state. It holds the read lock only while
// copying, so requests wait no longer than the copy takes.
func (s *Store) Snapshot() SecretsState {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return SecretsState{Live: entriesState(s.live), Deleted: entriesState(s.deleted)}
}

func entriesState(m map[string]*entry) []SecretEntryState {
	keys := slices.Sorted(maps.Keys(m))
	out := make([]SecretEntryState, 0, len(keys))
	for _, k := range keys {
		e := m[k]
		ids := slices.Sorted(maps.Keys(e.versions))
		es := SecretEntryState{Name: e.name, Latest: e.latest, DeletedAt: e.deletedAt, PurgeAt: e.purgeAt}
		for _, id := range ids {
			es.Versions = append(es.Versions, e.versions[id].clone())
		}
		out = append(out, es)
	}
	return out
}

// Restore replaces the store's contents with st. It checks st first (every
// entry has a name and versions, its latest version among them, no name twice)
// and leaves the store as it was if st is inconsistent, so a damaged file is
// an error rather than a half-loaded vault.
func (s *Store) Restore(st SecretsState) error {
	live, err := entriesFromState("live", st.Live)
	if err != nil {
		return err
	}
	deleted, err := entriesFromState("deleted", st.Deleted)
	if err != nil {
		return err
	}
	for k := range deleted {
		if _, ok := live[k]; ok {
			return fmt.Errorf("secret %q is both live and deleted", deleted[k].name)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live, s.deleted = live, deleted
	return nil
}

func entriesFromState(what string, in []SecretEntryState) (map[string]*entry, error) {
	out := make(map[string]*entry, len(in))
	for i, es := range in {
		if es.Name == "" || len(es.Versions) == 0 {
			return nil, fmt.Errorf("%s secret %d: no name or no versions", what, i)
		}
		k := key(es.Name)
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%s secret %q appears twice", what, es.Name)
		}
		e := &entry{name: es.Name, latest: es.Latest, versions: make(map[string]*Secret, len(es.Versions)),
			deletedAt: es.DeletedAt, purgeAt: es.PurgeAt}
		for _, v := range es.Versions {
			if v.Version == "" {
				return nil, fmt.Errorf("%s secret %q: a version without an id", what, es.Name)
			}
			c := v.clone()
			c.Name = es.Name
			e.versions[v.Version] = &c
		}
		if e.versions[e.latest] == nil {
			return nil, fmt.Errorf("%s secret %q: latest version %q is not among its versions", what, es.Name, es.Latest)
		}
		out[k] = e
	}
	return out, nil
}

// KeysState is everything a Keys store holds. Key material is kept once per
// distinct private key (Materials), since keys made with
// Config.ReuseKeyMaterial share one pair; each version names its material by
// index. The material's encoding is the caller's (package emulator knows the
// key types, including its own P-256K keys).
type KeysState struct {
	Materials [][]byte        `json:"materials"`
	Live      []KeyEntryState `json:"live"`
	Deleted   []KeyEntryState `json:"deleted"`
}

// KeyEntryState is one key with every version, its rotation policy, and
// for a soft-deleted one when it was deleted and is purged.
type KeyEntryState struct {
	Name      string          `json:"name"`
	Latest    string          `json:"latest"`
	Versions  []KeyState      `json:"versions"`
	Policy    *RotationPolicy `json:"rotationPolicy,omitempty"`
	DeletedAt time.Time       `json:"deletedAt,omitzero"`
	PurgeAt   time.Time       `json:"purgeAt,omitzero"`
}

// KeyState is a key version without its material, which is Material, an
// index into KeysState.Materials.
type KeyState struct {
	Key
	Private  struct{} `json:"-"` // hides Key.Private from encoding
	Material int      `json:"material"`
}

// Snapshot copies the key store's state, encoding each distinct private key
// once with enc. It holds the read lock while copying and encoding.
func (s *Keys) Snapshot(enc func(crypto.Signer) ([]byte, error)) (KeysState, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := KeysState{}
	index := map[crypto.Signer]int{}
	var err error
	entries := func(m map[string]*keyEntry) []KeyEntryState {
		names := slices.Sorted(maps.Keys(m))
		out := make([]KeyEntryState, 0, len(names))
		for _, n := range names {
			e := m[n]
			ids := slices.Sorted(maps.Keys(e.versions))
			es := KeyEntryState{Name: e.name, Latest: e.latest, DeletedAt: e.deletedAt, PurgeAt: e.purgeAt}
			if e.policy != nil {
				p := e.policy.clone()
				es.Policy = &p
			}
			for _, id := range ids {
				k := e.versions[id]
				i, ok := index[k.Private]
				if !ok {
					b, eerr := enc(k.Private)
					if eerr != nil && err == nil {
						err = fmt.Errorf("key %q version %s: %w", e.name, id, eerr)
					}
					i = len(st.Materials)
					index[k.Private] = i
					st.Materials = append(st.Materials, b)
				}
				ks := KeyState{Key: *k, Material: i}
				ks.Key.Private = nil
				ks.Key.Tags = maps.Clone(k.Tags)
				ks.Key.Ops = append([]string(nil), k.Ops...)
				es.Versions = append(es.Versions, ks)
			}
			out = append(out, es)
		}
		return out
	}
	st.Live = entries(s.live)
	st.Deleted = entries(s.deleted)
	if err != nil {
		return KeysState{}, err
	}
	return st, nil
}

// Restore replaces the key store's contents with st, decoding each material
// once with dec. Like Store.Restore it checks everything first and leaves the
// store untouched on error.
func (s *Keys) Restore(st KeysState, dec func([]byte) (crypto.Signer, error)) error {
	mats := make([]crypto.Signer, len(st.Materials))
	for i, b := range st.Materials {
		k, err := dec(b)
		if err != nil {
			return fmt.Errorf("key material %d: %w", i, err)
		}
		mats[i] = k
	}
	entries := func(what string, in []KeyEntryState) (map[string]*keyEntry, error) {
		out := make(map[string]*keyEntry, len(in))
		for i, es := range in {
			if es.Name == "" || len(es.Versions) == 0 {
				return nil, fmt.Errorf("%s key %d: no name or no versions", what, i)
			}
			k := key(es.Name)
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("%s key %q appears twice", what, es.Name)
			}
			e := &keyEntry{name: es.Name, latest: es.Latest, versions: make(map[string]*Key, len(es.Versions)),
				deletedAt: es.DeletedAt, purgeAt: es.PurgeAt}
			if es.Policy != nil {
				p := es.Policy.clone()
				e.policy = &p
			}
			for _, ks := range es.Versions {
				if ks.Material < 0 || ks.Material >= len(mats) {
					return nil, fmt.Errorf("%s key %q version %s: material %d does not exist", what, es.Name, ks.Version, ks.Material)
				}
				if ks.Version == "" {
					return nil, fmt.Errorf("%s key %q: a version without an id", what, es.Name)
				}
				kv := ks.Key
				kv.Name = es.Name
				kv.Private = mats[ks.Material]
				kv.Tags = maps.Clone(ks.Tags)
				e.versions[kv.Version] = &kv
			}
			if e.versions[e.latest] == nil {
				return nil, fmt.Errorf("%s key %q: latest version %q is not among its versions", what, es.Name, es.Latest)
			}
			out[k] = e
		}
		return out, nil
	}
	live, err := entries("live", st.Live)
	if err != nil {
		return err
	}
	deleted, err := entries("deleted", st.Deleted)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	for _, e := range deleted {
		if e.purgeAt.IsZero() { // a state file from before deleted keys had dates
			e.deletedAt, e.purgeAt = now, now.Add(s.deletion.Retention())
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live, s.deleted = live, deleted
	s.rescheduleLocked()
	return nil
}
