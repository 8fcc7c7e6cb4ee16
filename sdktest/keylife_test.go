package sdktest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
)

// The key lifecycle through azkeys v1.5.0, over real HTTPS with azidentity:
// every operation the SDK has beyond create/get/sign.

func statusOf(err error) int {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode
	}
	return 0
}

func TestKeysCreateAttributesUpdateAndVersions(t *testing.T) {
	// 27 EC creates in a second: more than the documented 20 per 10 s, so
	// this vault's EC CREATE row is raised.
	p, err := limits.MustGet(limits.DefaultProfile).WithOverrides(map[limits.Class]int{limits.KeyClass(limits.EC, false, true): 1000})
	require.NoError(t, err)
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true, Profile: p})
	c := e.keys()
	ctx := context.Background()
	exp := time.Date(2050, 1, 1, 1, 1, 1, 0, time.UTC)
	nbf := time.Date(2040, 1, 1, 1, 1, 1, 0, time.UTC)
	ec, err := c.CreateKey(ctx, "ec", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeEC), Curve: to.Ptr(azkeys.CurveNameP256K),
		KeyAttributes: &azkeys.KeyAttributes{Expires: &exp, NotBefore: &nbf}, Tags: map[string]*string{"k": to.Ptr("v")}}, nil)
	require.NoError(t, err)
	assert.Equal(t, []*azkeys.KeyOperation{to.Ptr(azkeys.KeyOperationSign), to.Ptr(azkeys.KeyOperationVerify)}, ec.Key.KeyOps)
	assert.True(t, exp.Equal(*ec.Attributes.Expires))
	assert.True(t, nbf.Equal(*ec.Attributes.NotBefore))
	require.NotNil(t, ec.Attributes.Exportable)
	assert.False(t, *ec.Attributes.Exportable)
	assert.Equal(t, "v", *ec.Tags["k"])

	updated, err := c.UpdateKey(ctx, "ec", ec.Key.KID.Version(), azkeys.UpdateKeyParameters{
		KeyOps:        []*azkeys.KeyOperation{to.Ptr(azkeys.KeyOperationVerify)},
		KeyAttributes: &azkeys.KeyAttributes{Enabled: to.Ptr(false)},
		Tags:          map[string]*string{"new": to.Ptr("tag")}}, nil)
	require.NoError(t, err)
	assert.Equal(t, []*azkeys.KeyOperation{to.Ptr(azkeys.KeyOperationVerify)}, updated.Key.KeyOps)
	assert.False(t, *updated.Attributes.Enabled)
	assert.Equal(t, "tag", *updated.Tags["new"])

	want := map[string]bool{ec.Key.KID.Version(): true}
	for range 26 { // 27 versions: two pages of the service's 25
		r, err := c.CreateKey(ctx, "ec", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeEC)}, nil)
		require.NoError(t, err)
		want[r.Key.KID.Version()] = true
	}
	pager := c.NewListKeyPropertiesVersionsPager("ec", nil)
	pages := 0
	for pager.More() {
		page, err := pager.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, k := range page.Value {
			assert.True(t, want[k.KID.Version()], k.KID)
			delete(want, k.KID.Version())
		}
	}
	assert.Empty(t, want, "every version listed")
	assert.Equal(t, 2, pages, "the SDK followed nextLink")
	got, err := c.GetKey(ctx, "ec", ec.Key.KID.Version(), nil)
	require.NoError(t, err)
	assert.False(t, *got.Attributes.Enabled, "get by version reads that version")
}

