package sdktest

import (
	"context"
	"crypto/x509"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azcertificates"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
)

// TestCertificatesSurviveRestart: with --data (Config.DataDir), a restart
// keeps certificates with their versions, keys and secrets, a pending
// operation (which a merge still completes: its key was kept), a deleted
// certificate (still recoverable), contacts, issuers, and the key that
// seals backups (a backup taken before restores after).
func TestCertificatesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := emulator.Config{DataDir: dir, ReuseKeyMaterial: true}
	ctx := context.Background()

	a := newEnv(t, cfg)
	ca := a.certs(a.srv.URL)
	for range 2 {
		_, err := ca.CreateCertificate(ctx, "keep", azcertificates.CreateCertificateParameters{CertificatePolicy: selfSigned("CN=keep")}, nil)
		require.NoError(t, err)
	}
	keep, err := ca.GetCertificate(ctx, "keep", "", nil)
	require.NoError(t, err)
	p := selfSigned("CN=pend")
	p.IssuerParameters.Name = to.Ptr("Unknown")
	_, err = ca.CreateCertificate(ctx, "pend", azcertificates.CreateCertificateParameters{CertificatePolicy: p}, nil)
	require.NoError(t, err)
	_, err = ca.CreateCertificate(ctx, "old", azcertificates.CreateCertificateParameters{CertificatePolicy: selfSigned("CN=old")}, nil)
	require.NoError(t, err)
	_, err = ca.DeleteCertificate(ctx, "old", nil)
	require.NoError(t, err)
	contacts := azcertificates.Contacts{ContactList: []*azcertificates.Contact{{Email: to.Ptr("ops@example.test")}}}
	_, err = ca.SetContacts(ctx, contacts, nil)
	require.NoError(t, err)
	_, err = ca.SetIssuer(ctx, "ca1", azcertificates.SetIssuerParameters{Provider: to.Ptr("Test")}, nil)
	require.NoError(t, err)
	backup, err := ca.BackupCertificate(ctx, "keep", nil)
	require.NoError(t, err)
	require.NoError(t, a.srv.Close())

	b := newEnv(t, cfg)
	cb := b.certs(b.srv.URL)
	got, err := cb.GetCertificate(ctx, "keep", "", nil)
	require.NoError(t, err)
	assert.Equal(t, keep.CER, got.CER)
	versions := 0
	for pager := cb.NewListCertificatePropertiesVersionsPager("keep", nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		require.NoError(t, err)
		versions += len(page.Value)
	}
	assert.Equal(t, 2, versions)
	s, err := b.secrets().GetSecret(ctx, "keep", got.ID.Version(), nil)
	require.NoError(t, err)
	assert.True(t, *s.Managed)

	op, err := cb.GetCertificateOperation(ctx, "pend", nil)
	require.NoError(t, err)
	require.Equal(t, "inProgress", *op.Status)
	csr, err := x509.ParseCertificateRequest(op.CSR)
	require.NoError(t, err)
	authority := newTestCA(t)
	_, err = cb.MergeCertificate(ctx, "pend", azcertificates.MergeCertificateParameters{
		X509Certificates: [][]byte{authority.sign(t, csr.Subject, csr.PublicKey)}}, nil)
	require.NoError(t, err, "the pending request's key survived the restart")

	_, err = cb.RecoverDeletedCertificate(ctx, "old", nil)
	require.NoError(t, err)
	gc, err := cb.GetContacts(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, contacts.ContactList, gc.ContactList)
	_, err = cb.GetIssuer(ctx, "ca1", nil)
	require.NoError(t, err)

	_, err = cb.DeleteCertificate(ctx, "keep", nil)
	require.NoError(t, err)
	_, err = cb.PurgeDeletedCertificate(ctx, "keep", nil)
	require.NoError(t, err)
	_, err = cb.RestoreCertificate(ctx, azcertificates.RestoreCertificateParameters{CertificateBackup: backup.Value}, nil)
	require.NoError(t, err, "a backup from before the restart restores after it")
}
