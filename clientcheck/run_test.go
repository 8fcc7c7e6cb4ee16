package clientcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
)

// --watch records a client started by hand (here, by the Ready callback,
// before the watch's time starts) over real HTTPS, trusting only the CA file
// the check wrote, and judges it; the reports hold no token or secret.
func TestWatchRecordsAClientStartedByHand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var ready Env
	p, err := plan.Resolve(plan.Request{Command: plan.Clientcheck, Out: dir})
	require.NoError(t, err)
	out, err := Run(context.Background(), Config{
		Watch: time.Millisecond, Plan: p,
		Ready: func(e Env) {
			ready = e
			client := trusting(t, e.CAFile)
			tok := signIn(t, client, e)
			for range 3 {
				req, err := http.NewRequest(http.MethodGet, e.VaultURL+"/secrets/watched?api-version=7.5", nil)
				require.NoError(t, err)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := client.Do(req)
				require.NoError(t, err)
				_ = resp.Body.Close()
				assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			}
		},
	})
	require.NoError(t, err)
	// Three reads met no 429: nothing failed, and back-off was not
	// exercised, which is no evidence either way.
	require.Equal(t, results.Inconclusive, out.Report.Outcome)
	for _, v := range out.Report.Verdicts {
		assert.False(t, v.Failed(), "%s: %s", v.Check, v.Detail)
	}
	assert.Equal(t, 4, out.Report.Totals.Requests, "the token request and three reads")
	require.Len(t, out.Findings.Clients, 2)
	assert.Equal(t, ready.ClientID, out.Findings.Clients[0].AppID)
	assert.Equal(t, 3, out.Findings.Clients[0].Requests)
	assert.Equal(t, emulator.Anonymous, out.Findings.Clients[1].AppID, "the token request")

	for _, f := range []string{results.ReportFile, results.JUnitFile, results.SummaryFile, ClientsFile, RequestsFile} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.NotContains(t, string(b), ready.clientSecret, f)
		assert.NotContains(t, string(b), "eyJ", "%s holds no JWT", f)
	}
	for _, v := range ready.Vars(false) {
		assert.NotContains(t, v, ready.clientSecret)
	}
}

func trusting(t *testing.T, caFile string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pem))
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func signIn(t *testing.T, c *http.Client, e Env) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {e.ClientID}, "client_secret": {e.clientSecret}, "resource": {"https://vault.azure.net"}}
	resp, err := c.Post(e.VaultURL+"/"+e.TenantID+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.NotEmpty(t, tok.AccessToken)
	return tok.AccessToken
}