func TestKeysDeleteRecoverPurge(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true, Deletion: emulator.DeletionPolicy{RetentionDays: 7}})
	c := e.keys()
	ctx := context.Background()
	created, err := c.CreateKey(ctx, "d", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeRSA)}, nil)
	require.NoError(t, err)
	assert.Equal(t, "CustomizedRecoverable+Purgeable", *created.Attributes.RecoveryLevel)
	assert.EqualValues(t, 7, *created.Attributes.RecoverableDays)
	del, err := c.DeleteKey(ctx, "d", nil)
	require.NoError(t, err)
	require.NotNil(t, del.RecoveryID)
	assert.Equal(t, del.DeletedDate.Add(7*24*time.Hour).Unix(), del.ScheduledPurgeDate.Unix())

	gotDeleted, err := c.GetDeletedKey(ctx, "d", nil)
	require.NoError(t, err)
	assert.Equal(t, created.Key.KID.Version(), gotDeleted.Key.KID.Version())
	n := 0
	for p := c.NewListDeletedKeyPropertiesPager(nil); p.More(); {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, k := range page.Value {
			assert.NotNil(t, k.ScheduledPurgeDate)
			n++
		}
	}
	assert.Equal(t, 1, n)
	rec, err := c.RecoverDeletedKey(ctx, "d", nil)
	require.NoError(t, err)
	assert.Equal(t, created.Key.KID, rec.Key.KID)
	_, err = c.DeleteKey(ctx, "d", nil)
	require.NoError(t, err)
	_, err = c.PurgeDeletedKey(ctx, "d", nil)
	require.NoError(t, err)
	_, err = c.GetDeletedKey(ctx, "d", nil)
	assert.Equal(t, http.StatusNotFound, statusOf(err))
}

func TestKeysPurgeProtection(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true, Deletion: emulator.DeletionPolicy{PurgeProtection: true}})
	c := e.keys()
	ctx := context.Background()
	created, err := c.CreateKey(ctx, "p", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeEC)}, nil)
	require.NoError(t, err)
	assert.Equal(t, "Recoverable", *created.Attributes.RecoveryLevel)
	_, err = c.DeleteKey(ctx, "p", nil)
	require.NoError(t, err)
	_, err = c.PurgeDeletedKey(ctx, "p", nil)
	assert.Equal(t, http.StatusForbidden, statusOf(err))
	assert.ErrorContains(t, err, "purge protection is enabled")
}

func TestKeysImportRSAAndECThenUseThem(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.keys()
	ctx := context.Background()
	pk, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	jwk := &azkeys.JSONWebKey{Kty: to.Ptr(azkeys.KeyTypeRSA), N: pk.N.Bytes(), E: big.NewInt(int64(pk.E)).Bytes(), D: pk.D.Bytes(),
		P: pk.Primes[0].Bytes(), Q: pk.Primes[1].Bytes(), KeyOps: to.SliceOfPtrs(azkeys.KeyOperationSign)}
	imp, err := c.ImportKey(ctx, "imported", azkeys.ImportKeyParameters{Key: jwk, HSM: to.Ptr(true)}, nil)
	require.NoError(t, err)
	assert.Equal(t, azkeys.KeyTypeRSAHSM, *imp.Key.Kty)
	assert.Equal(t, jwk.N, imp.Key.N)
	assert.Equal(t, jwk.KeyOps, imp.Key.KeyOps)
	digest := sha256.Sum256([]byte("imported"))
	sig, err := c.Sign(ctx, "imported", "", azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmRS256), Value: digest[:]}, nil)
	require.NoError(t, err)
	require.NoError(t, rsa.VerifyPKCS1v15(&pk.PublicKey, crypto.SHA256, digest[:], sig.Result), "the vault signs with the imported key")

	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	d, err := ek.Bytes()
	require.NoError(t, err)
	pub, err := ek.PublicKey.Bytes()
	require.NoError(t, err)
	_, err = c.ImportKey(ctx, "ec", azkeys.ImportKeyParameters{Key: &azkeys.JSONWebKey{Kty: to.Ptr(azkeys.KeyTypeEC),
		Crv: to.Ptr(azkeys.CurveNameP256), D: d, X: pub[1:33], Y: pub[33:]}}, nil)
	require.NoError(t, err)
	_, err = c.ImportKey(ctx, "bad", azkeys.ImportKeyParameters{Key: &azkeys.JSONWebKey{Kty: to.Ptr(azkeys.KeyTypeEC),
		Crv: to.Ptr(azkeys.CurveNameP256), D: d, X: pub[33:], Y: pub[1:33]}}, nil)
	assert.Equal(t, http.StatusBadRequest, statusOf(err), "x and y that are not d's point are refused")
}

