package sdktest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azcertificates"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
)

// certs is an azcertificates client signed in as the default identity, on
// the vault at base (the emulator's URL, or a /vaults/{name} of it).
func (e *env) certs(base string) *azcertificates.Client {
	e.t.Helper()
	c, err := azcertificates.NewClient(base, e.credential(auth.DefaultIdentity()), &azcertificates.ClientOptions{
		ClientOptions:                        e.clientOptions(),
		DisableChallengeResourceVerification: true,
	})
	require.NoError(e.t, err)
	return c
}

// selfSigned is a Self-issued policy: what `az keyvault certificate
// get-default-policy` gives, with a SAN.
func selfSigned(subject string) *azcertificates.CertificatePolicy {
	return &azcertificates.CertificatePolicy{
		IssuerParameters: &azcertificates.IssuerParameters{Name: to.Ptr("Self")},
		KeyProperties: &azcertificates.KeyProperties{KeyType: to.Ptr(azcertificates.KeyTypeRSA), KeySize: to.Ptr(int32(2048)),
			Exportable: to.Ptr(true), ReuseKey: to.Ptr(false)},
		SecretProperties: &azcertificates.SecretProperties{ContentType: to.Ptr("application/x-pkcs12")},
		X509CertificateProperties: &azcertificates.X509CertificateProperties{
			Subject:                 to.Ptr(subject),
			SubjectAlternativeNames: &azcertificates.SubjectAlternativeNames{DNSNames: []*string{to.Ptr("app.example.test")}},
			ValidityInMonths:        to.Ptr(int32(6)),
			KeyUsage:                []*azcertificates.KeyUsageType{to.Ptr(azcertificates.KeyUsageTypeDigitalSignature)},
			EnhancedKeyUsage:        []*string{to.Ptr("1.3.6.1.5.5.7.3.1")},
		},
	}
}

// pollCompleted reads the certificate operation until it is no longer in
// progress, as an application polls; the emulator completes Self at once, so
// no waiting is needed and none is done.
func pollCompleted(t *testing.T, c *azcertificates.Client, name string) azcertificates.CertificateOperation {
	t.Helper()
	for range 10 {
		op, err := c.GetCertificateOperation(context.Background(), name, nil)
		require.NoError(t, err)
		if *op.Status != "inProgress" {
			return op.CertificateOperation
		}
	}
	t.Fatalf("certificate %s still in progress", name)
	return azcertificates.CertificateOperation{}
}

