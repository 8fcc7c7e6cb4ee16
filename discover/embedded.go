package discover

import (
	"crypto/tls"
	"net/http"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/limits"
)

// Embedded is an emulated vault started for a discovery, on a loopback port
// over HTTPS with a certificate only this client trusts. Discovery sees only
// its URL, a client and tokens: the settings it was started with are not
// passed on, so what is found is found from answers alone.
type Embedded struct {
	URL    string
	Client *http.Client
	Tokens attack.TokenSource
	srv    *emulator.Server
}

// StartEmbedded starts an emulated vault enforcing p with window model.
func StartEmbedded(p *limits.Profile, model limits.WindowModel) (*Embedded, error) {
	v, err := emulator.New(emulator.Config{Profile: p, Window: model})
	if err != nil {
		return nil, err
	}
	srv, err := emulator.Start(v, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: srv.CertPool(), MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: maxInflight,
	}}
	id := auth.DefaultIdentity()
	return &Embedded{URL: srv.URL, Client: client, srv: srv, Tokens: &attack.ClientCredentials{
		TokenURL: srv.URL + "/" + auth.DefaultTenant + "/oauth2/token", ClientID: id.ClientID,
		ClientSecret: id.ClientSecret, Resource: auth.Resource, Client: client,
	}}, nil
}

// Close stops the vault.
func (e *Embedded) Close() error {
	e.Client.CloseIdleConnections()
	return e.srv.Close()
}
