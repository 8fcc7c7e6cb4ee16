package runner

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/internal/embedded"
	"github.com/kvquota/kvquota/limits"
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
	close      func() error
	// auth is what an auth-conformance run's cases may use (authtarget.go).
	auth attack.AuthOptions
	// vault is the embedded emulator's vault; nil for a real target.
	vault *emulator.Vault
}

func (t *target) client() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: t.tls}}
}

// startEmulator brings up the embedded emulated vault on a loopback port over
// HTTPS with a fresh certificate that only this run trusts.
func startEmulator(p *limits.Profile, model limits.WindowModel, retryAfter, reuseKeys bool) (*target, error) {
	return serveEmulator(emulator.Config{Profile: p, Window: model, RetryAfter: retryAfter, ReuseKeyMaterial: reuseKeys})
}

// serveEmulator starts a vault for cfg (package embedded) and returns it as a
// target, whose quota is reset once setup is done.
func serveEmulator(cfg emulator.Config) (*target, error) {
	e, err := embedded.Start(cfg)
	if err != nil {
		return nil, err
	}
	return &target{
		url:      e.URL,
		emulated: true,
		tls:      e.TLS,
		tokens:   e.Tokens,
		afterSetup: func(context.Context) error {
			e.Vault.ResetQuota()
			return nil
		},
		close: e.Close,
		vault: e.Vault,
	}, nil
}

// remoteTarget is a vault given by URL. Its token comes from the user; its
// certificate must verify against the system roots or caFile.
func remoteTarget(raw, token, caFile string, window time.Duration, log func(string, ...any), cred attack.CredentialOptions) (*target, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("target %q is not a vault URL such as https://myvault.vault.azure.net", raw)
	}
	// Without --token, sign in with Azure credentials (credential.go).
	var tokens attack.TokenSource = attack.StaticToken(token)
	if token == "" {
		c, err := attack.NewAzureCredential(cred)
		if err != nil {
			return nil, fmt.Errorf("a real target needs a bearer token (--token, KVQUOTA_TOKEN) or Azure credentials: %w", err)
		}
		tokens = c
		log("signing in with %s", cred.Describe())
	}
	tlsc, err := attack.ClientTLS(caFile)
	if err != nil {
		return nil, err
	}
	return &target{
		url:    strings.TrimRight(u.String(), "/"),
		tls:    tlsc,
		tokens: tokens,
		afterSetup: func(ctx context.Context) error {
			// The setup's transactions count against the vault's window like
			// any others; wait them out so the attack starts from an empty one.
			log("waiting %s for the setup's transactions to leave the vault's window", window)
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
