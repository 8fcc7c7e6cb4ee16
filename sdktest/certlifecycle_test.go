package sdktest

import (
	"context"
	"errors"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azcertificates"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
)

// requireStatus fails unless err is a Key Vault answer with status.
func requireStatus(t *testing.T, err error, status int) *azcore.ResponseError {
	t.Helper()
	var re *azcore.ResponseError
	require.True(t, errors.As(err, &re), "want a %d, got %v", status, err)
	require.Equal(t, status, re.StatusCode, re.Error())
	return re
}

// TestCertificateUpdateListVersions: 27 versions are listed in two pages (Key
// Vault's page is 25, as for secrets), an
// update changes a version's tags and enabled, and the list of certificates
// shows the latest.
func TestCertificateUpdateListVersions(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.certs(e.srv.URL)
	ctx := context.Background()
	versions := map[string]bool{}
	for range 27 {
		_, err := c.CreateCertificate(ctx, "rotated", azcertificates.CreateCertificateParameters{CertificatePolicy: selfSigned("CN=rotated")}, nil)
		require.NoError(t, err)
		got, err := c.GetCertificate(ctx, "rotated", "", nil)
		require.NoError(t, err)
		versions[got.ID.Version()] = true
	}
	require.Len(t, versions, 27)
	_, err := c.CreateCertificate(ctx, "other", azcertificates.CreateCertificateParameters{CertificatePolicy: selfSigned("CN=other")}, nil)
	require.NoError(t, err)

	listed := map[string]bool{}
	pager := c.NewListCertificatePropertiesVersionsPager("rotated", nil)
	pages := 0
	for pager.More() {
		page, err := pager.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, v := range page.Value {
			listed[v.ID.Version()] = true
			assert.NotEmpty(t, v.X509Thumbprint)
		}
	}
	assert.Equal(t, versions, listed)
	assert.Equal(t, 2, pages, "27 versions in pages of 25")

	var names []string
	all := c.NewListCertificatePropertiesPager(nil)
	for all.More() {
		page, err := all.NextPage(ctx)
		require.NoError(t, err)
		for _, p := range page.Value {
			names = append(names, p.ID.Name())
		}
	}
	assert.Equal(t, []string{"other", "rotated"}, names)

	upd, err := c.UpdateCertificate(ctx, "rotated", "", azcertificates.UpdateCertificateParameters{
		Tags: map[string]*string{"env": to.Ptr("test")}, CertificateAttributes: &azcertificates.CertificateAttributes{Enabled: to.Ptr(false)}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "test", *upd.Tags["env"])
	assert.False(t, *upd.Attributes.Enabled)
	got, err := c.GetCertificate(ctx, "rotated", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "test", *got.Tags["env"])
}

// TestCertificateDeleteRecoverPurge: a deleted certificate takes its key and
// secret with it, comes back with them on recover, and is gone for good on
// purge.
func TestCertificateDeleteRecoverPurge(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.certs(e.srv.URL)
	ctx := context.Background()
	_, err := c.CreateCertificate(ctx, "gone", azcertificates.CreateCertificateParameters{CertificatePolicy: selfSigned("CN=gone")}, nil)
	require.NoError(t, err)
	got, err := c.GetCertificate(ctx, "gone", "", nil)
	require.NoError(t, err)

	del, err := c.DeleteCertificate(ctx, "gone", nil)
	require.NoError(t, err)
	assert.Equal(t, got.CER, del.CER)
	assert.Equal(t, e.srv.URL+"/deletedcertificates/gone", *del.RecoveryID)
	assert.Equal(t, "Recoverable+Purgeable", *del.Attributes.RecoveryLevel)
	_, err = c.GetCertificate(ctx, "gone", "", nil)
	requireStatus(t, err, 404)
	_, err = e.keys().GetKey(ctx, "gone", "", nil)
	requireStatus(t, err, 404)
	_, err = e.secrets().GetSecret(ctx, "gone", "", nil)
	requireStatus(t, err, 404)
	_, err = c.CreateCertificate(ctx, "gone", azcertificates.CreateCertificateParameters{CertificatePolicy: selfSigned("CN=gone")}, nil)
	requireStatus(t, err, 409)

	gd, err := c.GetDeletedCertificate(ctx, "gone", nil)
	require.NoError(t, err)
	assert.Equal(t, del.DeletedCertificate, gd.DeletedCertificate)
	deleted := c.NewListDeletedCertificatePropertiesPager(nil)
	page, err := deleted.NextPage(ctx)
	require.NoError(t, err)
	require.Len(t, page.Value, 1)
	assert.Equal(t, "gone", page.Value[0].ID.Name())

	rec, err := c.RecoverDeletedCertificate(ctx, "gone", nil)
	require.NoError(t, err)
	assert.Equal(t, got.ID, rec.ID)
	assert.Equal(t, del.Policy, rec.Policy)
	_, err = e.keys().GetKey(ctx, "gone", "", nil)
	require.NoError(t, err, "the key is recovered with its certificate")
	_, err = e.secrets().GetSecret(ctx, "gone", "", nil)
	require.NoError(t, err, "the secret too")

	_, err = c.DeleteCertificate(ctx, "gone", nil)
	require.NoError(t, err)
	_, err = c.PurgeDeletedCertificate(ctx, "gone", nil)
	require.NoError(t, err)
	_, err = c.GetDeletedCertificate(ctx, "gone", nil)
	requireStatus(t, err, 404)
	_, err = c.CreateCertificate(ctx, "gone", azcertificates.CreateCertificateParameters{CertificatePolicy: selfSigned("CN=gone")}, nil)
	require.NoError(t, err, "the name is free after a purge")
}

// TestCertificateBackupRestore backs a certificate up, purges it, and
// restores it into another vault of the same emulator; an altered blob is
// a 400 with a Key Vault error.
func TestCertificateBackupRestore(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.certs(e.srv.URL)
	ctx := context.Background()
	_, err := c.CreateCertificate(ctx, "saved", azcertificates.CreateCertificateParameters{CertificatePolicy: selfSigned("CN=saved")}, nil)
	require.NoError(t, err)
	got, err := c.GetCertificate(ctx, "saved", "", nil)
	require.NoError(t, err)
	backup, err := c.BackupCertificate(ctx, "saved", nil)
	require.NoError(t, err)
	require.NotEmpty(t, backup.Value)

	_, err = c.RestoreCertificate(ctx, azcertificates.RestoreCertificateParameters{CertificateBackup: backup.Value}, nil)
	requireStatus(t, err, 409)
	_, err = c.DeleteCertificate(ctx, "saved", nil)
	require.NoError(t, err)
	_, err = c.PurgeDeletedCertificate(ctx, "saved", nil)
	require.NoError(t, err)

	b := e.certs(e.srv.URL + "/vaults/b")
	restored, err := b.RestoreCertificate(ctx, azcertificates.RestoreCertificateParameters{CertificateBackup: backup.Value}, nil)
	require.NoError(t, err)
	// (ID.Version() reads fixed path positions, which a /vaults/b prefix
	// shifts; the whole id says it.)
	assert.Equal(t, e.srv.URL+"/vaults/b/certificates/saved/"+got.ID.Version(), string(*restored.ID))
	assert.Equal(t, got.CER, restored.CER)
	s, err := e.secrets().GetSecret(ctx, "saved", got.ID.Version(), nil)
	require.NoError(t, err, "the secret comes back")
	assert.True(t, *s.Managed)

	tampered := append([]byte(nil), backup.Value...)
	tampered[len(tampered)/2] ^= 1
	_, err = b.RestoreCertificate(ctx, azcertificates.RestoreCertificateParameters{CertificateBackup: tampered}, nil)
	re := requireStatus(t, err, 400)
	assert.Equal(t, "BadParameter", re.ErrorCode)
	_, err = b.RestoreCertificate(ctx, azcertificates.RestoreCertificateParameters{CertificateBackup: []byte("not a backup")}, nil)
	requireStatus(t, err, 400)
}

// TestCertificatePolicyContactsIssuers: the policy reads back as created and
// an update replaces only the parts it names; contacts and issuers go
// through set, get, update, list and delete.
func TestCertificatePolicyContactsIssuers(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.certs(e.srv.URL)
	ctx := context.Background()
	p := selfSigned("CN=policy")
	_, err := c.CreateCertificate(ctx, "pol", azcertificates.CreateCertificateParameters{CertificatePolicy: p}, nil)
	require.NoError(t, err)
	got, err := c.GetCertificatePolicy(ctx, "pol", nil)
	require.NoError(t, err)
	assert.Equal(t, p.KeyProperties, got.KeyProperties)
	assert.Equal(t, p.X509CertificateProperties, got.X509CertificateProperties)
	assert.Equal(t, p.IssuerParameters, got.IssuerParameters)
	upd, err := c.UpdateCertificatePolicy(ctx, "pol", azcertificates.CertificatePolicy{
		KeyProperties: &azcertificates.KeyProperties{KeyType: to.Ptr(azcertificates.KeyTypeEC), Curve: to.Ptr(azcertificates.CurveNameP384),
			Exportable: to.Ptr(true), ReuseKey: to.Ptr(false)}}, nil)
	require.NoError(t, err)
	assert.Equal(t, azcertificates.CurveNameP384, *upd.KeyProperties.Curve)
	assert.Equal(t, p.X509CertificateProperties, upd.X509CertificateProperties, "parts not named stay")
	_, err = c.CreateCertificate(ctx, "pol", azcertificates.CreateCertificateParameters{}, nil)
	require.NoError(t, err, "a create without a policy uses the certificate's")
	k, err := e.keys().GetKey(ctx, "pol", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "P-384", string(*k.Key.Crv), "the new version has the updated policy's key")

	_, err = c.GetContacts(ctx, nil)
	requireStatus(t, err, 404)
	contacts := azcertificates.Contacts{ContactList: []*azcertificates.Contact{{Email: to.Ptr("ops@example.test"), Name: to.Ptr("Ops"), Phone: to.Ptr("1")}}}
	set, err := c.SetContacts(ctx, contacts, nil)
	require.NoError(t, err)
	assert.Equal(t, contacts.ContactList, set.ContactList)
	gc, err := c.GetContacts(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, contacts.ContactList, gc.ContactList)
	_, err = c.DeleteContacts(ctx, nil)
	require.NoError(t, err)
	_, err = c.GetContacts(ctx, nil)
	requireStatus(t, err, 404)

	si, err := c.SetIssuer(ctx, "ca1", azcertificates.SetIssuerParameters{Provider: to.Ptr("Test"),
		Credentials: &azcertificates.IssuerCredentials{AccountID: to.Ptr("acct"), Password: to.Ptr("pw")}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "Test", *si.Provider)
	assert.Nil(t, si.Credentials.Password, "the password is never sent back")
	ui, err := c.UpdateIssuer(ctx, "ca1", azcertificates.UpdateIssuerParameters{Attributes: &azcertificates.IssuerAttributes{Enabled: to.Ptr(false)}}, nil)
	require.NoError(t, err)
	assert.False(t, *ui.Attributes.Enabled)
	gi, err := c.GetIssuer(ctx, "ca1", nil)
	require.NoError(t, err)
	assert.Equal(t, ui.Issuer, gi.Issuer)
	issuers := c.NewListIssuerPropertiesPager(nil)
	ip, err := issuers.NextPage(ctx)
	require.NoError(t, err)
	require.Len(t, ip.Value, 1)
	assert.Equal(t, e.srv.URL+"/certificates/issuers/ca1", *ip.Value[0].ID)
	di, err := c.DeleteIssuer(ctx, "ca1", nil)
	require.NoError(t, err)
	assert.Equal(t, ui.Issuer, di.Issuer)
	_, err = c.GetIssuer(ctx, "ca1", nil)
	requireStatus(t, err, 404)
}
