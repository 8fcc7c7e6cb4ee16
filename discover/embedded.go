package discover

import (
	"net/http"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/internal/embedded"
	"github.com/kvquota/kvquota/limits"
)

// Embedded is an emulated vault started for a discovery (package embedded).
// Discovery sees only its URL, a client and tokens: the settings it was
// started with are not passed on, so what is found is found from answers
// alone.
type Embedded struct {
	URL    string
	Client *http.Client
	Tokens attack.TokenSource
	vault  *embedded.Vault
}

// StartEmbedded starts an emulated vault enforcing p with window model.
func StartEmbedded(p *limits.Profile, model limits.WindowModel) (*Embedded, error) {
	e, err := embedded.Start(emulator.Config{Profile: p, Window: model})
	if err != nil {
		return nil, err
	}
	// A paced phase keeps up to maxInflight requests in flight: keep as many
	// connections.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig: e.TLS, MaxIdleConnsPerHost: maxInflight,
	}}
	return &Embedded{URL: e.URL, Client: client, Tokens: e.Tokens, vault: e}, nil
}

// Close stops the vault.
func (e *Embedded) Close() error {
	e.Client.CloseIdleConnections()
	return e.vault.Close()
}
