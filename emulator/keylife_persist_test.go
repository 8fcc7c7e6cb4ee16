package emulator

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPersistKeepsTheKeyLifecycle: deleted keys (with their dates),
// versions, rotation policies and the backup key survive a restart.
func TestPersistKeepsTheKeyLifecycle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newEnv(t, Config{DataDir: dir, Deletion: DeletionPolicy{RetentionDays: 30}})
	keyOK(t, e, http.MethodPost, "/keys/k/create", map[string]any{"kty": "EC"})
	v2 := keyOK(t, e, http.MethodPost, "/keys/k/create", map[string]any{"kty": "EC"})
	policy := map[string]any{"lifetimeActions": []any{map[string]any{"trigger": map[string]any{"timeAfterCreate": "P60D"}, "action": map[string]any{"type": "Rotate"}}}}
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/keys/k/rotationpolicy", policy).Code)
	keyOK(t, e, http.MethodPost, "/keys/gone/create", map[string]any{"kty": "RSA"})
	w := e.call(http.MethodDelete, "/keys/gone", nil)
	require.Equal(t, http.StatusOK, w.Code)
	deleted := decode[map[string]any](t, w)
	keyOK(t, e, http.MethodPost, "/keys/b/create", map[string]any{"kty": "EC"})
	w = e.call(http.MethodPost, "/keys/b/backup", nil)
	require.Equal(t, http.StatusOK, w.Code)
	blob := decode[map[string]string](t, w)["value"]
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/keys/b", nil).Code)
	require.Equal(t, http.StatusNoContent, e.call(http.MethodDelete, "/deletedkeys/b", nil).Code)
	require.NoError(t, e.v.Close())

	e = newEnv(t, Config{DataDir: dir, Deletion: DeletionPolicy{RetentionDays: 30}})
	t.Cleanup(func() { _ = e.v.Close() })
	w = e.call(http.MethodGet, "/deletedkeys/gone", nil)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	again := decode[map[string]any](t, w)
	assert.Equal(t, deleted["deletedDate"], again["deletedDate"])
	assert.Equal(t, deleted["scheduledPurgeDate"], again["scheduledPurgeDate"])
	w = e.call(http.MethodGet, "/keys/k/versions", nil)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), v2.Key.Kid)
	w = e.call(http.MethodGet, "/keys/k/rotationpolicy", nil)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), `"timeAfterCreate":"P60D"`)
	w = e.call(http.MethodPost, "/keys/restore", map[string]string{"value": blob})
	assert.Equal(t, http.StatusOK, w.Code, "a blob made before the restart restores after it: %s", w.Body.String())

	// The kept policy still rotates on the clock.
	e.advance(61 * 24 * 60 * 60 * 1e9)
	assert.NotEqual(t, v2.Key.Kid, keyOK(t, e, http.MethodGet, "/keys/k", nil).Key.Kid)
}

// TestPersistReadsVersion1Files: a state file from before the key lifecycle
// (format version 1) still loads.
func TestPersistReadsVersion1Files(t *testing.T) {
	dir := t.TempDir()
	v1 := `{"format":"kvquota-emulator-state","version":1,"saved":"2026-01-01T00:00:00Z",` +
		`"secrets":{"live":[{"name":"s","latest":"00000000000000000000000000000001","versions":[{"Name":"s","Version":"00000000000000000000000000000001","Value":"old","Attributes":{"Enabled":true}}]}],"deleted":[]},` +
		`"keys":{"materials":[],"live":[],"deleted":[]}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, StateFile), []byte(v1), 0o600))
	e := newEnv(t, Config{DataDir: dir})
	t.Cleanup(func() { _ = e.v.Close() })
	w := e.call(http.MethodGet, "/secrets/s", nil)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `"value":"old"`)
}
