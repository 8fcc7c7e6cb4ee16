package store

import "time"

// The lifecycle of a certificate beyond its versions: its policy, its
// creation operation, soft delete, recovery and purge.

// Policy returns a live certificate's policy.
func (s *Certs) Policy(name string) (CertPolicy, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok {
		return CertPolicy{}, ErrNotFound
	}
	return e.policy.Clone(), nil
}

// SetPolicy replaces a live certificate's policy with what update makes of
// the current one.
func (s *Certs) SetPolicy(name string, update func(CertPolicy) CertPolicy) (CertPolicy, error) {
	now := s.clock.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[key(name)]
	if !ok {
		return CertPolicy{}, ErrNotFound
	}
	e.setPolicy(update(e.policy.Clone()), now)
	return e.policy.Clone(), nil
}

// Operation returns a live certificate's creation operation.
func (s *Certs) Operation(name string) (CertOperation, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.live[key(name)]
	if !ok || e.op == nil {
		return CertOperation{}, ErrNotFound
	}
	return cloneOp(e.op), nil
}

// CancelOperation records a cancellation request on the operation in
// progress. As in Key Vault's own example (UpdateCertificateOperation), the
// operation stays inProgress with cancellation_requested set: an Unknown
// issuer has nothing to call off, and a merge may still complete it.
func (s *Certs) CancelOperation(name string, cancel bool) (CertOperation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[key(name)]
	if !ok || e.op == nil {
		return CertOperation{}, ErrNotFound
	}
	if e.op.Status == OpInProgress && cancel {
		e.op.CancellationRequested = true
	}
	return cloneOp(e.op), nil
}

// DeleteOperation removes the creation operation and answers it as it was.
// A version it left pending stays, without a certificate.
func (s *Certs) DeleteOperation(name string) (CertOperation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[key(name)]
	if !ok || e.op == nil {
		return CertOperation{}, ErrNotFound
	}
	op := cloneOp(e.op)
	e.op = nil
	return op, nil
}

// Delete soft-deletes a certificate with all its versions, its policy and
// operation, to be kept for retention.
func (s *Certs) Delete(name string, retention time.Duration) (DeletedCert, error) {
	now := s.clock.Now()
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live[k]
	if !ok {
		return DeletedCert{}, ErrNotFound
	}
	delete(s.live, k)
	e.deletedAt, e.purgeAt = now, now.Add(retention)
	s.deleted[k] = e
	return e.asDeleted(), nil
}

func (e *certEntry) asDeleted() DeletedCert {
	return DeletedCert{Cert: e.versions[e.latest].clone(), Policy: e.policy.Clone(),
		DeletedDate: e.deletedAt.Unix(), ScheduledPurgeDate: e.purgeAt.Unix()}
}

// GetDeleted returns a soft-deleted certificate.
func (s *Certs) GetDeleted(name string) (DeletedCert, error) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.deletedLocked(key(name), now)
	if !ok {
		return DeletedCert{}, ErrNotFound
	}
	return e.asDeleted(), nil
}

// ListDeleted returns a page of soft-deleted certificates in name order.
func (s *Certs) ListDeleted(after string, limit int) (page []DeletedCert, next string) {
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

// Recover brings a soft-deleted certificate back and returns its latest
// version and policy.
func (s *Certs) Recover(name string) (Cert, CertPolicy, error) {
	now := s.clock.Now()
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.deletedLocked(k, now)
	if !ok {
		return Cert{}, CertPolicy{}, ErrNotFound
	}
	delete(s.deleted, k)
	e.deletedAt, e.purgeAt = time.Time{}, time.Time{}
	s.live[k] = e
	return e.versions[e.latest].clone(), e.policy.Clone(), nil
}

// Purge removes a soft-deleted certificate for good.
func (s *Certs) Purge(name string) error {
	now := s.clock.Now()
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.deletedLocked(k, now); !ok {
		return ErrNotFound
	}
	delete(s.deleted, k)
	return nil
}
