package store

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

func TestKeysKeepVersionsSpecsAndSoftDeletes(t *testing.T) {
	s := NewKeys(nil)
	pk, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	spec := limits.KeySpec{Type: limits.EC, HSM: true}
	k1, err := s.Create("Signer", Key{Kty: "EC-HSM", Curve: "P-256", Spec: spec, Private: pk, Enabled: true})
	require.NoError(t, err)
	k2, err := s.Create("signer", Key{Kty: "EC-HSM", Curve: "P-256", Spec: spec, Private: pk, Enabled: true})
	require.NoError(t, err)
	assert.Equal(t, "Signer", k2.Name, "names keep the case they were created with")
	assert.NotEqual(t, k1.Version, k2.Version)
	latest, err := s.Get("SIGNER", "")
	require.NoError(t, err)
	assert.Equal(t, k2.Version, latest.Version)
	old, err := s.Get("signer", k1.Version)
	require.NoError(t, err)
	assert.Equal(t, k1.Version, old.Version)
	got, ok := s.Spec("signer")
	require.True(t, ok)
	assert.Equal(t, spec, got)

	page, next := s.List("", 10)
	require.Len(t, page, 1)
	assert.Empty(t, next)
	d, err := s.Delete("signer")
	require.NoError(t, err)
	assert.Equal(t, k2.Version, d.Version)
	got, ok = s.Spec("signer")
	assert.True(t, ok, "a deleted key keeps its row: get, recover and purge of it count against it")
	assert.Equal(t, spec, got)
	_, ok = s.Spec("nope")
	assert.False(t, ok, "a key that does not exist has no row: requests on it use no quota")
	_, err = s.Create("signer", Key{Spec: spec, Private: pk})
	assert.True(t, errors.Is(err, ErrDeleted))
	_, err = s.Get("nope", "")
	assert.True(t, errors.Is(err, ErrNotFound))
}
