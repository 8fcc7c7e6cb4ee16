package sdktest

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
)

// dropInTransport is an HTTP client that sends every connection, whatever
// host it names, to the emulator's loopback address: what a hosts file line
// "127.0.0.1 kv1.vault.azure.net login.microsoftonline.com" does, without
// touching /etc/hosts. Only the dial is redirected: the request's URL, Host
// header and TLS server name stay the real names, and the certificate is
// verified against them (trusting only the emulator's CA), so the emulator
// must answer as those hosts for the SDK to get anywhere.
func dropInTransport(t *testing.T, srv *emulator.Server) (*http.Client, *urlLog) {
	t.Helper()
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	d := &net.Dialer{Timeout: 10 * time.Second}
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: srv.CertPool(), MinVersion: tls.VersionTLS12},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, u.Host)
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	log := &urlLog{next: tr}
	return &http.Client{Transport: log, Timeout: 30 * time.Second}, log
}

// urlLog notes the URL of every request sent (scheme, host and path).
type urlLog struct {
	next http.RoundTripper
	mu   sync.Mutex
	urls []string
}

func (l *urlLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.urls = append(l.urls, r.URL.Scheme+"://"+r.URL.Host+r.URL.Path)
	l.mu.Unlock()
	return l.next.RoundTrip(r)
}

func (l *urlLog) sent() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.urls...)
}

// dropInEnv is an emulator in drop-in mode (its certificate names
// *.vault.azure.net and login.microsoftonline.com) on a free loopback port.
func dropInEnv(t *testing.T) (*emulator.Vault, *emulator.Server) {
	t.Helper()
	v, err := emulator.New(emulator.Config{DropIn: true})
	require.NoError(t, err)
	srv, err := emulator.Start(v, "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	return v, srv
}

// TestDropInUnmodifiedClient: an unmodified ClientSecretCredential (default
// authority login.microsoftonline.com, instance discovery on) and an
// unmodified azsecrets client (challenge resource verification on) for
// https://kv1.vault.azure.net/ work against the emulator, and so does an
// unmodified azkeys client for https://kv2.vault.azure.net. The test's only
// change to the SDK's defaults is its transport, whose dialer stands in for
// a hosts file (see dropInTransport).
func TestDropInUnmodifiedClient(t *testing.T) {
	v, srv := dropInEnv(t)
	hc, log := dropInTransport(t, srv)
	id := auth.DefaultIdentity()
	cred, err := azidentity.NewClientSecretCredential(v.Config().Tenant, id.ClientID, id.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: azcore.ClientOptions{Transport: hc}})
	require.NoError(t, err)
	rec := &recorder{}
	c, err := azsecrets.NewClient("https://kv1.vault.azure.net/", cred,
		&azsecrets.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: hc, PerRetryPolicies: []policy.Policy{rec}}})
	require.NoError(t, err)
	ctx := context.Background()

	set, err := c.SetSecret(ctx, "drop-in", azsecrets.SetSecretParameters{Value: to.Ptr("unmodified")}, nil)
	require.NoError(t, err)
	assert.Equal(t, "https://kv1.vault.azure.net/secrets/drop-in/"+set.ID.Version(), string(*set.ID))
	require.NotEmpty(t, rec.seen)
	assert.Equal(t, http.StatusUnauthorized, rec.seen[0].status)
	assert.Equal(t, `Bearer authorization="https://login.microsoftonline.com/`+v.Config().Tenant+`", resource="https://vault.azure.net"`,
		rec.seen[0].header.Get("WWW-Authenticate"), "the challenge Key Vault sends")

	got, err := c.GetSecret(ctx, "drop-in", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "unmodified", *got.Value)
	tenant := v.Config().Tenant
	assert.Contains(t, log.sent(), "https://login.microsoftonline.com/"+tenant+"/v2.0/.well-known/openid-configuration")
	assert.Contains(t, log.sent(), "https://login.microsoftonline.com/"+tenant+"/oauth2/v2.0/token")

	// An unmodified azkeys client on the same credential, for another vault.
	kc, err := azkeys.NewClient("https://kv2.vault.azure.net", cred, &azkeys.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: hc}})
	require.NoError(t, err)
	key, err := kc.CreateKey(ctx, "drop-in-key", azkeys.CreateKeyParameters{Kty: to.Ptr(azkeys.KeyTypeEC), Curve: to.Ptr(azkeys.CurveNameP256)}, nil)
	require.NoError(t, err)
	assert.Equal(t, "https://kv2.vault.azure.net/keys/drop-in-key/"+key.Key.KID.Version(), string(*key.Key.KID))
	digest := sha256.Sum256([]byte("drop-in"))
	sig, err := kc.Sign(ctx, "drop-in-key", "", azkeys.SignParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmES256), Value: digest[:]}, nil)
	require.NoError(t, err)
	ok, err := kc.Verify(ctx, "drop-in-key", "", azkeys.VerifyParameters{Algorithm: to.Ptr(azkeys.SignatureAlgorithmES256), Digest: digest[:], Signature: sig.Result}, nil)
	require.NoError(t, err)
	assert.True(t, *ok.Value)
}

// TestDropInInstanceDiscovery: a credential whose authority is not one of
// Azure AD's hosts (here localhost, as AZURE_AUTHORITY_HOST at the emulator
// would be) keeps instance discovery on, so MSAL first asks
// https://login.microsoftonline.com/common/discovery/instance about it; the
// emulator answers as Azure AD and the sign-in goes through.
func TestDropInInstanceDiscovery(t *testing.T) {
	v, srv := dropInEnv(t)
	hc, log := dropInTransport(t, srv)
	_, port, err := net.SplitHostPort(srv.URL[len("https://"):])
	require.NoError(t, err)
	id := auth.DefaultIdentity()
	cred, err := azidentity.NewClientSecretCredential(v.Config().Tenant, id.ClientID, id.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: azcore.ClientOptions{
			Transport: hc,
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: "https://localhost:" + port + "/"},
		}})
	require.NoError(t, err)
	c, err := azsecrets.NewClient("https://kv2.vault.azure.net", cred, &azsecrets.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: hc}})
	require.NoError(t, err)
	_, err = c.SetSecret(context.Background(), "discovered", azsecrets.SetSecretParameters{Value: to.Ptr("x")}, nil)
	require.NoError(t, err)
	sent := log.sent()
	assert.Contains(t, sent, "https://login.microsoftonline.com/common/discovery/instance")
	assert.Contains(t, sent, "https://localhost:"+port+"/"+v.Config().Tenant+"/oauth2/v2.0/token")
}