// TestCertificateSelfSignedKeySignsSecretHoldsPFX creates a Self-issued
// certificate and checks it the way an application uses one: the X.509 is
// what the policy asked for, the certificate's key (kid) signs through azkeys
// and the signature verifies with the certificate's public key, and its
// secret (sid) is a PKCS#12 whose key matches the certificate.
func TestCertificateSelfSignedKeySignsSecretHoldsPFX(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.certs(e.srv.URL)
	ctx := context.Background()

	created, err := c.CreateCertificate(ctx, "web", azcertificates.CreateCertificateParameters{CertificatePolicy: selfSigned("CN=app.example.test, O=kvquota")}, nil)
	require.NoError(t, err)
	require.NotEmpty(t, created.CSR)
	require.NotEmpty(t, created.RequestID)
	_, err = x509.ParseCertificateRequest(created.CSR)
	require.NoError(t, err, "the operation's csr is a PKCS#10 request")
	op := pollCompleted(t, c, "web")
	assert.Equal(t, "completed", *op.Status)
	assert.Equal(t, e.srv.URL+"/certificates/web", *op.Target)

	got, err := c.GetCertificate(ctx, "web", "", nil)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(got.CER)
	require.NoError(t, err)
	assert.Equal(t, "CN=app.example.test,O=kvquota", cert.Subject.String())
	assert.Equal(t, []string{"app.example.test"}, cert.DNSNames)
	assert.Equal(t, x509.KeyUsageDigitalSignature, cert.KeyUsage)
	assert.WithinDuration(t, time.Now().AddDate(0, 6, 0), cert.NotAfter, 24*time.Hour, "validity_months 6")
	sum := sha1.Sum(got.CER)
	assert.Equal(t, sum[:], got.X509Thumbprint, "x5t is the SHA-1 of cer")
	version := got.ID.Version()
	byVersion, err := c.GetCertificate(ctx, "web", version, nil)
	require.NoError(t, err)
	assert.Equal(t, got.CER, byVersion.CER)
	assert.Equal(t, "web", got.KID.Name())
	assert.Equal(t, version, got.KID.Version(), "kid, sid and id share the version")
	assert.Equal(t, version, got.SID.Version())

	// The key signs; the signature verifies with the certificate's key.
	keys := e.keys()
	k, err := keys.GetKey(ctx, "web", "", nil)
	require.NoError(t, err)
	assert.True(t, *k.Managed, "a certificate's key is managed")
	digest := sha256.Sum256([]byte("signed by a certificate's key"))
	signed, err := keys.Sign(ctx, "web", version, azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmRS256), Value: digest[:]}, nil)
	require.NoError(t, err)
	require.NoError(t, rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, digest[:], signed.Result))

	// The secret is a password-less PFX with the key and the certificate.
	s, err := e.secrets().GetSecret(ctx, "web", version, nil)
	require.NoError(t, err)
	assert.Equal(t, "application/x-pkcs12", *s.ContentType)
	assert.True(t, *s.Managed)
	assert.Equal(t, string(*got.KID), string(*s.KID))
	pfx, err := base64.StdEncoding.DecodeString(*s.Value)
	require.NoError(t, err)
	pk, leaf, _, err := pkcs12.DecodeChain(pfx, "")
	require.NoError(t, err)
	assert.Equal(t, got.CER, leaf.Raw)
	assert.True(t, pk.(*rsa.PrivateKey).PublicKey.Equal(cert.PublicKey), "the PFX's key is the certificate's")
}

// testCA is a CA the tests make, to sign a pending certificate's CSR.
type testCA struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "kvquota test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return testCA{key: key, cert: cert}
}

// sign issues a certificate for pub.
func (ca testCA) sign(t *testing.T, subject pkix.Name, pub crypto.PublicKey) []byte {
	t.Helper()
	tpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: subject,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(0, 3, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.cert, pub, ca.key)
	require.NoError(t, err)
	return der
}

// TestCertificatePendingMerge: issuer Unknown leaves the certificate
// pending with a CSR; a certificate a CA signed for that CSR merges it, and
// the certificate's key is the one the CSR was made with.
func TestCertificatePendingMerge(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.certs(e.srv.URL)
	ctx := context.Background()
	p := selfSigned("CN=merged.example.test")
	p.IssuerParameters.Name = to.Ptr("Unknown")
	created, err := c.CreateCertificate(ctx, "merged", azcertificates.CreateCertificateParameters{CertificatePolicy: p}, nil)
	require.NoError(t, err)
	assert.Equal(t, "inProgress", *created.Status)
	op, err := c.GetCertificateOperation(ctx, "merged", nil)
	require.NoError(t, err)
	assert.Equal(t, "inProgress", *op.Status, "an Unknown issuer never completes by itself")
	csr, err := x509.ParseCertificateRequest(op.CSR)
	require.NoError(t, err)
	require.NoError(t, csr.CheckSignature())

	ca := newTestCA(t)
	leaf := ca.sign(t, csr.Subject, csr.PublicKey)
	merged, err := c.MergeCertificate(ctx, "merged", azcertificates.MergeCertificateParameters{X509Certificates: [][]byte{leaf, ca.cert.Raw}}, nil)
	require.NoError(t, err)
	assert.Equal(t, leaf, merged.CER)
	op, err = c.GetCertificateOperation(ctx, "merged", nil)
	require.NoError(t, err)
	assert.Equal(t, "completed", *op.Status)

	got, err := c.GetCertificate(ctx, "merged", "", nil)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(got.CER)
	require.NoError(t, err)
	assert.Equal(t, "CN=kvquota test CA", cert.Issuer.String())
	digest := sha256.Sum256([]byte("merged"))
	signed, err := e.keys().Sign(ctx, "merged", got.KID.Version(), azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmRS256), Value: digest[:]}, nil)
	require.NoError(t, err)
	require.NoError(t, rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, digest[:], signed.Result))

	// A merge with a certificate for another key is refused.
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	_, err = c.CreateCertificate(ctx, "merged", azcertificates.CreateCertificateParameters{CertificatePolicy: p}, nil)
	require.NoError(t, err)
	_, err = c.MergeCertificate(ctx, "merged", azcertificates.MergeCertificateParameters{
		X509Certificates: [][]byte{ca.sign(t, csr.Subject, other.Public())}}, nil)
	requireStatus(t, err, 400)

	// Cancel, then delete, the pending operation.
	upd, err := c.UpdateCertificateOperation(ctx, "merged", azcertificates.UpdateCertificateOperationParameter{CancellationRequested: to.Ptr(true)}, nil)
	require.NoError(t, err)
	assert.True(t, *upd.CancellationRequested)
	_, err = c.DeleteCertificateOperation(ctx, "merged", nil)
	require.NoError(t, err)
	_, err = c.GetCertificateOperation(ctx, "merged", nil)
	requireStatus(t, err, 404)
}

