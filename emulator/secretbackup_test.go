package emulator

import (
	"encoding/base64"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
)

// backupOf backs secret name up and returns the blob.
func (e *env) backupOf(name string) string {
	e.t.Helper()
	w := e.call(http.MethodPost, "/secrets/"+name+"/backup", nil)
	require.Equal(e.t, http.StatusOK, w.Code, w.Body.String())
	return decode[backupValue](e.t, w).Value
}

func (e *env) restore(blob string) (int, string) {
	e.t.Helper()
	w := e.call(http.MethodPost, "/secrets/restore", map[string]string{"value": blob})
	return w.Code, w.Body.String()
}

// TestSecretBackupRestoresEveryVersion: a backup holds every version with its
// id, value, attributes and tags; the name must be free (live or deleted is a
// 409); after a purge the restore brings all of it back, into any vault.
func TestSecretBackupRestoresEveryVersion(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.call(http.MethodPut, "/secrets/b", map[string]any{"value": "one", "contentType": "text/plain",
		"attributes": map[string]any{"enabled": false, "exp": 2000000000}, "tags": map[string]string{"t": "1"}})
	require.Equal(t, http.StatusOK, w.Code)
	first := decode[secretBundle](t, w)
	e.clk.Advance(time.Second)
	second := decode[secretBundle](t, e.call(http.MethodPut, "/secrets/b", map[string]any{"value": "two", "tags": map[string]string{}}))

	blob := e.backupOf("b")
	raw, err := base64.RawURLEncoding.DecodeString(blob)
	require.NoError(t, err, "the blob is base64url without padding")
	assert.NotContains(t, string(raw), "one", "the blob is opaque: values are not readable in it")

	code, body := e.restore(blob)
	assert.Equal(t, http.StatusConflict, code, "the secret is live: %s", body)
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/secrets/b", nil).Code)
	code, body = e.restore(blob)
	assert.Equal(t, http.StatusConflict, code, "deleted but not purged: %s", body)
	require.Equal(t, http.StatusNoContent, e.call(http.MethodDelete, "/deletedsecrets/b", nil).Code)

	// Restored into another vault of the same emulator (by path prefix).
	w = e.call(http.MethodPost, "/vaults/other/secrets/restore", map[string]string{"value": blob})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[secretBundle](t, w)
	assert.Equal(t, base+"/vaults/other/secrets/b/"+second.ID[len(base+"/secrets/b/"):], got.ID, "the latest version keeps its id")
	assert.Nil(t, got.Value, "a restore answers without the value")
	assert.Equal(t, map[string]string{}, got.Tags)

	w = e.call(http.MethodGet, first.ID[len(base):], nil)
	require.Equal(t, http.StatusForbidden, w.Code, "the first version came back disabled, as it was")
	w = e.call(http.MethodPatch, first.ID[len(base):], map[string]any{"attributes": map[string]any{"enabled": true}})
	require.Equal(t, http.StatusOK, w.Code)
	old := decode[secretBundle](t, e.call(http.MethodGet, first.ID[len(base):], nil))
	assert.Equal(t, "one", *old.Value)
	assert.Equal(t, "text/plain", old.ContentType)
	assert.Equal(t, map[string]string{"t": "1"}, old.Tags)
	assert.Equal(t, int64(2000000000), *old.Attributes.Expires)
	assert.Equal(t, first.Attributes.Created, old.Attributes.Created)
}

// TestTamperedOrForeignBlobsAre400s: one changed bit, a blob of another
// emulator, or a blob of another kind is Key Vault's 400, never a restore.
func TestTamperedOrForeignBlobsAre400s(t *testing.T) {
	e := newEnv(t, Config{})
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/t", map[string]string{"value": "v"}).Code)
	blob := e.backupOf("t")
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/secrets/t", nil).Code)
	require.Equal(t, http.StatusNoContent, e.call(http.MethodDelete, "/deletedsecrets/t", nil).Code)

	raw, _ := base64.RawURLEncoding.DecodeString(blob)
	for _, i := range []int{0, 4, 10, len(raw) / 2, len(raw) - 1} {
		bad := append([]byte(nil), raw...)
		bad[i] ^= 0x01
		code, body := e.restore(base64.RawURLEncoding.EncodeToString(bad))
		require.Equal(t, http.StatusBadRequest, code, "bit flipped at %d: %s", i, body)
		assert.Equal(t, "BadParameter", decode[struct{ Error struct{ Code string } }](t, e.call(http.MethodPost, "/secrets/restore", map[string]string{"value": base64.RawURLEncoding.EncodeToString(bad)})).Error.Code)
	}

	other := newEnv(t, Config{})
	code, body := other.restore(blob)
	assert.Equal(t, http.StatusBadRequest, code, "another emulator's blob: %s", body)
	assert.Contains(t, body, "BadParameter")

	keyBlob := e.v.sealBackup("key", []byte(`{"name":"t"}`))
	code, _ = e.restore(keyBlob)
	assert.Equal(t, http.StatusBadRequest, code, "a blob of another kind")

	code, body = e.restore(base64.URLEncoding.EncodeToString(raw))
	assert.Equal(t, http.StatusOK, code, "padded base64url is accepted too: %s", body)
}

// TestBackupKeyOutlivesARestart: with --data a restarted emulator restores a
// backup made before the restart.
func TestBackupKeyOutlivesARestart(t *testing.T) {
	dir := t.TempDir()
	v, err := newVault(Config{DataDir: dir}, auth.WithKey(sharedKey()))
	require.NoError(t, err)
	e := &env{t: t, v: v}
	tok, err := v.Issuer().Issue(auth.DefaultClientID)
	require.NoError(t, err)
	e.token = tok.AccessToken
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/p", map[string]string{"value": "v"}).Code)
	blob := e.backupOf("p")
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/secrets/p", nil).Code)
	require.Equal(t, http.StatusNoContent, e.call(http.MethodDelete, "/deletedsecrets/p", nil).Code)
	require.NoError(t, v.Close())
	require.FileExists(t, filepath.Join(dir, StateFile))

	v2, err := newVault(Config{DataDir: dir}, auth.WithKey(sharedKey()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = v2.Close() })
	e.v = v2
	code, body := e.restore(blob)
	assert.Equal(t, http.StatusOK, code, body)
}
