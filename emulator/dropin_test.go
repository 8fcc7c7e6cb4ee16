package emulator

import (
	"crypto/tls"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
)

// TestVaultByHostName: a Host of <name>.vault.azure.net selects vault <name>
// (its own quota bucket, ids on its own host) and its challenge names Azure
// AD's host; the path prefix and the default vault work as before.
func TestVaultByHostName(t *testing.T) {
	e := newEnv(t, Config{Profile: limited(t, 3, 100)})
	w := e.call(http.MethodPut, "https://kv1.vault.azure.net/secrets/s?api-version=7.6", map[string]string{"value": "v"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.True(t, strings.HasPrefix(decode[secretBundle](t, w).ID, "https://kv1.vault.azure.net/secrets/s/"))

	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "https://KV1.vault.azure.net:443/secrets/s?api-version=7.6", nil).Code)
	full := false
	for range 5 {
		if e.call(http.MethodGet, "https://kv1.vault.azure.net/secrets/s?api-version=7.6", nil).Code == http.StatusTooManyRequests {
			full = true
			break
		}
	}
	require.True(t, full, "kv1's bucket fills")
	assert.Equal(t, http.StatusOK, e.call(http.MethodGet, "https://kv2.vault.azure.net/secrets/s?api-version=7.6", nil).Code, "kv2 has its own bucket")
	assert.Equal(t, http.StatusOK, e.call(http.MethodGet, "/secrets/s", nil).Code, "the default vault too")
	assert.Equal(t, http.StatusOK, e.call(http.MethodGet, "/vaults/b/secrets/s", nil).Code, "and a path prefix")

	w = e.send(http.MethodGet, "https://kv1.vault.azure.net/secrets/s?api-version=7.6", nil, "")
	require.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, `Bearer authorization="https://login.microsoftonline.com/`+auth.DefaultTenant+`", resource="https://vault.azure.net"`, w.Header().Get("WWW-Authenticate"))
	w = e.send(http.MethodGet, "/secrets/s?api-version=7.6", nil, "")
	assert.Equal(t, `Bearer authorization="`+base+"/"+auth.DefaultTenant+`", resource="https://vault.azure.net"`, w.Header().Get("WWW-Authenticate"), "elsewhere the emulator is the authority")
}

func TestVaultOfHost(t *testing.T) {
	for host, want := range map[string]string{
		"kv1.vault.azure.net": "kv1", "KV1.Vault.Azure.Net:443": "kv1", "a-b.vault.azure.net:8443": "a-b",
	} {
		got, ok := vaultOfHost(host)
		assert.True(t, ok, host)
		assert.Equal(t, want, got, host)
	}
	for _, host := range []string{"vault.azure.net", ".vault.azure.net", "a.b.vault.azure.net", "kv1.vault.azure.net.evil", "127.0.0.1:443", "a_b.vault.azure.net", ""} {
		_, ok := vaultOfHost(host)
		assert.False(t, ok, host)
	}
}

// TestDropInCertificateNames: with DropIn the server's certificate verifies
// for any vault host and Azure AD's public-cloud hosts; without it, for none.
func TestDropInCertificateNames(t *testing.T) {
	for _, dropIn := range []bool{true, false} {
		v, err := newVault(Config{DropIn: dropIn}, auth.WithKey(sharedKey()))
		require.NoError(t, err)
		s, err := Start(v, "127.0.0.1:0")
		require.NoError(t, err)
		conn, err := tls.Dial("tcp", strings.TrimPrefix(s.URL, "https://"), &tls.Config{RootCAs: s.CertPool(), ServerName: "localhost", MinVersion: tls.VersionTLS12})
		require.NoError(t, err)
		leaf := conn.ConnectionState().PeerCertificates[0]
		_ = conn.Close()
		require.NoError(t, s.Close())
		for _, host := range []string{"kv1.vault.azure.net", "login.microsoftonline.com", "login.windows.net"} {
			assert.Equal(t, dropIn, leaf.VerifyHostname(host) == nil, "%s (drop-in %v)", host, dropIn)
		}
		assert.Error(t, leaf.VerifyHostname("a.b.vault.azure.net"), "a wildcard covers one label")
		assert.Contains(t, DropInNotes(v, s), "127.0.0.1 emulator.vault.azure.net login.microsoftonline.com")
	}
}
