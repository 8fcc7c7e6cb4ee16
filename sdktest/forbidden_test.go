package sdktest

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/auth"
)

// forbidden asserts err is Key Vault's 403 with the given innererror, as the
// SDK surfaces it.
func forbidden(t *testing.T, err error, inner string) {
	t.Helper()
	var re *azcore.ResponseError
	require.True(t, errors.As(err, &re), "want a ResponseError, got %v", err)
	assert.Equal(t, http.StatusForbidden, re.StatusCode)
	assert.Equal(t, "Forbidden", re.ErrorCode)
	assert.Contains(t, err.Error(), `"innererror"`)
	assert.Contains(t, err.Error(), inner)
}

// TestAccessPolicyDeniesThroughSDK: an identity whose access policy grants
// only get and list reads, and is refused a set with innererror AccessDenied.
func TestAccessPolicyDeniesThroughSDK(t *testing.T) {
	e := newEnv(t, emulator.Config{Access: access.Config{Policies: []access.Policy{
		{ObjectID: auth.DefaultObjectID, Secrets: []string{"get", "list"}},
	}}})
	c := e.secrets()
	_, err := c.SetSecret(context.Background(), "nope", azsecrets.SetSecretParameters{Value: to.Ptr("x")}, nil)
	forbidden(t, err, access.InnerPolicy)
	assert.Contains(t, err.Error(), "does not have secrets set permission on key vault")

	_, err = c.GetSecret(context.Background(), "absent", "", nil)
	var re *azcore.ResponseError
	require.True(t, errors.As(err, &re))
	assert.Equal(t, http.StatusNotFound, re.StatusCode, "get is granted, so the answer is the secret's absence")
}

// TestRBACDeniesThroughSDK: an RBAC-mode vault where the caller holds no role.
func TestRBACDeniesThroughSDK(t *testing.T) {
	e := newEnv(t, emulator.Config{Access: access.Config{Mode: access.ModeRBAC}})
	_, err := e.secrets().GetSecret(context.Background(), "any", "", nil)
	forbidden(t, err, access.InnerRBAC)
	assert.Contains(t, err.Error(), "Microsoft.KeyVault/vaults/secrets/getSecret/action")
}

// TestFirewallByConnectionAddress sends from two loopback source addresses:
// 127.0.0.2 is in the vault's IP rules, 127.0.0.3 is not. The emulator judges
// the connection's address, so both outcomes are real.
func TestFirewallByConnectionAddress(t *testing.T) {
	e := newEnv(t, emulator.Config{Access: access.Config{Firewall: access.Firewall{
		DefaultAction: "Deny", IPRules: []string{"127.0.0.2/32"},
	}}})
	from := func(src string) *azsecrets.Client {
		tr := &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: e.srv.CertPool(), MinVersion: tls.VersionTLS12},
			DialContext: (&net.Dialer{
				LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)},
				Timeout:   10 * time.Second,
			}).DialContext,
		}
		t.Cleanup(tr.CloseIdleConnections)
		opts := e.clientOptions()
		opts.Transport = &http.Client{Transport: tr, Timeout: 30 * time.Second}
		c, err := azsecrets.NewClient(e.srv.URL, e.credential(auth.DefaultIdentity()), &azsecrets.ClientOptions{
			ClientOptions: opts, DisableChallengeResourceVerification: true,
		})
		require.NoError(t, err)
		return c
	}
	ctx := context.Background()
	_, err := from("127.0.0.2").SetSecret(ctx, "inside", azsecrets.SetSecretParameters{Value: to.Ptr("x")}, nil)
	require.NoError(t, err)
	_, err = from("127.0.0.3").GetSecret(ctx, "inside", "", nil)
	forbidden(t, err, access.InnerFirewall)
	assert.Contains(t, err.Error(), "Client address: 127.0.0.3")
}

// TestNoChallengeBreaksTheSDK is the lax emulator as a client sees it: without
// WWW-Authenticate the SDK cannot learn where to get a token.
func TestNoChallengeBreaksTheSDK(t *testing.T) {
	e := newEnv(t, emulator.Config{Lax: emulator.LaxNoChallenge})
	_, err := e.secrets().GetSecret(context.Background(), "any", "", nil)
	require.Error(t, err)
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		assert.Equal(t, http.StatusUnauthorized, re.StatusCode)
	}
}
