package kvtest

import (
	"fmt"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
)

// Option changes the vault New or Start serves.
type Option func(*settings)

// settings are the options given, applied in config.
type settings struct {
	profile   string
	overrides []string
	window    limits.WindowModel
	configure []func(*emulator.Config)
}

// WithProfile enforces a documented limits profile ("2018", "2021" or
// "2025"; "" is limits.DefaultProfile) with limits changed as `kvquota
// emulate --limit` changes them, CLASS=N: WithProfile("", "secrets=5",
// "secrets-create=5") makes five secret transactions fill a window.
// `kvquota limits` lists the class names. Without it the vault enforces the
// current documented limits, as Key Vault does.
func WithProfile(name string, limitOverrides ...string) Option {
	return func(s *settings) {
		s.profile = name
		s.overrides = append(s.overrides, limitOverrides...)
	}
}

// WithWindow counts transactions against the limits by another window
// model: limits.Sliding (the default: at most N in any 10 s), limits.Fixed
// (10-s buckets aligned to the Unix epoch) or limits.TokenBucket.
func WithWindow(m limits.WindowModel) Option {
	return func(s *settings) { s.window = m }
}

// WithConfig changes anything else emulator.Config offers, after the other
// options: access policies, RBAC and the firewall (Config.Access, for 403s),
// more identities (Config.Identities; the first is the one Vault.Credential
// signs in as), Retry-After on 429s, soft-delete retention, deliberately lax
// authentication. The clock and DropIn are kvtest's own and are set over
// what f sets.
func WithConfig(f func(*emulator.Config)) Option {
	return func(s *settings) { s.configure = append(s.configure, f) }
}

// config is the emulator configuration the settings describe.
func (s settings) config() (emulator.Config, error) {
	var cfg emulator.Config
	name := s.profile
	if name == "" {
		name = limits.DefaultProfile
	}
	p, err := limits.Get(name)
	if err != nil {
		return cfg, fmt.Errorf("WithProfile: %w", err)
	}
	o, err := limits.ParseOverrides(s.overrides)
	if err != nil {
		return cfg, fmt.Errorf("WithProfile: %w", err)
	}
	if cfg.Profile, err = p.WithOverrides(o); err != nil {
		return cfg, fmt.Errorf("WithProfile: %w", err)
	}
	if cfg.Window, err = limits.ParseWindowModel(string(s.window)); err != nil {
		return cfg, fmt.Errorf("WithWindow: %w", err)
	}
	for _, f := range s.configure {
		if f != nil {
			f(&cfg)
		}
	}
	return cfg, nil
}
