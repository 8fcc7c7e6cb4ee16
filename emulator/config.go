package emulator

import (
	"crypto/rsa"
	"fmt"
	"time"

	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/limits"
)

// DefaultVaultName names the emulated vault in quota accounting when Config
// names none.
const DefaultVaultName = "emulator"

// Config describes an emulated vault. The zero Config is a usable vault: the
// current documented limits, a sliding window, the wall clock, and the default
// tenant and identity of package auth.
type Config struct {
	// Profile is the limits enforced (limits.DefaultProfile when nil). The
	// vault keeps its own copy.
	Profile *limits.Profile
	// Window is how transactions are counted against the limits (sliding when
	// empty).
	Window limits.WindowModel
	// Clock is the vault's time (the wall clock when nil).
	Clock clock.Clock
	// Tenant is the Azure AD tenant the vault trusts and the token endpoints
	// serve (auth.DefaultTenant when empty).
	Tenant string
	// Identities are the clients that can get tokens (auth.DefaultIdentity when
	// empty).
	Identities []auth.Identity
	// VaultName names the vault in quota accounting (DefaultVaultName when
	// empty).
	VaultName string
	// RetryAfter adds a Retry-After header to 429s, in whole seconds rounded
	// up. The real service sent none in the public capture, so it is off by
	// default.
	RetryAfter bool
	// Observer, when set, is told of every request answered (see Observer):
	// how `kvquota emulate --metrics` counts requests for Prometheus.
	Observer Observer
	// Access is the vault's access control (403s): access policies or RBAC,
	// and the firewall. The zero value lets every authenticated caller do
	// everything from anywhere.
	Access access.Config
	// Lax deliberately breaks authentication (see Lax); empty is faithful.
	Lax Lax
	// Faults deliberately break throttling (see Fault); none is faithful.
	Faults []Fault
	// Latency makes the vault slow on purpose: random delays before each
	// decision and after each answer (see Latency; `--latency`).
	Latency Latency
	// ReuseKeyMaterial makes every key of one type share one generated key
	// pair, for time-scaled runs that create more keys per second than RSA
	// generation can keep up with. Quota never depends on the material.
	ReuseKeyMaterial bool
	// DataDir, when set, is where the vault keeps its secrets and keys across
	// restarts (`kvquota emulate --data DIR`; see persist.go for when and how
	// it writes). New loads it and Close writes it; quota is never kept.
	DataDir string
	// DropIn makes Start's certificate also name *.vault.azure.net and Azure
	// AD's public-cloud hosts, so that clients reaching the emulator by those
	// names (a hosts file, network aliases) verify it with no code changes:
	// `kvquota emulate --drop-in` (dropin.go, docs/drop-in.md).
	DropIn bool
	// SigningKey, when set, is the RSA key the emulated Azure AD signs tokens
	// with (a fresh 2048-bit key otherwise): embedders that start many
	// emulators, such as test suites, share one and skip its generation.
	SigningKey *rsa.PrivateKey
	// TokenLifetime is how long issued tokens last (auth.DefaultLifetime
	// when 0); a short one exercises a client's token refresh.
	TokenLifetime time.Duration
	// Deletion is the vault's soft-delete retention (7-90 days, 90 when 0)
	// and purge protection, which every collection follows
	// (`kvquota emulate --retention-days N --purge-protection`).
	Deletion DeletionPolicy
}

// withDefaults returns cfg with every empty field filled, or an error naming
// the first field that cannot be used.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Profile == nil {
		p, err := limits.Get(limits.DefaultProfile)
		if err != nil {
			return cfg, err
		}
		cfg.Profile = p
	} else {
		cfg.Profile = cfg.Profile.Clone()
	}
	if cfg.Profile.Window <= 0 {
		return cfg, fmt.Errorf("limits profile %q: window must be positive, got %s", cfg.Profile.Name, cfg.Profile.Window)
	}
	if len(cfg.Profile.Limits) == 0 {
		return cfg, fmt.Errorf("limits profile %q has no limits", cfg.Profile.Name)
	}
	w, err := limits.ParseWindowModel(string(cfg.Window))
	if err != nil {
		return cfg, err
	}
	cfg.Window = w
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Tenant == "" {
		cfg.Tenant = auth.DefaultTenant
	}
	if len(cfg.Identities) == 0 {
		cfg.Identities = []auth.Identity{auth.DefaultIdentity()}
	} else {
		cfg.Identities = append([]auth.Identity(nil), cfg.Identities...)
	}
	if err := cfg.Latency.validate(); err != nil {
		return cfg, fmt.Errorf("latency %s: %w", cfg.Latency, err)
	}
	fs, err := ParseFaults(faultNames(cfg.Faults))
	if err != nil {
		return cfg, err
	}
	cfg.Faults = fs
	if cfg.VaultName == "" {
		cfg.VaultName = DefaultVaultName
	}
	if err := cfg.Deletion.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}
