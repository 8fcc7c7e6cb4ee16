package discover

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/internal/embedded"
	"github.com/kvquota/kvquota/plan"
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

// StartEmbedded starts an emulated vault for cfg.
func StartEmbedded(cfg emulator.Config) (*Embedded, error) {
	e, err := embedded.Start(cfg)
	if err != nil {
		return nil, err
	}
	return &Embedded{URL: e.URL, Client: probeClient(e.TLS), Tokens: e.Tokens, vault: e}, nil
}

// Close stops the vault.
func (e *Embedded) Close() error {
	e.Client.CloseIdleConnections()
	return e.vault.Close()
}

// probeClient is the client of a discovery: a paced phase keeps up to
// maxInflight requests in flight, so it keeps as many connections.
func probeClient(tlsc *tls.Config) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig: tlsc, MaxIdleConnsPerHost: maxInflight,
	}}
}

// openTarget fills cfg's target, client and tokens from the plan: the
// embedded emulator it starts (enforcing the plan's emulated profile), or the
// real vault with the plan's sign-in. The returned func closes it.
func openTarget(p *plan.Plan, cfg *Config) (func(), error) {
	if p.Target.Embedded() {
		emu := p.Emulated()
		e, err := StartEmbedded(p.EmulatorConfig(emu, p.Window))
		if err != nil {
			return nil, err
		}
		tokens, err := p.Target.SignIn.TokenSource(plan.Authority{Host: e.URL, Client: e.vault.Client, Builtin: e.Tokens})
		if err != nil {
			e.Close()
			return nil, err
		}
		cfg.Target, cfg.Client, cfg.Tokens = e.URL, e.Client, tokens
		if cfg.Settle == 0 {
			cfg.Settle = emu.Window + emu.Window/10
		}
		return func() { e.Close() }, nil
	}
	tlsc, err := attack.ClientTLS(p.Target.CAFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", plan.ErrUsage, err)
	}
	tokens, err := p.Target.SignIn.TokenSource(plan.Authority{})
	if err != nil {
		return nil, err
	}
	cfg.Target, cfg.Client, cfg.Tokens = p.Target.URL, probeClient(tlsc), tokens
	return func() { cfg.Client.CloseIdleConnections() }, nil
}
