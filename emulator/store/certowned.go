package store

import "time"

// The key and the secret a certificate owns. In Key Vault every certificate
// version is backed by a key version and a secret version of the same name
// and version id (the certificate's kid and sid), both marked managed. The
// certificate operations put them here with the certificate's version id and
// move them with the certificate through delete, recover and purge.

// PutOwned adds version of name holding k, as the key of a certificate
// version, and makes it the latest.
func (s *Keys) PutOwned(name, version string, k Key) Key {
	now := s.clock.Now().Unix()
	kk := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[kk]
	if !ok {
		e = &keyEntry{name: name, versions: map[string]*Key{}}
		s.live[kk] = e
	}
	k.Name, k.Version, k.Managed = e.name, version, true
	if k.Created == 0 {
		k.Created, k.Updated = now, now
	}
	k.Tags = cloneTags(k.Tags)
	e.versions[version] = &k
	e.latest = version
	return k
}

// DeleteOwned soft-deletes the key of a deleted certificate (a no-op when it
// has none).
func (s *Keys) DeleteOwned(name string) {
	now := s.clock.Now()
	kk := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.live[kk]; ok {
		delete(s.live, kk)
		e.deletedAt, e.purgeAt = now, now.Add(s.deletion.Retention())
		s.deleted[kk] = e
	}
}

// RecoverOwned brings back the key of a recovered certificate.
func (s *Keys) RecoverOwned(name string) {
	kk := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.deleted[kk]; ok {
		delete(s.deleted, kk)
		e.deletedAt, e.purgeAt = time.Time{}, time.Time{}
		s.live[kk] = e
	}
}

// PurgeOwned removes the key of a purged certificate for good.
func (s *Keys) PurgeOwned(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.deleted, key(name))
}

// SetOwned adds version of name as the secret of a certificate version and
// makes it the latest.
func (s *Store) SetOwned(name, version string, p SetParams) Secret {
	now := s.clock.Now()
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[k]
	if !ok {
		e = &entry{name: name, versions: map[string]*Secret{}}
		s.live[k] = e
	}
	enabled := p.Enabled == nil || *p.Enabled
	sec := &Secret{Name: e.name, Version: version, Value: p.Value, ContentType: p.ContentType, Managed: true,
		Tags: cloneTags(p.Tags),
		Attributes: Attributes{Enabled: enabled, NotBefore: clonePtr(p.NotBefore), Expires: clonePtr(p.Expires),
			Created: now.Unix(), Updated: now.Unix()}}
	e.versions[version] = sec
	e.latest = version
	return sec.clone()
}

// DeleteOwned, RecoverOwned and PurgeOwned move the secret of a certificate
// with it; unlike Delete, Recover and Purge they do nothing for a name the
// store does not hold.
func (s *Store) DeleteOwned(name string, retention time.Duration) {
	now := s.clock.Now()
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.live[k]; ok {
		delete(s.live, k)
		e.deletedAt, e.purgeAt = now, now.Add(retention)
		s.deleted[k] = e
	}
}

// RecoverOwned: see DeleteOwned.
func (s *Store) RecoverOwned(name string) {
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.deleted[k]; ok {
		delete(s.deleted, k)
		e.deletedAt, e.purgeAt = time.Time{}, time.Time{}
		s.live[k] = e
	}
}

// PurgeOwned: see DeleteOwned.
func (s *Store) PurgeOwned(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.deleted, key(name))
}

// OwnedVersions returns every version of a live key, for a certificate's
// backup.
func (s *Keys) OwnedVersions(name string) []Key {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok {
		return nil
	}
	out := make([]Key, 0, len(e.versions))
	for _, id := range sortedKeys(e.versions) {
		out = append(out, *e.versions[id])
	}
	return out
}

// OwnedVersions returns every version of a live secret, for a
// certificate's backup.
func (s *Store) OwnedVersions(name string) []Secret {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok {
		return nil
	}
	out := make([]Secret, 0, len(e.versions))
	for _, id := range sortedKeys(e.versions) {
		out = append(out, e.versions[id].clone())
	}
	return out
}

// RestoreOwned puts back the secret versions of a restored certificate as
// they were backed up; latest names the certificate's latest version.
func (s *Store) RestoreOwned(name, latest string, versions []Secret) {
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	e := &entry{name: name, versions: map[string]*Secret{}}
	for _, v := range versions {
		c := v.clone()
		c.Name, c.Managed = name, true
		e.versions[c.Version] = &c
	}
	if e.versions[latest] == nil {
		return
	}
	e.latest = latest
	s.live[k] = e
}

func sortedKeys[V any](m map[string]V) []string {
	keys, _ := pageOf(m, "", 0)
	return keys
}
