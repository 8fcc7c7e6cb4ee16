package attack

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientTLSTrustsOnlyTheGivenCA(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))

	c, err := ClientTLS(ca)
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: c}}).Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()

	sys, err := ClientTLS("")
	require.NoError(t, err)
	_, err = (&http.Client{Transport: &http.Transport{TLSClientConfig: sys}}).Get(srv.URL)
	require.Error(t, err, "without the CA file the system roots decide, and they do not know this server")

	junk := filepath.Join(dir, "junk.pem")
	require.NoError(t, os.WriteFile(junk, []byte("not a certificate"), 0o600))
	_, err = ClientTLS(junk)
	assert.ErrorContains(t, err, "holds no PEM certificate")
	_, err = ClientTLS(filepath.Join(dir, "missing.pem"))
	assert.Error(t, err)
}
