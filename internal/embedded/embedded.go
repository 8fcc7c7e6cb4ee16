// Package embedded serves an emulated vault on loopback for kvquota's own
// clients (a run, a discovery, a benchmark): over HTTPS, with a certificate
// only they trust, and with tokens for the emulator's default identity from
// its own token endpoint, as a real client gets them from Azure AD.
package embedded

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
)

// Vault is an emulated vault being served.
type Vault struct {
	// URL is the vault's base URL, e.g. https://127.0.0.1:53412.
	URL string
	// TLS trusts the vault's certificate and nothing else.
	TLS *tls.Config
	// Client is an HTTP client with TLS.
	Client *http.Client
	// Tokens gets (and caches) tokens for the default identity.
	Tokens *attack.ClientCredentials
	// Vault is the emulated vault itself, for what only its owner may do
	// (ResetQuota, say).
	Vault *emulator.Vault

	srv *emulator.Server
}

// Start serves a vault for cfg on a free loopback port.
func Start(cfg emulator.Config) (*Vault, error) {
	v, err := emulator.New(cfg)
	if err != nil {
		return nil, err
	}
	srv, err := emulator.Start(v, emulator.DefaultAddr)
	if err != nil {
		v.Close()
		return nil, fmt.Errorf("starting the emulated vault: %w", err)
	}
	tlsc := &tls.Config{RootCAs: srv.CertPool(), MinVersion: tls.VersionTLS12}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsc}}
	e := &Vault{URL: srv.URL, TLS: tlsc, Client: client, Vault: v, srv: srv}
	e.Tokens = e.TokensFor(auth.DefaultIdentity())
	return e, nil
}

// TokensFor gets (and caches) tokens for id from the vault's own token
// endpoint, as a real client of that identity would.
func (e *Vault) TokensFor(id auth.Identity) *attack.ClientCredentials {
	return &attack.ClientCredentials{
		TokenURL: e.URL + "/" + e.Vault.Config().Tenant + "/oauth2/token", ClientID: id.ClientID,
		ClientSecret: id.ClientSecret, Resource: auth.Resource, Client: e.Client,
	}
}

// Close stops serving (letting requests in flight finish) and closes the
// vault.
func (e *Vault) Close() error {
	e.Client.CloseIdleConnections()
	return e.srv.Close()
}
