package sdktest

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
)

// responseError asserts err is Key Vault's error with status and code.
func responseError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var re *azcore.ResponseError
	require.True(t, errors.As(err, &re), "want a ResponseError, got %v", err)
	assert.Equal(t, status, re.StatusCode, err.Error())
	assert.Equal(t, code, re.ErrorCode, err.Error())
}

// secretsAt is an azsecrets client for another vault of e's emulator (the
// /vaults/{name} prefix).
func (e *env) secretsAt(vault string) *azsecrets.Client {
	e.t.Helper()
	c, err := azsecrets.NewClient(e.srv.URL+"/vaults/"+vault, e.credential(auth.DefaultIdentity()), &azsecrets.ClientOptions{
		ClientOptions: e.clientOptions(), DisableChallengeResourceVerification: true,
	})
	require.NoError(e.t, err)
	return c
}

// TestSecretBackupRestoreThroughSDK: BackupSecret's blob restores every
// version (ids, values, tags) after a delete and purge, into the same vault
// or another of the emulator; a restore over a live secret is a 409 and a
// changed blob a 400 BadParameter.
func TestSecretBackupRestoreThroughSDK(t *testing.T) {
	e := newEnv(t, emulator.Config{})
	c := e.secrets()
	ctx := context.Background()
	v1, err := c.SetSecret(ctx, "bk", azsecrets.SetSecretParameters{Value: to.Ptr("first"), Tags: map[string]*string{"env": to.Ptr("test")}}, nil)
	require.NoError(t, err)
	v2, err := c.SetSecret(ctx, "bk", azsecrets.SetSecretParameters{Value: to.Ptr("second"), ContentType: to.Ptr("text/plain")}, nil)
	require.NoError(t, err)

	backup, err := c.BackupSecret(ctx, "bk", nil)
	require.NoError(t, err)
	require.NotEmpty(t, backup.Value)

	_, err = c.RestoreSecret(ctx, azsecrets.RestoreSecretParameters{SecretBackup: backup.Value}, nil)
	responseError(t, err, http.StatusConflict, "Conflict")

	tampered := append([]byte(nil), backup.Value...)
	tampered[len(tampered)/2] ^= 0x80
	_, err = c.RestoreSecret(ctx, azsecrets.RestoreSecretParameters{SecretBackup: tampered}, nil)
	responseError(t, err, http.StatusBadRequest, "BadParameter")

	_, err = c.DeleteSecret(ctx, "bk", nil)
	require.NoError(t, err)
	_, err = c.PurgeDeletedSecret(ctx, "bk", nil)
	require.NoError(t, err)

	restored, err := c.RestoreSecret(ctx, azsecrets.RestoreSecretParameters{SecretBackup: backup.Value}, nil)
	require.NoError(t, err)
	assert.Equal(t, *v2.ID, *restored.ID, "the latest version comes back under its id")
	first, err := c.GetSecret(ctx, "bk", v1.ID.Version(), nil)
	require.NoError(t, err)
	assert.Equal(t, "first", *first.Value)
	assert.Equal(t, "test", *first.Tags["env"])

	other := e.secretsAt("b")
	_, err = other.RestoreSecret(ctx, azsecrets.RestoreSecretParameters{SecretBackup: backup.Value}, nil)
	responseError(t, err, http.StatusConflict, "Conflict") // the vaults share one store (emulator/vaults.go)
}

// TestSecretBackupIsForeignElsewhere: another emulator cannot read the blob.
func TestSecretBackupIsForeignElsewhere(t *testing.T) {
	ctx := context.Background()
	a := newEnv(t, emulator.Config{}).secrets()
	_, err := a.SetSecret(ctx, "fb", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
	require.NoError(t, err)
	backup, err := a.BackupSecret(ctx, "fb", nil)
	require.NoError(t, err)
	_, err = newEnv(t, emulator.Config{}).secrets().RestoreSecret(ctx, azsecrets.RestoreSecretParameters{SecretBackup: backup.Value}, nil)
	responseError(t, err, http.StatusBadRequest, "BadParameter")
}

// TestSecretTagsRoundTripThroughSDK: tags set, changed, and updated to an
// empty map come back as the SDK sent them; an update without tags keeps
// them.
func TestSecretTagsRoundTripThroughSDK(t *testing.T) {
	c := newEnv(t, emulator.Config{}).secrets()
	ctx := context.Background()
	set, err := c.SetSecret(ctx, "tg", azsecrets.SetSecretParameters{Value: to.Ptr("v"), Tags: map[string]*string{"a": to.Ptr("1"), "b": to.Ptr("2")}}, nil)
	require.NoError(t, err)
	assert.Len(t, set.Tags, 2)

	up, err := c.UpdateSecretProperties(ctx, "tg", set.ID.Version(), azsecrets.UpdateSecretPropertiesParameters{
		Tags: map[string]*string{}, ContentType: to.Ptr("text/plain"),
		SecretAttributes: &azsecrets.SecretAttributes{Enabled: to.Ptr(true)},
	}, nil)
	require.NoError(t, err)
	require.NotNil(t, up.Tags, "an empty tags object, not none")
	assert.Empty(t, up.Tags)
	got, err := c.GetSecret(ctx, "tg", "", nil)
	require.NoError(t, err)
	require.NotNil(t, got.Tags)
	assert.Empty(t, got.Tags)
	assert.Equal(t, "text/plain", *got.ContentType)

	up, err = c.UpdateSecretProperties(ctx, "tg", "", azsecrets.UpdateSecretPropertiesParameters{Tags: map[string]*string{"c": to.Ptr("3")}}, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]*string{"c": to.Ptr("3")}, up.Tags)
	up, err = c.UpdateSecretProperties(ctx, "tg", "", azsecrets.UpdateSecretPropertiesParameters{ContentType: to.Ptr("x")}, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]*string{"c": to.Ptr("3")}, up.Tags, "an update without tags keeps them")
}

// TestSecretRetentionThroughSDK: a vault with 7-day retention and purge
// protection reports it on every secret, schedules the purge 7 days out and
// refuses the purge as Key Vault does; the secret still recovers.
func TestSecretRetentionThroughSDK(t *testing.T) {
	e := newEnv(t, emulator.Config{Deletion: emulator.DeletionPolicy{RetentionDays: 7, PurgeProtection: true}})
	c := e.secrets()
	ctx := context.Background()
	set, err := c.SetSecret(ctx, "ret", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(7), *set.Attributes.RecoverableDays)
	assert.Equal(t, "CustomizedRecoverable", *set.Attributes.RecoveryLevel)

	del, err := c.DeleteSecret(ctx, "ret", nil)
	require.NoError(t, err)
	assert.Equal(t, 7*24*3600.0, del.ScheduledPurgeDate.Sub(*del.DeletedDate).Seconds())
	_, err = c.PurgeDeletedSecret(ctx, "ret", nil)
	responseError(t, err, http.StatusForbidden, "Forbidden")
	assert.Contains(t, err.Error(), "purge protection is enabled for this vault")
	_, err = c.RecoverDeletedSecret(ctx, "ret", nil)
	require.NoError(t, err)

	plain := newEnv(t, emulator.Config{Deletion: emulator.DeletionPolicy{RetentionDays: 30}}).secrets()
	set, err = plain.SetSecret(ctx, "ret", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
	require.NoError(t, err)
	assert.Equal(t, "CustomizedRecoverable+Purgeable", *set.Attributes.RecoveryLevel)
	assert.Equal(t, int32(30), *set.Attributes.RecoverableDays)
}
