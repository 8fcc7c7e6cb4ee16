package kvtest_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azcertificates"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/kvtest"
	"github.com/kvquota/kvquota/limits"
)

// noRetries are a vault's secrets options that let a 429 through at once.
func noRetries(v *kvtest.Vault) *azsecrets.ClientOptions {
	o := v.SecretsOptions()
	o.Retry.MaxRetries = -1
	return o
}

// status is the HTTP status of an SDK error (0 for none or another error).
func status(err error) int {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode
	}
	return 0
}

// TestVaultNameIsTheHost: Config.VaultName names the vault's host.
func TestVaultNameIsTheHost(t *testing.T) {
	v := kvtest.New(t, kvtest.WithConfig(func(c *emulator.Config) { c.VaultName = "Orders-Prod" }))
	assert.Equal(t, "https://orders-prod.vault.azure.net/", v.URL)
	c, err := azsecrets.NewClient(v.URL, v.Credential, noRetries(v))
	require.NoError(t, err)
	set, err := c.SetSecret(context.Background(), "s", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
	require.NoError(t, err)
	assert.Equal(t, "https://orders-prod.vault.azure.net/secrets/s/"+set.ID.Version(), string(*set.ID))
}

func TestDefaultsEnforceTheDocumentedLimits(t *testing.T) {
	v := kvtest.New(t)
	assert.Equal(t, "https://kvtest.vault.azure.net/", v.URL)
	c, err := azsecrets.NewClient(v.URL, v.Credential, noRetries(v))
	require.NoError(t, err)
	ctx := context.Background()
	set, err := c.SetSecret(ctx, "s", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
	require.NoError(t, err)
	assert.Equal(t, "https://kvtest.vault.azure.net/secrets/s/"+set.ID.Version(), string(*set.ID))
	// 2025: 300 secret sets per window (with imports), sets and reads sharing
	// one weighted sum: 299 more sets fill it; the 301st is throttled.
	for i := range 299 {
		_, err := c.SetSecret(ctx, "s", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
		require.NoError(t, err, "set %d", i+2)
	}
	_, err = c.SetSecret(ctx, "s", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
	assert.Equal(t, http.StatusTooManyRequests, status(err), "throttling is on by default: %v", err)
}

func TestKeysAndCertificatesClients(t *testing.T) {
	v := kvtest.New(t, kvtest.WithConfig(func(c *emulator.Config) { c.ReuseKeyMaterial = true }))
	ctx := context.Background()
	kc, err := azkeys.NewClient(v.URL, v.Credential, v.KeysOptions())
	require.NoError(t, err)
	key, err := kc.CreateKey(ctx, "signer", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeEC), Curve: to.Ptr(azkeys.CurveNameP256)}, nil)
	require.NoError(t, err)
	digest := sha256.Sum256([]byte("kvtest"))
	sig, err := kc.Sign(ctx, "signer", key.Key.KID.Version(), azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmES256), Value: digest[:]}, nil)
	require.NoError(t, err)
	ok, err := kc.Verify(ctx, "signer", "", azkeys.VerifyParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmES256), Digest: digest[:], Signature: sig.Result}, nil)
	require.NoError(t, err)
	assert.True(t, *ok.Value)

	cc, err := azcertificates.NewClient(v.URL, v.Credential, v.CertificatesOptions())
	require.NoError(t, err)
	policy := &azcertificates.CertificatePolicy{
		IssuerParameters:          &azcertificates.IssuerParameters{Name: to.Ptr("Self")},
		KeyProperties:             &azcertificates.KeyProperties{KeyType: to.Ptr(azcertificates.KeyTypeEC), Curve: to.Ptr(azcertificates.CurveNameP256)},
		X509CertificateProperties: &azcertificates.X509CertificateProperties{Subject: to.Ptr("CN=app.example.test"), ValidityInMonths: to.Ptr(int32(1))},
	}
	_, err = cc.CreateCertificate(ctx, "web", azcertificates.CreateCertificateParameters{CertificatePolicy: policy}, nil)
	require.NoError(t, err)
	op, err := cc.GetCertificateOperation(ctx, "web", nil)
	require.NoError(t, err)
	assert.Equal(t, "completed", *op.Status, "a Self-issued certificate is issued at once")
	got, err := cc.GetCertificate(ctx, "web", "", nil)
	require.NoError(t, err)
	assert.NotEmpty(t, got.CER)
}

