package emulator

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/auth"
)

// TestKeyRoutesCarryTheirPermissions: the vault judges the permission each
// new key route declares, in both permission models.
func TestKeyRoutesCarryTheirPermissions(t *testing.T) {
	oid := auth.DefaultObjectID
	admin := newEnv(t, Config{})
	keyOK(t, admin, http.MethodPost, "/keys/k/create", map[string]any{"kty": "EC"})

	rbac := newEnv(t, Config{Access: access.Config{Mode: access.ModeRBAC,
		Assignments: []access.Assignment{{ObjectID: oid, Role: "Key Vault Crypto User"}}}})
	rbac.v.keys, rbac.v.secrets = admin.v.keys, admin.v.secrets // the same objects
	assert.Equal(t, http.StatusOK, rbac.call(http.MethodPost, "/keys/k/backup", nil).Code, "Crypto User backs up")
	assert.Equal(t, http.StatusOK, rbac.call(http.MethodGet, "/keys/k/versions", nil).Code)
	w := rbac.call(http.MethodGet, "/keys/k/rotationpolicy", nil)
	require.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, kvError(t, w).Message, "Action: 'Microsoft.KeyVault/vaults/keyrotationpolicies/read'")
	w = rbac.call(http.MethodPost, "/keys/k/rotate", nil)
	require.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, kvError(t, w).Message, "Action: 'Microsoft.KeyVault/vaults/keys/rotate/action'")

	policy := newEnv(t, Config{Access: access.Config{Policies: []access.Policy{{ObjectID: oid, Keys: []string{"get", "list", "purge"}}}}})
	policy.v.keys = admin.v.keys
	w = policy.call(http.MethodPut, "/keys/i", map[string]any{"key": map[string]any{"kty": "EC"}})
	require.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, kvError(t, w).Message, "does not have keys import permission")
	w = policy.call(http.MethodPost, "/deletedkeys/k/recover", nil)
	require.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, kvError(t, w).Message, "does not have keys recover permission")
	assert.Equal(t, http.StatusOK, policy.call(http.MethodGet, "/deletedkeys", nil).Code)
	assert.Equal(t, http.StatusNotFound, policy.call(http.MethodDelete, "/deletedkeys/k", nil).Code, "purge is allowed; the key is not deleted")
}
