package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
)

func TestServesOverHTTPSToAClientThatTrustsItsCA(t *testing.T) {
	t.Parallel()
	v, err := newVault(Config{}, auth.WithKey(sharedKey()))
	require.NoError(t, err)
	s, err := Start(v, "")
	require.NoError(t, err)
	defer func() { require.NoError(t, s.Close()) }()
	require.True(t, strings.HasPrefix(s.URL, "https://127.0.0.1:"), s.URL)

	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CertPool(), MinVersion: tls.VersionTLS12}},
	}

	// The challenge sends the client to the emulator itself.
	resp, err := client.Get(s.URL + "/secrets/hello?api-version=7.6")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	challenge := resp.Header.Get("WWW-Authenticate")
	assert.Equal(t, `Bearer authorization="`+s.URL+"/"+auth.DefaultTenant+`", resource="https://vault.azure.net"`, challenge)

	// Get a token where the challenge points.
	authority := strings.Split(challenge, `"`)[1]
	resp, err = client.PostForm(authority+"/oauth2/v2.0/token", url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {auth.DefaultClientID},
		"client_secret": {auth.DefaultClientSecret},
		"scope":         {"https://vault.azure.net/.default"},
	})
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	do := func(method, path, body string) (*http.Response, map[string]any) {
		req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		return resp, m
	}
	resp, m := do(http.MethodPut, "/secrets/hello?api-version=7.6", `{"value":"world"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, m)
	assert.True(t, strings.HasPrefix(m["id"].(string), s.URL+"/secrets/hello/"), "ids carry the address the client used")
	resp, m = do(http.MethodGet, "/secrets/hello?api-version=7.6", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "world", m["value"])
	assert.Equal(t, "conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;", resp.Header.Get("x-ms-keyvault-network-info"))

	// A client trusting only the system roots refuses the emulator.
	_, err = (&http.Client{Timeout: 10 * time.Second}).Get(s.URL + "/secrets?api-version=7.6")
	require.Error(t, err)
	var unknownAuthority x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &unknownAuthority)
}

func TestCertificatesCoverLoopbackNamesAndComeFromTheCA(t *testing.T) {
	v, err := newVault(Config{}, auth.WithKey(sharedKey()))
	require.NoError(t, err)
	s, err := Start(v, "127.0.0.1:0")
	require.NoError(t, err)
	defer s.Close()

	block, rest := pem.Decode(s.CACertPEM)
	require.NotNil(t, block)
	assert.Empty(t, strings.TrimSpace(string(rest)))
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.True(t, ca.IsCA)
	assert.Equal(t, x509.ECDSA, ca.PublicKeyAlgorithm)

	conn, err := tls.Dial("tcp", strings.TrimPrefix(s.URL, "https://"), &tls.Config{RootCAs: s.CertPool(), ServerName: "localhost", MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	leaf := conn.ConnectionState().PeerCertificates[0]
	conn.Close()
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		assert.NoError(t, leaf.VerifyHostname(host), host)
	}
	assert.Error(t, leaf.VerifyHostname("example.com"))
	_, err = leaf.Verify(x509.VerifyOptions{Roots: s.CertPool(), DNSName: "localhost"})
	assert.NoError(t, err)
}

func TestStartRefusesBadInput(t *testing.T) {
	_, err := Start(nil, "")
	assert.Error(t, err)
	v, err := newVault(Config{}, auth.WithKey(sharedKey()))
	require.NoError(t, err)
	_, err = Start(v, "no-port")
	assert.ErrorContains(t, err, "no-port")

	s, err := Start(v, "")
	require.NoError(t, err)
	_, err = Start(v, strings.TrimPrefix(s.URL, "https://"))
	assert.Error(t, err, "the port is taken")
	require.NoError(t, s.Close())
	assert.NoError(t, s.Close(), "closing twice is harmless")
}

func TestExtraHostsJoinTheCertificate(t *testing.T) {
	c, err := newCertificates("0.0.0.0", "emulator.internal", "192.0.2.7", "127.0.0.1", "127.0.1.14", "localhost")
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(c.leaf.Certificate[0])
	require.NoError(t, err)
	assert.NoError(t, leaf.VerifyHostname("emulator.internal"))
	assert.NoError(t, leaf.VerifyHostname("192.0.2.7"))
	assert.NoError(t, leaf.VerifyHostname("127.0.1.14"), "a loopback address other than 127.0.0.1 is named too")
	assert.Len(t, leaf.IPAddresses, 4, "127.0.0.1, ::1, 192.0.2.7, 127.0.1.14: none twice")
	assert.Error(t, leaf.VerifyHostname("0.0.0.0"), "an unspecified address is no name")
	assert.Equal(t, []string{"localhost", "emulator.internal"}, leaf.DNSNames)
}