// TestWindowModels: after a full window, two seconds on, the sliding window
// still refuses while a token bucket has drained a fifth of it (with two
// classes in it, the bucket rounds each class's share up, so one second's
// tenth would not quite make room for a read).
func TestWindowModels(t *testing.T) {
	for _, tc := range []struct {
		model   limits.WindowModel
		readsOK bool
	}{{limits.Sliding, false}, {limits.TokenBucket, true}} {
		t.Run(string(tc.model), func(t *testing.T) {
			v := kvtest.New(t, kvtest.WithProfile("2021", "secrets=10", "secrets-create=10"), kvtest.WithWindow(tc.model))
			c, err := azsecrets.NewClient(v.URL, v.Credential, noRetries(v))
			require.NoError(t, err)
			ctx := context.Background()
			_, err = c.SetSecret(ctx, "s", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
			require.NoError(t, err)
			for range 9 {
				_, err = c.GetSecret(ctx, "s", "", nil)
				require.NoError(t, err)
			}
			_, err = c.GetSecret(ctx, "s", "", nil)
			require.Equal(t, http.StatusTooManyRequests, status(err), "%v", err)
			v.Advance(2 * time.Second)
			_, err = c.GetSecret(ctx, "s", "", nil)
			assert.Equal(t, tc.readsOK, err == nil, "two seconds after a full window: %v", err)
		})
	}
}

func TestBadOptionsNameTheOption(t *testing.T) {
	for _, tc := range []struct {
		opt  kvtest.Option
		want string
	}{
		{kvtest.WithProfile("2019"), `WithProfile: unknown limits profile "2019"`},
		{kvtest.WithProfile("", "secrets"), `WithProfile: limit override "secrets": want CLASS=N`},
		{kvtest.WithProfile("", "secrets=0"), `WithProfile: limit override "secrets=0"`},
		{kvtest.WithProfile("", "vault=5"), `WithProfile: limit override "vault=5"`},
		{kvtest.WithWindow("leaky"), `WithWindow: unknown window model "leaky"`},
		{kvtest.WithConfig(func(c *emulator.Config) { c.Deletion.RetentionDays = 3 }), "retention"},
		{kvtest.WithConfig(func(c *emulator.Config) { c.VaultName = "my_vault" }), `WithConfig: VaultName "my_vault" cannot be a vault's host name`},
	} {
		v, err := kvtest.Start(tc.opt)
		if !assert.Error(t, err, tc.want) {
			v.Close()
			continue
		}
		assert.ErrorContains(t, err, tc.want)
	}
}

// TestAccessPoliciesAndOtherIdentities: WithConfig's access policies give
// 403s in Key Vault's shape, and a second identity signs in at the vault's
// tenant with the vault's client options.
func TestAccessPoliciesAndOtherIdentities(t *testing.T) {
	reader := auth.Identity{ClientID: "11111111-2222-3333-4444-555555555555", ClientSecret: "reader-secret", ObjectID: "66666666-7777-8888-9999-000000000000"}
	v := kvtest.New(t, kvtest.WithConfig(func(c *emulator.Config) {
		c.Identities = []auth.Identity{auth.DefaultIdentity(), reader}
		c.Access = access.Config{Policies: []access.Policy{
			{ObjectID: auth.DefaultObjectID, Secrets: []string{"all"}},
			{ObjectID: reader.ObjectID, Secrets: []string{"get"}},
		}}
	}))
	ctx := context.Background()
	admin, err := azsecrets.NewClient(v.URL, v.Credential, v.SecretsOptions())
	require.NoError(t, err)
	_, err = admin.SetSecret(ctx, "s", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
	require.NoError(t, err)

	cred, err := azidentity.NewClientSecretCredential(v.TenantID, reader.ClientID, reader.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: v.ClientOptions()})
	require.NoError(t, err)
	rc, err := azsecrets.NewClient(v.URL, cred, v.SecretsOptions())
	require.NoError(t, err)
	got, err := rc.GetSecret(ctx, "s", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "v", *got.Value)
	_, err = rc.SetSecret(ctx, "s", azsecrets.SetSecretParameters{Value: to.Ptr("w")}, nil)
	var re *azcore.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusForbidden, re.StatusCode)
	assert.Equal(t, "Forbidden", re.ErrorCode)
}

// TestAdvanceKeepsTheCredentialsToken: the credential caches its token by
// the wall clock, the vault checks it by its fake one; hours of Advance stay
// inside the token's lifetime.
func TestAdvanceKeepsTheCredentialsToken(t *testing.T) {
	v := kvtest.New(t)
	c, err := azsecrets.NewClient(v.URL, v.Credential, noRetries(v))
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.SetSecret(ctx, "s", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
	require.NoError(t, err)
	v.Advance(6 * time.Hour)
	got, err := c.GetSecret(ctx, "s", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "v", *got.Value)
	set, err := c.SetSecret(ctx, "s", azsecrets.SetSecretParameters{Value: to.Ptr("w")}, nil)
	require.NoError(t, err)
	assert.Equal(t, 6*time.Hour, set.Attributes.Updated.Sub(*got.Attributes.Updated).Round(time.Minute), "stored times follow the fake clock")
}

// TestNewClosesWithTheTest: the vault a subtest made is gone when the
// subtest has ended.
func TestNewClosesWithTheTest(t *testing.T) {
	var v *kvtest.Vault
	t.Run("inner", func(t *testing.T) {
		v = kvtest.New(t)
		c, err := azsecrets.NewClient(v.URL, v.Credential, noRetries(v))
		require.NoError(t, err)
		_, err = c.SetSecret(context.Background(), "s", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
		require.NoError(t, err)
	})
	c, err := azsecrets.NewClient(v.URL, v.Credential, noRetries(v))
	require.NoError(t, err)
	_, err = c.GetSecret(context.Background(), "s", "", nil)
	require.Error(t, err)
	assert.Zero(t, status(err), "no vault answers: %v", err)
}

// TestFirewallAndRBAC: the firewall and RBAC of WithConfig answer with Key
// Vault's 403 innererrors.
func TestFirewallAndRBAC(t *testing.T) {
	for _, tc := range []struct {
		name  string
		acl   access.Config
		inner string
	}{
		{"firewall", access.Config{Firewall: access.Firewall{DefaultAction: "Deny", IPRules: []string{"203.0.113.0/24"}}}, access.InnerFirewall},
		{"rbac", access.Config{Mode: access.ModeRBAC, Assignments: []access.Assignment{{ObjectID: auth.DefaultObjectID, Role: "Key Vault Secrets User"}}}, access.InnerRBAC},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := kvtest.New(t, kvtest.WithConfig(func(c *emulator.Config) { c.Access = tc.acl }))
			c, err := azsecrets.NewClient(v.URL, v.Credential, noRetries(v))
			require.NoError(t, err)
			_, err = c.SetSecret(context.Background(), "s", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
			var re *azcore.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, http.StatusForbidden, re.StatusCode)
			assert.Contains(t, err.Error(), `"code": "`+tc.inner+`"`)
		})
	}
}