func TestKeysBackupRestore(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.keys()
	ctx := context.Background()
	created, err := c.CreateKey(ctx, "b", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeRSA)}, nil)
	require.NoError(t, err)
	backup, err := c.BackupKey(ctx, "b", nil)
	require.NoError(t, err)
	require.NotEmpty(t, backup.Value)
	_, err = c.RestoreKey(ctx, azkeys.RestoreKeyParameters{KeyBackup: backup.Value}, nil)
	assert.Equal(t, http.StatusConflict, statusOf(err), "the key still exists")
	_, err = c.DeleteKey(ctx, "b", nil)
	require.NoError(t, err)
	_, err = c.PurgeDeletedKey(ctx, "b", nil)
	require.NoError(t, err)
	tampered := append([]byte(nil), backup.Value...)
	tampered[len(tampered)-1] ^= 0x40
	_, err = c.RestoreKey(ctx, azkeys.RestoreKeyParameters{KeyBackup: tampered}, nil)
	assert.Equal(t, http.StatusBadRequest, statusOf(err))
	restored, err := c.RestoreKey(ctx, azkeys.RestoreKeyParameters{KeyBackup: backup.Value}, nil)
	require.NoError(t, err)
	assert.Equal(t, created.Key.KID, restored.Key.KID)
	got, err := c.GetKey(ctx, "b", "", nil)
	require.NoError(t, err)
	assert.Equal(t, restored.Attributes, got.Attributes)
	assert.Equal(t, created.Key.N, got.Key.N)
}

func TestKeysRotateAndRotationPolicy(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.keys()
	ctx := context.Background()
	created, err := c.CreateKey(ctx, "r", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeECHSM)}, nil)
	require.NoError(t, err)
	def, err := c.GetKeyRotationPolicy(ctx, "r", nil)
	require.NoError(t, err)
	require.Len(t, def.LifetimeActions, 1)
	assert.Equal(t, azkeys.KeyRotationPolicyActionNotify, *def.LifetimeActions[0].Action.Type)
	policy := azkeys.KeyRotationPolicy{
		Attributes: &azkeys.KeyRotationPolicyAttributes{ExpiryTime: to.Ptr("P90D")},
		LifetimeActions: []*azkeys.LifetimeAction{{
			Action:  &azkeys.LifetimeActionType{Type: to.Ptr(azkeys.KeyRotationPolicyActionRotate)},
			Trigger: &azkeys.LifetimeActionTrigger{TimeAfterCreate: to.Ptr("P30D")},
		}}}
	set, err := c.UpdateKeyRotationPolicy(ctx, "r", policy, nil)
	require.NoError(t, err)
	assert.Equal(t, "P90D", *set.Attributes.ExpiryTime)
	got, err := c.GetKeyRotationPolicy(ctx, "r", nil)
	require.NoError(t, err)
	assert.Equal(t, "P30D", *got.LifetimeActions[0].Trigger.TimeAfterCreate)
	assert.NotNil(t, got.Attributes.Created)
	rotated, err := c.RotateKey(ctx, "r", nil)
	require.NoError(t, err)
	assert.NotEqual(t, created.Key.KID.Version(), rotated.Key.KID.Version())
	require.NotNil(t, rotated.Attributes.Expires, "the policy's expiry applies")
	_, err = c.RotateKey(ctx, "nope", nil)
	assert.Equal(t, http.StatusNotFound, statusOf(err))
}

func TestKeysReleaseNeedsAttestationAndRandomBytes(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.keys()
	ctx := context.Background()
	_, err := c.CreateKey(ctx, "x", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeECHSM),
		KeyAttributes: &azkeys.KeyAttributes{Exportable: to.Ptr(true)},
		ReleasePolicy: &azkeys.KeyReleasePolicy{EncodedPolicy: []byte(`{"version":"1.0.0","anyOf":[]}`), Immutable: to.Ptr(true)}}, nil)
	require.NoError(t, err)
	_, err = c.Release(ctx, "x", "", azkeys.ReleaseParameters{TargetAttestationToken: to.Ptr("token")}, nil)
	assert.Equal(t, http.StatusBadRequest, statusOf(err))
	assert.ErrorContains(t, err, "attestation service")
	_, err = c.GetKeyAttestation(ctx, "x", "", nil)
	assert.Equal(t, http.StatusBadRequest, statusOf(err))
	assert.ErrorContains(t, err, "Managed HSM")
	rb, err := c.GetRandomBytes(ctx, azkeys.GetRandomBytesParameters{Count: to.Ptr(int32(100))}, nil)
	require.NoError(t, err)
	assert.Len(t, rb.Value, 100)
}
