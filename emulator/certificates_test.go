package emulator

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/store"
	"github.com/kvquota/kvquota/limits"
)

// TestCertImportClassByProfile: a certificate import counts in the row the
// 2025 text shares with secret CREATE, and as its key's CREATE under 2021
// (which is silent on imports), HSM when the policy says so.
func TestCertImportClassByProfile(t *testing.T) {
	t.Parallel()
	fx := newCertFixture(t)
	body := `{"value":` + jsonString(fx.pem) + `}`
	hsm := `{"value":` + jsonString(fx.pem) + `,"policy":{"key_props":{"kty":"EC-HSM"}}}`
	for _, tc := range []struct {
		profile, body string
		want          limits.Class
		ok            bool
	}{
		{"2025", body, limits.SecretsCreate, true},
		{"2021", body, limits.KeyClass(limits.EC, false, true), true},
		{"2021", hsm, limits.KeyClass(limits.EC, true, true), true},
		{"2018", body, limits.KeyClass(limits.EC, false, true), true},
		{"2021", `{"value":"garbage"}`, "", false},
		{"2025", `{"pwd":"x"}`, "", false},
	} {
		e := newEnv(t, Config{Profile: limits.MustGet(tc.profile)})
		r := httptest.NewRequest(http.MethodPost, base+"/certificates/c/import?api-version=7.6", bytes.NewReader([]byte(tc.body)))
		rq := &request{w: httptest.NewRecorder(), r: r, v: e.v, params: map[string]string{"name": "c"}}
		c, ok := classifyCertImport(rq)
		assert.Equal(t, tc.ok, ok, tc.profile+" "+tc.body[:min(20, len(tc.body))])
		assert.Equal(t, tc.want, c, tc.profile)
	}
}

// TestCertX509FromPolicy: the certificate a policy makes carries its subject
// (quoted commas kept), every kind of SAN (UPN as an otherName), key usage
// and EKUs, and is signed by its own key.
func TestCertX509FromPolicy(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p := store.CertPolicy{X509Props: &store.CertX509Props{
		Subject: `CN="Doe, John", O=kvquota, C=NL`, ValidityMonths: 3,
		KeyUsage: []string{"digitalSignature", "keyAgreement"}, Ekus: []string{"1.3.6.1.5.5.7.3.2"},
		SANs: &store.CertSANs{DNSNames: []string{"a.test"}, Emails: []string{"e@a.test"}, IPAddresses: []string{"127.0.0.1", "::1"},
			URIs: []string{"https://a.test/x"}, UPNs: []string{"john@a.test"}},
	}}
	der, err := selfSign(key, p, t0)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	require.NoError(t, c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature), "signed by its own key")
	assert.Equal(t, `CN=Doe\, John,O=kvquota,C=NL`, c.Subject.String())
	assert.Equal(t, []string{"a.test"}, c.DNSNames)
	assert.Equal(t, []string{"e@a.test"}, c.EmailAddresses)
	assert.Len(t, c.IPAddresses, 2)
	assert.Equal(t, "https://a.test/x", c.URIs[0].String())
	assert.Equal(t, x509.KeyUsageDigitalSignature|x509.KeyUsageKeyAgreement, c.KeyUsage)
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, c.ExtKeyUsage)
	assert.Equal(t, t0.AddDate(0, 3, 0), c.NotAfter)
	var san []byte
	for _, ext := range c.Extensions {
		if ext.Id.String() == "2.5.29.17" {
			san = ext.Value
		}
	}
	assert.Contains(t, string(san), "john@a.test", "the UPN is in the subjectAltName")
	csr, err := certRequest(key, p, t0)
	require.NoError(t, err)
	req, err := x509.ParseCertificateRequest(csr)
	require.NoError(t, err)
	require.NoError(t, req.CheckSignature())
	assert.Equal(t, c.Subject.String(), req.Subject.String())
}

// TestCertOwnsManagedKeyAndSecret: a certificate's name answers on /keys
// and /secrets as Key Vault's do (managed, the secret's kid), and the
// vault's deletion policy shows in its bundles and refuses the purge.
func TestCertOwnsManagedKeyAndSecret(t *testing.T) {
	e := newEnv(t, Config{ReuseKeyMaterial: true, Deletion: DeletionPolicy{RetentionDays: 7, PurgeProtection: true}})
	w := e.call(http.MethodPost, "/certificates/c1/create", selfPolicyJSON)
	require.Equal(t, http.StatusAccepted, w.Code, w.Body.String())
	op := decode[certOperation](t, w)
	assert.Equal(t, "inProgress", op.Status, "the 202 shows the operation as it began")
	assert.NotEmpty(t, op.StatusDetails)
	op = decode[certOperation](t, e.call(http.MethodGet, "/certificates/c1/pending", nil))
	assert.Equal(t, "completed", op.Status, "a Self certificate is complete at the first poll")
	assert.Equal(t, base+"/certificates/c1", op.Target)
	cert := decode[certBundle](t, e.call(http.MethodGet, "/certificates/c1", nil))
	k := decode[keyBundle](t, e.call(http.MethodGet, "/keys/c1", nil))
	assert.True(t, k.Managed)
	assert.Equal(t, cert.Kid, k.Key.Kid)
	assert.Equal(t, []string{"sign", "verify"}, k.Key.KeyOps, "an EC certificate's key signs and verifies")
	s := decode[secretBundle](t, e.call(http.MethodGet, "/secrets/c1", nil))
	assert.True(t, s.Managed)
	assert.Equal(t, cert.Kid, s.Kid)
	assert.Equal(t, cert.Sid, s.ID)
	assert.Equal(t, "CustomizedRecoverable", cert.Attributes.RecoveryLevel)
	assert.Equal(t, 7, cert.Attributes.RecoverableDays)

	// The owned secret and key go with the certificate, never on their own.
	w = e.call(http.MethodPut, "/secrets/c1", map[string]any{"value": "x"})
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Equal(t, "SecretManagedByKeyVault", kvError(t, w).InnerError.Code)
	assert.Equal(t, http.StatusForbidden, e.call(http.MethodDelete, "/secrets/c1", nil).Code)
	assert.Equal(t, http.StatusForbidden, e.call(http.MethodDelete, "/keys/c1", nil).Code)
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/plain", map[string]any{"value": "x"}).Code)
	assert.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/secrets/plain", nil).Code, "other secrets are not affected")

	w = e.call(http.MethodDelete, "/certificates/c1", nil)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	d := decode[deletedCertBundle](t, w)
	assert.Equal(t, t0.Unix()+7*24*3600, d.ScheduledPurgeDate)
	w = e.call(http.MethodDelete, "/deletedcertificates/c1", nil)
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, kvError(t, w).Message, "purge protection")
}

