package sdktest

import (
	"crypto/tls"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
)

// env is an emulated vault served over HTTPS on loopback, with an HTTP client
// that trusts its CA and nothing else.
type env struct {
	t      *testing.T
	vault  *emulator.Vault
	srv    *emulator.Server
	client *http.Client
}

func newEnv(t *testing.T, cfg emulator.Config) *env {
	t.Helper()
	v, err := emulator.New(cfg)
	require.NoError(t, err)
	srv, err := emulator.Start(v, "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: srv.CertPool(), MinVersion: tls.VersionTLS12},
		},
	}
	t.Cleanup(client.CloseIdleConnections)
	return &env{t: t, vault: v, srv: srv, client: client}
}

// clientOptions points the SDK's pipeline at the emulator: its transport,
// the emulator as the Azure AD authority, and extra per-retry policies.
func (e *env) clientOptions(perRetry ...policy.Policy) azcore.ClientOptions {
	return azcore.ClientOptions{
		Transport:        e.client,
		Cloud:            cloud.Configuration{ActiveDirectoryAuthorityHost: e.srv.URL + "/"},
		PerRetryPolicies: perRetry,
	}
}

// credential is azidentity's ClientSecretCredential for id, signing in at the
// emulator. Instance discovery is off: it would ask login.microsoftonline.com
// whether the emulator is a known authority.
func (e *env) credential(id auth.Identity) *azidentity.ClientSecretCredential {
	e.t.Helper()
	cred, err := azidentity.NewClientSecretCredential(e.vault.Config().Tenant, id.ClientID, id.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: e.clientOptions(), DisableInstanceDiscovery: true})
	require.NoError(e.t, err)
	return cred
}

// secrets is an azsecrets client signed in as the default identity. The
// challenge names the emulator on 127.0.0.1, not a *.vault.azure.net host, so
// resource verification has to be off.
func (e *env) secrets(perRetry ...policy.Policy) *azsecrets.Client {
	e.t.Helper()
	c, err := azsecrets.NewClient(e.srv.URL, e.credential(auth.DefaultIdentity()), &azsecrets.ClientOptions{
		ClientOptions:                        e.clientOptions(perRetry...),
		DisableChallengeResourceVerification: true,
	})
	require.NoError(e.t, err)
	return c
}

// keys is an azkeys client signed in as the default identity.
func (e *env) keys() *azkeys.Client {
	e.t.Helper()
	c, err := azkeys.NewClient(e.srv.URL, e.credential(auth.DefaultIdentity()), &azkeys.ClientOptions{
		ClientOptions:                        e.clientOptions(),
		DisableChallengeResourceVerification: true,
	})
	require.NoError(e.t, err)
	return c
}

// recorder is a per-retry policy that notes every response the SDK got, so
// a test can tell the challenge's 401 and a 429 from the final answer.
type recorder struct {
	seen []seen
	// after runs after each response, e.g. to move a fake clock.
	after func(*http.Response)
}

type seen struct {
	method, path string
	status       int
	header       http.Header
}

func (r *recorder) Do(req *policy.Request) (*http.Response, error) {
	resp, err := req.Next()
	if resp != nil {
		r.seen = append(r.seen, seen{req.Raw().Method, req.Raw().URL.Path, resp.StatusCode, resp.Header.Clone()})
		if r.after != nil {
			r.after(resp)
		}
	}
	return resp, err
}

func (r *recorder) statuses() []int {
	out := make([]int, len(r.seen))
	for i, s := range r.seen {
		out[i] = s.status
	}
	return out
}
