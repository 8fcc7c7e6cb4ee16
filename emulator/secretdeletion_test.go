package emulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSecretRetentionFollowsTheDeletionPolicy: recoverableDays and
// recoveryLevel come from the vault's policy, a deleted secret's purge date
// is its retention away, and it is gone once that passes.
func TestSecretRetentionFollowsTheDeletionPolicy(t *testing.T) {
	for _, c := range []struct {
		policy DeletionPolicy
		days   int
		level  string
	}{
		{DeletionPolicy{}, 90, "Recoverable+Purgeable"},
		{DeletionPolicy{RetentionDays: 7}, 7, "CustomizedRecoverable+Purgeable"},
		{DeletionPolicy{RetentionDays: 90, PurgeProtection: true}, 90, "Recoverable"},
		{DeletionPolicy{RetentionDays: 30, PurgeProtection: true}, 30, "CustomizedRecoverable"},
		{DeletionPolicy{PurgeProtection: true, ProtectedSubscription: true}, 90, "Recoverable+ProtectedSubscription"},
		{DeletionPolicy{RetentionDays: 89, PurgeProtection: true, ProtectedSubscription: true}, 89, "CustomizedRecoverable+ProtectedSubscription"},
	} {
		e := newEnv(t, Config{Deletion: c.policy})
		set := decode[secretBundle](t, e.call(http.MethodPut, "/secrets/r", map[string]string{"value": "v"}))
		assert.Equal(t, c.days, set.Attributes.RecoverableDays, "%+v", c.policy)
		assert.Equal(t, c.level, set.Attributes.RecoveryLevel, "%+v", c.policy)

		del := decode[deletedSecretBundle](t, e.call(http.MethodDelete, "/secrets/r", nil))
		assert.Equal(t, c.level, del.Attributes.RecoveryLevel)
		assert.Equal(t, int64(c.days*24*3600), del.ScheduledPurgeDate-del.DeletedDate, "%+v", c.policy)

		e.clk.Advance(time.Duration(c.days)*24*time.Hour - time.Second)
		e.reissue()
		require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/deletedsecrets/r", nil).Code, "still recoverable")
		e.clk.Advance(time.Second)
		assert.Equal(t, http.StatusNotFound, e.call(http.MethodGet, "/deletedsecrets/r", nil).Code, "gone when the retention ends")
	}
}

// TestPurgeProtectionRefusesSecretPurges: Key Vault's 403 and its text; the
// secret stays recoverable.
func TestPurgeProtectionRefusesSecretPurges(t *testing.T) {
	e := newEnv(t, Config{Deletion: DeletionPolicy{RetentionDays: 7, PurgeProtection: true}})
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/pp", map[string]string{"value": "v"}).Code)
	require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/secrets/pp", nil).Code)
	w := e.call(http.MethodDelete, "/deletedsecrets/pp", nil)
	require.Equal(t, http.StatusForbidden, w.Code)
	ke := kvError(t, w)
	assert.Equal(t, "Forbidden", ke.Code)
	assert.Contains(t, ke.Message, `Operation "purge" is not allowed because purge protection is enabled for this vault.`)
	assert.Equal(t, http.StatusNotFound, e.call(http.MethodDelete, "/deletedsecrets/none", nil).Code, "a missing secret is still a 404")
	assert.Equal(t, http.StatusOK, e.call(http.MethodPost, "/deletedsecrets/pp/recover", nil).Code, "recover is allowed")
}

// TestEmptyTagsStayAnEmptyObject: tags set or updated to {} answer "tags":{};
// a secret never given tags has no tags member.
func TestEmptyTagsStayAnEmptyObject(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.call(http.MethodPut, "/secrets/none", map[string]string{"value": "v"})
	assert.NotContains(t, w.Body.String(), `"tags"`)
	w = e.call(http.MethodPut, "/secrets/tg", map[string]any{"value": "v", "tags": map[string]string{"a": "b"}})
	require.Contains(t, w.Body.String(), `"tags":{"a":"b"}`)
	w = e.call(http.MethodPatch, "/secrets/tg", map[string]any{"tags": map[string]string{}})
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), `"tags":{}`)
	assert.Contains(t, e.call(http.MethodGet, "/secrets/tg", nil).Body.String(), `"tags":{}`)
	w = e.call(http.MethodPatch, "/secrets/tg", map[string]any{"contentType": "x"})
	assert.Contains(t, w.Body.String(), `"tags":{}`, "an update without tags leaves them as they are")
	assert.Contains(t, e.call(http.MethodPut, "/secrets/e", map[string]any{"value": "v", "tags": map[string]string{}}).Body.String(), `"tags":{}`)
}

// reissue gets a fresh token after the fake clock has moved past the old
// one's expiry.
func (e *env) reissue() {
	e.t.Helper()
	tok, err := e.v.Issuer().Issue(e.v.Config().Identities[0].ClientID)
	require.NoError(e.t, err)
	e.token = tok.AccessToken
}