// TestCertImportSharesTheCreateRowUnder2025: under profile 2025 a
// certificate import and a secret set use one window of the shared row, so
// with room for two the third of either is a 429; a certificate create is a
// vault transaction (1/4000 of the window, not 1/2): after an import, two
// creates still pass where two more shared-row operations would not.
func TestCertImportSharesTheCreateRowUnder2025(t *testing.T) {
	p, err := limits.MustGet("2025").WithOverrides(map[limits.Class]int{limits.SecretsCreate: 2})
	require.NoError(t, err)
	e := newEnv(t, Config{Profile: p, ReuseKeyMaterial: true})
	fx := newCertFixture(t)
	imp := `{"value":` + jsonString(fx.pem) + `}`
	require.Equal(t, http.StatusOK, e.call(http.MethodPost, "/certificates/i1/import", imp).Code)
	require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/s1", map[string]any{"value": "x"}).Code)
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodPost, "/certificates/i2/import", imp).Code)
	assert.Equal(t, http.StatusTooManyRequests, e.call(http.MethodPut, "/secrets/s2", map[string]any{"value": "x"}).Code)
	e.clk.Advance(11 * time.Second)
	require.Equal(t, http.StatusOK, e.call(http.MethodPost, "/certificates/i3/import", imp).Code)
	assert.Equal(t, http.StatusAccepted, e.call(http.MethodPost, "/certificates/c1/create", selfPolicyJSON).Code)
	assert.Equal(t, http.StatusAccepted, e.call(http.MethodPost, "/certificates/c1/create", selfPolicyJSON).Code)
}

// TestCertSecretWithoutKeyWhenNotExportable: a policy whose key is not
// exportable gives a secret with the certificate only, in either content
// type.
func TestCertSecretWithoutKeyWhenNotExportable(t *testing.T) {
	e := newEnv(t, Config{ReuseKeyMaterial: true})
	for name, ct := range map[string]string{"pfx": contentPKCS12, "pem": contentPEM} {
		body := `{"policy":{"key_props":{"kty":"EC","exportable":false},"secret_props":{"contentType":"` + ct + `"},` +
			`"x509_props":{"subject":"CN=n"},"issuer":{"name":"Self"}}}`
		require.Equal(t, http.StatusAccepted, e.call(http.MethodPost, "/certificates/"+name+"/create", body).Code)
		s := decode[secretBundle](t, e.call(http.MethodGet, "/secrets/"+name, nil))
		require.NotNil(t, s.Value)
		assert.Equal(t, ct, s.ContentType)
		if ct == contentPEM {
			assert.NotContains(t, *s.Value, "PRIVATE KEY")
			assert.Contains(t, *s.Value, "BEGIN CERTIFICATE")
			continue
		}
		pfx, err := base64.StdEncoding.DecodeString(*s.Value)
		require.NoError(t, err)
		certs, err := pkcs12.DecodeTrustStore(pfx, "")
		require.NoError(t, err, "a PFX of the certificate alone")
		assert.Len(t, certs, 1)
		_, _, err = pkcs12.Decode(pfx, "")
		assert.Error(t, err, "no private key in it")
	}
}

// TestCertAccessThroughTheVault: the permissions the certificate routes
// declare are the ones access policies and RBAC judge: a Certificate User
// reads certificates and their secrets but may not create, and an access
// policy with only certificates/get is refused an import.
func TestCertAccessThroughTheVault(t *testing.T) {
	e := newEnv(t, Config{ReuseKeyMaterial: true, Access: access.Config{Mode: access.ModeRBAC,
		Assignments: []access.Assignment{{ObjectID: auth.DefaultObjectID, Role: "Key Vault Certificate User"}}}})
	w := e.call(http.MethodPost, "/certificates/c1/create", selfPolicyJSON)
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Equal(t, access.InnerRBAC, kvError(t, w).InnerError.Code)
	assert.Contains(t, kvError(t, w).Message, "Microsoft.KeyVault/vaults/certificates/create/action")
	assert.Equal(t, http.StatusNotFound, e.call(http.MethodGet, "/certificates/c1", nil).Code, "get is granted: the answer is the absence")

	p := newEnv(t, Config{ReuseKeyMaterial: true, Access: access.Config{
		Policies: []access.Policy{{ObjectID: auth.DefaultObjectID, Certificates: []string{"get"}}}}})
	w = p.call(http.MethodPost, "/certificates/c1/import", `{"value":"x"}`)
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, kvError(t, w).Message, "does not have certificates import permission")
	assert.Equal(t, http.StatusForbidden, p.call(http.MethodGet, "/certificates/contacts", nil).Code, "contacts need managecontacts")
}
