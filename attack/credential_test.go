package attack

import (
	"context"
	"crypto/tls"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
)

// TestAzureCredentialSignsInAtTheEmulator: the client-secret path of
// NewAzureCredential, through azidentity and MSAL, against the emulator's
// authority over HTTPS; the token is one the vault accepts.
func TestAzureCredentialSignsInAtTheEmulator(t *testing.T) {
	t.Parallel()
	v, err := emulator.New(emulator.Config{})
	require.NoError(t, err)
	srv, err := emulator.Start(v, "")
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.CertPool(), MinVersion: tls.VersionTLS12}}}

	id := auth.DefaultIdentity()
	c, err := NewAzureCredential(CredentialOptions{
		TenantID: auth.DefaultTenant, ClientID: id.ClientID, ClientSecret: id.ClientSecret,
		AuthorityHost: srv.URL, DisableInstanceDiscovery: true, Client: client,
	})
	require.NoError(t, err)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, 3, len(strings.Split(tok, ".")))

	req, err := http.NewRequest(http.MethodGet, srv.URL+"/secrets/absent?api-version=7.5", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "the vault took the token")

	_, err = NewAzureCredential(CredentialOptions{ClientSecret: "x"})
	require.ErrorContains(t, err, "needs a tenant id and a client id")
}

// countingCredential is an azcore.TokenCredential that hands out numbered
// tokens valid for an hour of the test's clock.
type countingCredential struct {
	mu    sync.Mutex
	calls int
	now   func() time.Time
}

func (c *countingCredential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	return azcore.AccessToken{Token: "t" + string(rune('0'+c.calls)) + "-" + strings.Join(o.Scopes, ","), ExpiresOn: c.now().Add(time.Hour)}, nil
}

// TestAzureCredentialRefreshesBeforeExpiry: one sign-in for many concurrent
// requests, a new one five minutes before the token expires.
func TestAzureCredentialRefreshesBeforeExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	cc := &countingCredential{now: clock}
	c := &AzureCredential{Credential: cc, Now: clock}
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := c.Token(context.Background())
			assert.NoError(t, err)
			assert.Equal(t, "t1-"+KeyVaultScope, tok)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, cc.calls)

	now = now.Add(54 * time.Minute)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "t1-"+KeyVaultScope, tok)
	now = now.Add(2 * time.Minute) // 4 minutes left: refresh
	tok, err = c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "t2-"+KeyVaultScope, tok)
	assert.Equal(t, 2, cc.calls)
}
