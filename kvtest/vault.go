package kvtest

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/clock"
)

// DefaultVaultName is the vault's name, and so its host
// (kvtest.vault.azure.net), unless WithConfig sets Config.VaultName.
const DefaultVaultName = "kvtest"

// vaultName is what a vault name may be for its host, <name>.vault.azure.net,
// to reach the vault (the emulator's rule; Key Vault's own is stricter).
var vaultName = regexp.MustCompile(`^[0-9a-z-]{1,64}$`)

// TokenLifetime is how long the vault's tokens last on its fake clock unless
// WithConfig sets Config.TokenLifetime: long enough that Advancing by
// windows never expires the token the credential has cached (the credential
// caches by the wall clock, the vault checks by its own).
const TokenLifetime = 24 * time.Hour

// Vault is an emulated key vault served on loopback for a test.
type Vault struct {
	// URL is the vault's URL, https://<name>.vault.azure.net/, for
	// azsecrets.NewClient and the like. Only the options' transport reaches
	// it (see the package documentation).
	URL string
	// Credential signs in as the vault's default identity (azidentity's
	// ClientSecretCredential over the same transport).
	Credential azcore.TokenCredential
	// TenantID is the Azure AD tenant the vault trusts, for credentials of
	// other identities (WithConfig's Identities).
	TenantID string

	clock  *clock.Fake
	srv    *emulator.Server
	client *http.Client
}

// New starts a vault for the test (or benchmark) tb and stops it when tb
// ends (tb.Cleanup). A vault that cannot start fails tb at once.
func New(tb testing.TB, opts ...Option) *Vault {
	tb.Helper()
	v, err := Start(opts...)
	if err != nil {
		tb.Fatalf("kvtest: %v", err)
		return nil
	}
	tb.Cleanup(func() {
		if err := v.Close(); err != nil {
			tb.Errorf("kvtest: closing the vault: %v", err)
		}
	})
	return v
}

// Start starts a vault, for code with no testing.TB (an Example, TestMain).
// The caller must Close it. Errors name the option that is wrong.
func Start(opts ...Option) (*Vault, error) {
	cfg, clk, err := configure(opts)
	if err != nil {
		return nil, err
	}
	ev, err := emulator.New(cfg)
	if err != nil {
		return nil, err
	}
	srv, err := emulator.Start(ev, emulator.DefaultAddr)
	if err != nil {
		ev.Close()
		return nil, fmt.Errorf("starting the emulated vault: %w", err)
	}
	client := loopbackClient(srv)
	id := cfg.Identities[0]
	cred, err := azidentity.NewClientSecretCredential(cfg.Tenant, id.ClientID, id.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: azcore.ClientOptions{Transport: client}})
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("the vault's credential: %w", err)
	}
	return &Vault{
		URL:        "https://" + cfg.VaultName + "." + emulator.VaultDomain + "/",
		Credential: cred,
		TenantID:   cfg.Tenant,
		clock:      clk,
		srv:        srv,
		client:     client,
	}, nil
}

// configure turns the options into the emulator's configuration, with what
// kvtest itself needs set over them: the fake clock, the real host names,
// and the default identity when none was given.
func configure(opts []Option) (emulator.Config, *clock.Fake, error) {
	var s settings
	for _, o := range opts {
		o(&s)
	}
	cfg, err := s.config()
	if err != nil {
		return cfg, nil, fmt.Errorf("kvtest: %w", err)
	}
	clk := clock.NewFake(time.Now())
	cfg.Clock = clk
	cfg.DropIn = true
	cfg.VaultName = strings.ToLower(cfg.VaultName)
	if cfg.VaultName == "" {
		cfg.VaultName = DefaultVaultName
	}
	if !vaultName.MatchString(cfg.VaultName) {
		return cfg, nil, fmt.Errorf("kvtest: WithConfig: VaultName %q cannot be a vault's host name (want letters, digits and '-', at most 64)", cfg.VaultName)
	}
	if cfg.Tenant == "" {
		cfg.Tenant = auth.DefaultTenant
	}
	if len(cfg.Identities) == 0 {
		cfg.Identities = []auth.Identity{auth.DefaultIdentity()}
	}
	if cfg.TokenLifetime == 0 {
		cfg.TokenLifetime = TokenLifetime
	}
	if cfg.SigningKey == nil {
		if cfg.SigningKey, err = signingKey(); err != nil {
			return cfg, nil, err
		}
	}
	return cfg, clk, nil
}

// Advance moves the vault's clock on by d: quota windows, token lifetimes
// and the timestamps of what it stores all follow it.
func (v *Vault) Advance(d time.Duration) { v.clock.Advance(d) }

// Close stops the vault, letting requests in flight finish. New's vaults
// are closed by the test's cleanup; closing again returns the first result.
func (v *Vault) Close() error {
	v.client.CloseIdleConnections()
	return v.srv.Close()
}

var shared struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error
}

// signingKey is the one RSA key every vault of the process signs its tokens
// with, generated once: a 2048-bit key takes tens of milliseconds, which a
// test suite of many vaults would otherwise pay for each.
func signingKey() (*rsa.PrivateKey, error) {
	shared.once.Do(func() {
		shared.key, shared.err = rsa.GenerateKey(rand.Reader, 2048)
	})
	return shared.key, shared.err
}
