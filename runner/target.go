package runner

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/internal/embedded"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
)

// target is what a run attacks: where it is, how to trust it and get tokens
// for it, and what to do once setup is done.
type target struct {
	url      string
	emulated bool
	tls      *tls.Config
	tokens   attack.TokenSource
	// afterSetup clears the way for the attack: the emulator forgets the setup's
	// quota use; a real vault is given one window to forget it.
	afterSetup func(ctx context.Context) error
	// forgetQuota empties the embedded emulator's quota, so that a setup
	// request it throttled is sent again at once (runSetup); nil for a real
	// vault, which is waited out.
	forgetQuota func()
	close       func() error
	// auth is what an auth-conformance run's cases may use (authtarget.go).
	auth attack.AuthOptions
	// vault is the embedded emulator's vault; nil for a real target.
	vault *emulator.Vault
	// decisions is the embedded emulator's record of the attack; nil for a
	// real target.
	decisions *decisionLog
	// clients are the identities the attack spreads over when the scenario
	// has several (scenarios.Scenario.Clients); empty for one.
	clients []attack.Client
}

func (t *target) client() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: t.tls}}
}

// openTarget opens the plan's target for one of its scenarios: the embedded
// emulator enforcing the scenario's emulated profile, or the real vault.
func openTarget(p *plan.Plan, sr *plan.ScenarioRun, logf func(string, ...any)) (*target, error) {
	if !p.Target.Embedded() {
		return remoteTarget(p.Target, sr.Judged.Window, logf)
	}
	s := sr.Scenario
	if p.Scale != nil {
		if err := prepareKeys(s); err != nil {
			return nil, err
		}
	}
	cfg := p.EmulatorConfig(sr.Emulated, s.Window)
	if s.IsAuthProbe() {
		cfg.Access = authAccess() // authtarget.go
	}
	if s.Clients > 1 {
		cfg.Identities = auth.ClientIdentities(s.Clients)
	}
	tg, err := serveEmulator(cfg, p.Target.SignIn)
	if err != nil {
		return nil, err
	}
	if s.IsAuthProbe() {
		tg.auth = authOptions(tg.vault)
	}
	logf("emulated vault at %s (profile %s, %s window%s)", tg.url, sr.Emulated.Name, limits.Counting(s.Window), overridden(sr.Emulated))
	if len(cfg.Faults) > 0 {
		logf("the emulated vault is deliberately wrong: %s (--fault)", emulator.DescribeFaults(cfg.Faults))
	}
	if l := cfg.Latency; !l.IsZero() {
		logf("the emulated vault is slow on purpose: up to %s before each decision and %s after each answer (--latency, seed %d)", l.Before, l.After, l.Seed)
	}
	if len(tg.clients) > 0 {
		logf("the attack spreads over %d clients, 127.0.0.1 to 127.0.0.%d, each with its own token", len(tg.clients), len(tg.clients))
	}
	if d := describeScale(sr.Scale, sr.Judged); d != "" {
		logf("%s", d)
	}
	if p.Target.SignIn.ClientSecret != "" {
		logf("signing in with %s", p.Target.SignIn.Describe(true))
	}
	return tg, nil
}

// serveEmulator starts a vault for cfg (package embedded) and returns it as a
// target whose quota is reset once setup is done, signing in as s says.
func serveEmulator(cfg emulator.Config, s plan.SignIn) (*target, error) {
	var log *decisionLog
	if cfg.Observer == nil {
		log = &decisionLog{}
		cfg.Observer = log
	}
	e, err := embedded.Start(cfg)
	if err != nil {
		return nil, err
	}
	tokens, err := s.TokenSource(plan.Authority{Host: e.URL, Client: e.Client, Builtin: e.Tokens})
	if err != nil {
		e.Close()
		return nil, err
	}
	// Several identities (scenarios.Scenario.Clients): the first, the
	// default identity, signs in as the plan says; the others at the
	// emulator's token endpoint. 127.0.0.1, 127.0.0.2, ...: all loopback on
	// Linux, and the emulator listens on 127.0.0.1, which every one reaches.
	var clients []attack.Client
	if ids := e.Vault.Config().Identities; len(ids) > 1 {
		for k, id := range ids {
			var src attack.TokenSource = e.TokensFor(id)
			if k == 0 {
				src = tokens
			}
			clients = append(clients, attack.Client{Tokens: src, Source: fmt.Sprintf("127.0.0.%d", k+1)})
		}
	}
	return &target{
		url:      e.URL,
		emulated: true,
		tls:      e.TLS,
		tokens:   tokens,
		clients:  clients,
		afterSetup: func(context.Context) error {
			e.Vault.ResetQuota()
			if log != nil {
				log.reset()
			}
			return nil
		},
		forgetQuota: e.Vault.ResetQuota,
		close:       e.Close,
		vault:       e.Vault,
		decisions:   log,
	}, nil
}

// remoteTarget is a real vault. Its certificate must verify against the
// system roots or the plan's CA file.
func remoteTarget(t plan.Target, window time.Duration, logf func(string, ...any)) (*target, error) {
	tokens, err := t.SignIn.TokenSource(plan.Authority{})
	if err != nil {
		return nil, err
	}
	if t.SignIn.Token == "" {
		logf("signing in with %s", t.SignIn.Describe(false))
	}
	tlsc, err := attack.ClientTLS(t.CAFile)
	if err != nil {
		return nil, err
	}
	return &target{
		url:    t.URL,
		tls:    tlsc,
		tokens: tokens,
		afterSetup: func(ctx context.Context) error {
			// The setup's transactions count against the vault's window like
			// any others; wait them out so the attack starts from an empty one.
			logf("waiting %s for the setup's transactions to leave the vault's window", window)
			select {
			case <-time.After(window):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
		close: func() error { return nil },
	}, nil
}
