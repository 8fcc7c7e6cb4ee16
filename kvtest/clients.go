package kvtest

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azcertificates"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"

	"github.com/kvquota/kvquota/emulator"
)

// loopbackClient is an HTTP client that takes every connection, whatever
// host it names, to the emulator's loopback address, and trusts the
// emulator's CA and nothing else. Only the dial is redirected: the URL, the
// Host header and the TLS server name stay the real names, and the
// certificate is checked against them (the emulator's names
// *.vault.azure.net and login.microsoftonline.com in drop-in mode).
func loopbackClient(srv *emulator.Server) *http.Client {
	addr := strings.TrimPrefix(srv.URL, "https://")
	d := &net.Dialer{Timeout: 10 * time.Second}
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: srv.CertPool(), MinVersion: tls.VersionTLS12},
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr)
			},
			MaxIdleConnsPerHost: 16,
		},
	}
}

// ClientOptions are azcore's options for a client of the vault: its
// transport, and the SDK's defaults for everything else (retries included:
// see the package documentation). Each call returns a fresh value to change.
func (v *Vault) ClientOptions() azcore.ClientOptions {
	return azcore.ClientOptions{Transport: v.client}
}

// SecretsOptions are azsecrets.NewClient's options for the vault, with every
// check of the SDK left on.
func (v *Vault) SecretsOptions() *azsecrets.ClientOptions {
	return &azsecrets.ClientOptions{ClientOptions: v.ClientOptions()}
}

// KeysOptions are azkeys.NewClient's options for the vault.
func (v *Vault) KeysOptions() *azkeys.ClientOptions {
	return &azkeys.ClientOptions{ClientOptions: v.ClientOptions()}
}

// CertificatesOptions are azcertificates.NewClient's options for the vault.
func (v *Vault) CertificatesOptions() *azcertificates.ClientOptions {
	return &azcertificates.ClientOptions{ClientOptions: v.ClientOptions()}
}