// TestCertificateImport imports a PFX with a password, one without, and a
// PEM; each comes back as the same certificate, and each's secret holds it
// in the policy's content type.
func TestCertificateImport(t *testing.T) {
	e := newEnv(t, emulator.Config{ReuseKeyMaterial: true})
	c := e.certs(e.srv.URL)
	ctx := context.Background()
	ca := newTestCA(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der := ca.sign(t, pkix.Name{CommonName: "imported.example.test"}, key.Public())
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)

	withPwd, err := pkcs12.Modern.Encode(key, leaf, []*x509.Certificate{ca.cert}, "s3cret")
	require.NoError(t, err)
	noPwd, err := pkcs12.Passwordless.Encode(key, leaf, nil, "")
	require.NoError(t, err)
	p8, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})) +
		string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))

	for _, tc := range []struct {
		name, value, pwd, contentType string
	}{
		{"pfx-pwd", base64.StdEncoding.EncodeToString(withPwd), "s3cret", "application/x-pkcs12"},
		{"pfx", base64.StdEncoding.EncodeToString(noPwd), "", "application/x-pkcs12"},
		{"pem", pemText, "", "application/x-pem-file"},
	} {
		params := azcertificates.ImportCertificateParameters{Base64EncodedCertificate: to.Ptr(tc.value)}
		if tc.pwd != "" {
			params.Password = to.Ptr(tc.pwd)
		}
		if tc.name == "pem" {
			params.CertificatePolicy = &azcertificates.CertificatePolicy{SecretProperties: &azcertificates.SecretProperties{ContentType: to.Ptr(tc.contentType)}}
		}
		imp, err := c.ImportCertificate(ctx, tc.name, params, nil)
		require.NoError(t, err, tc.name)
		assert.Equal(t, der, imp.CER, tc.name)
		assert.Equal(t, "CN=imported.example.test", *imp.Policy.X509CertificateProperties.Subject, tc.name)
		assert.Equal(t, int32(2048), *imp.Policy.KeyProperties.KeySize, tc.name)
		s, err := e.secrets().GetSecret(ctx, tc.name, imp.ID.Version(), nil)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.contentType, *s.ContentType, tc.name)
		if tc.name == "pem" {
			assert.Contains(t, *s.Value, "-----BEGIN PRIVATE KEY-----")
			assert.Contains(t, *s.Value, "-----BEGIN CERTIFICATE-----")
			continue
		}
		pfx, err := base64.StdEncoding.DecodeString(*s.Value)
		require.NoError(t, err)
		pk, got, _, err := pkcs12.DecodeChain(pfx, "")
		require.NoError(t, err, "the vault's PFX has no password: %s", tc.name)
		assert.Equal(t, der, got.Raw)
		assert.True(t, pk.(*rsa.PrivateKey).Equal(key), tc.name)
	}

	_, err = c.ImportCertificate(ctx, "wrong-pwd", azcertificates.ImportCertificateParameters{
		Base64EncodedCertificate: to.Ptr(base64.StdEncoding.EncodeToString(withPwd)), Password: to.Ptr("nope")}, nil)
	requireStatus(t, err, 400)
}
