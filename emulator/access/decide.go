package access

import (
	"fmt"
	"net/netip"
	"strings"
)

// Config is a vault's access control. The zero Config lets every
// authenticated caller do everything: the emulator's default, so that load
// tests need no set-up.
type Config struct {
	// Mode is ModePolicy (the default) or ModeRBAC.
	Mode Mode `yaml:"mode" json:"mode"`
	// Policies are the access policies of a ModePolicy vault. Empty means
	// open: every caller may do everything (the emulator's default).
	Policies []Policy `yaml:"policies" json:"policies"`
	// Assignments are the role assignments of a ModeRBAC vault.
	Assignments []Assignment `yaml:"assignments" json:"assignments"`
	// Firewall is the vault's network rules.
	Firewall Firewall `yaml:"firewall" json:"firewall"`
	// VaultName and Location name the vault in denial messages, as
	// "<name>;location=<location>".
	VaultName string `yaml:"-" json:"-"`
	Location  string `yaml:"location" json:"location"`
}

// Caller is who asks, from where.
type Caller struct {
	ClientID, ObjectID, TenantID string
	// Addr is the client's address as the connection shows it (never a
	// header such as X-Forwarded-For, which a caller could forge).
	Addr netip.Addr
}

// Denial is a refused request: the innererror code and the message of Key
// Vault's 403 body {"error":{"code":"Forbidden","message":...,
// "innererror":{"code":Inner}}}.
type Denial struct {
	Inner   string
	Message string
}

// The innererror codes of the three 403 causes.
const (
	InnerFirewall = "ForbiddenByFirewall"
	InnerPolicy   = "AccessDenied"
	InnerRBAC     = "ForbiddenByRbac"
)

// Decider applies a Config. It is immutable once made and safe for
// concurrent use.
type Decider struct{ cfg Config }

// New checks cfg and returns its decider, or an error naming the first bad
// field.
func New(cfg Config) (*Decider, error) {
	switch {
	case cfg.Mode == "" || strings.EqualFold(string(cfg.Mode), string(ModePolicy)):
		cfg.Mode = ModePolicy
	case strings.EqualFold(string(cfg.Mode), string(ModeRBAC)):
		cfg.Mode = ModeRBAC
	default:
		return nil, fmt.Errorf("access mode %q: want policy or rbac", cfg.Mode)
	}
	for _, p := range cfg.Policies {
		if err := p.validate(); err != nil {
			return nil, err
		}
	}
	for _, a := range cfg.Assignments {
		if err := a.validate(); err != nil {
			return nil, err
		}
	}
	if err := cfg.Firewall.compile(); err != nil {
		return nil, err
	}
	if cfg.Location == "" {
		cfg.Location = "emulator"
	}
	if cfg.VaultName == "" {
		cfg.VaultName = "emulator"
	}
	return &Decider{cfg: cfg}, nil
}

// Decide returns nil when c may do op, or why not: the firewall first, then
// the permission model.
func (d *Decider) Decide(c Caller, op Operation) *Denial {
	if !d.cfg.Firewall.admits(c.Addr, c.ClientID) {
		return d.firewallDenial(c)
	}
	if d.cfg.Mode == ModeRBAC {
		for _, a := range d.cfg.Assignments {
			if strings.EqualFold(a.ObjectID, c.ObjectID) && a.allows(op.Collection, op.Permission) {
				return nil
			}
		}
		return d.rbacDenial(c, op)
	}
	if len(d.cfg.Policies) == 0 {
		return nil
	}
	for _, p := range d.cfg.Policies {
		if strings.EqualFold(p.ObjectID, c.ObjectID) && p.allows(op.Collection, op.Permission) {
			return nil
		}
	}
	return d.policyDenial(c, op)
}
