package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/clock"
)

var certT0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func selfPolicy() CertPolicy {
	return CertPolicy{Issuer: &CertIssuerParams{Name: "Self"}, X509Props: &CertX509Props{Subject: "CN=a"}}
}

// TestCertsPendingThenComplete: a first version is pending (and the
// latest) until completed; a later pending version leaves the completed one
// the latest; a second create while one is in progress is ErrPending.
func TestCertsPendingThenComplete(t *testing.T) {
	s := NewCerts(clock.NewFake(certT0))
	op, err := s.Begin("Web", selfPolicy(), NewVersion{}, CertOperation{RequestID: "r1", CSR: []byte{1}, Key: []byte{2}})
	require.NoError(t, err)
	assert.Equal(t, OpInProgress, op.Status)
	c, _, err := s.Get("web", "")
	require.NoError(t, err)
	assert.True(t, c.Pending())
	assert.Equal(t, "Web", c.Name, "the name keeps its first spelling")
	page, _ := s.List("", 0, false)
	assert.Empty(t, page, "pending certificates are listed only with includePending")
	page, _ = s.List("", 0, true)
	assert.Len(t, page, 1)
	_, err = s.Begin("web", selfPolicy(), NewVersion{}, CertOperation{})
	assert.ErrorIs(t, err, ErrPending)

	done, err := s.Complete("web", []byte("der"), 10, 20)
	require.NoError(t, err)
	assert.Equal(t, op.Version, done.Version)
	assert.Equal(t, int64(20), *done.Attributes.Expires)
	got, err := s.Operation("web")
	require.NoError(t, err)
	assert.Equal(t, OpCompleted, got.Status)
	assert.Nil(t, got.Key, "a completed operation forgets the key")
	_, err = s.Complete("web", []byte("der"), 10, 20)
	assert.ErrorIs(t, err, ErrNoOperation)

	op2, err := s.Begin("web", selfPolicy(), NewVersion{}, CertOperation{})
	require.NoError(t, err)
	latest, _, err := s.Get("web", "")
	require.NoError(t, err)
	assert.Equal(t, done.Version, latest.Version, "a renewal in progress does not hide the completed version")
	cancelled, err := s.CancelOperation("web", true)
	require.NoError(t, err)
	assert.True(t, cancelled.CancellationRequested)
	assert.Equal(t, OpInProgress, cancelled.Status)
	_, err = s.DeleteOperation("web")
	require.NoError(t, err)
	_, err = s.Operation("web")
	assert.ErrorIs(t, err, ErrNotFound)
	versions, _, err := s.Versions("web", "", 0)
	require.NoError(t, err)
	assert.Len(t, versions, 2, "the deleted operation's version stays, without a certificate")
	assert.Contains(t, []string{versions[0].Version, versions[1].Version}, op2.Version)
}

// TestCertsDeleteRecoverPurgeRetention: the deleted certificate is kept for
// the retention given and purged by the clock after it.
func TestCertsDeleteRecoverPurgeRetention(t *testing.T) {
	clk := clock.NewFake(certT0)
	s := NewCerts(clk)
	_, err := s.Add("c", selfPolicy(), NewVersion{CER: []byte("der")})
	require.NoError(t, err)
	d, err := s.Delete("c", 7*24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, certT0.Add(7*24*time.Hour).Unix(), d.ScheduledPurgeDate)
	_, err = s.Add("c", selfPolicy(), NewVersion{CER: []byte("der")})
	assert.ErrorIs(t, err, ErrDeleted)
	_, _, err = s.Recover("c")
	require.NoError(t, err)
	_, err = s.Delete("c", 7*24*time.Hour)
	require.NoError(t, err)
	clk.Advance(7 * 24 * time.Hour)
	_, err = s.GetDeleted("c")
	assert.ErrorIs(t, err, ErrNotFound, "retention over: purged")
	assert.ErrorIs(t, s.Purge("c"), ErrNotFound)
}

// TestCertsStateRoundTrip: Snapshot and Restore keep everything, and a
// backup (Export) imports once, then conflicts.
func TestCertsStateRoundTrip(t *testing.T) {
	s := NewCerts(clock.NewFake(certT0))
	_, err := s.Add("c", selfPolicy(), NewVersion{CER: []byte("der"), Tags: map[string]string{"a": "b"}})
	require.NoError(t, err)
	_, err = s.Begin("p", selfPolicy(), NewVersion{}, CertOperation{Key: []byte{1}})
	require.NoError(t, err)
	_, err = s.Add("d", selfPolicy(), NewVersion{CER: []byte("x")})
	require.NoError(t, err)
	_, err = s.Delete("d", time.Hour)
	require.NoError(t, err)
	s.SetContacts([]Contact{{Email: "e"}})
	s.SetIssuer("i", IssuerUpdate{Provider: ptr("Test")})

	st := s.Snapshot()
	r := NewCerts(clock.NewFake(certT0))
	require.NoError(t, r.Restore(st))
	assert.Equal(t, st, r.Snapshot())
	op, err := r.Operation("p")
	require.NoError(t, err)
	assert.Equal(t, []byte{1}, op.Key)

	b, err := s.Export("c")
	require.NoError(t, err)
	_, _, err = r.Import(b)
	assert.ErrorIs(t, err, ErrExists)
	require.NoError(t, s.Purge("d"))
	_, err = s.Delete("c", time.Hour)
	require.NoError(t, err)
	_, _, err = s.Import(b)
	assert.ErrorIs(t, err, ErrDeleted)
	require.NoError(t, s.Purge("c"))
	c, _, err := s.Import(b)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "b"}, c.Tags)

	bad := st
	bad.Live = append(bad.Live, CertEntryState{Name: "x", Latest: "nope", Versions: []Cert{{Version: "v"}}})
	assert.Error(t, r.Restore(bad))
}
