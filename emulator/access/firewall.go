package access

import (
	"fmt"
	"net/netip"
	"strings"
)

// Firewall is a vault's network rules (networkAcls in the ARM API).
type Firewall struct {
	// DefaultAction is "Allow" (the firewall is off, Key Vault's default) or
	// "Deny" (only IPRules and trusted services get through).
	DefaultAction string `yaml:"default_action" json:"defaultAction"`
	// IPRules are addresses or CIDR ranges allowed when the default is Deny.
	IPRules []string `yaml:"ip_rules" json:"ipRules"`
	// Bypass is "AzureServices" (trusted Microsoft services get through
	// whatever their address) or "None".
	Bypass string `yaml:"bypass" json:"bypass"`
	// TrustedServices are the application ids the emulator treats as trusted
	// Microsoft services for Bypass. Real Key Vault knows its own list; the
	// emulator has to be told.
	TrustedServices []string `yaml:"trusted_services" json:"trustedServices"`

	prefixes []netip.Prefix
}

// compile checks the rules and parses the CIDRs once.
func (f *Firewall) compile() error {
	switch {
	case f.DefaultAction == "" || strings.EqualFold(f.DefaultAction, "Allow"):
		f.DefaultAction = "Allow"
	case strings.EqualFold(f.DefaultAction, "Deny"):
		f.DefaultAction = "Deny"
	default:
		return fmt.Errorf("firewall default_action %q: want Allow or Deny", f.DefaultAction)
	}
	switch {
	case f.Bypass == "" || strings.EqualFold(f.Bypass, "AzureServices"):
		f.Bypass = "AzureServices"
	case strings.EqualFold(f.Bypass, "None"):
		f.Bypass = "None"
	default:
		return fmt.Errorf("firewall bypass %q: want AzureServices or None", f.Bypass)
	}
	f.prefixes = f.prefixes[:0]
	for _, r := range f.IPRules {
		p, err := netip.ParsePrefix(r)
		if err != nil {
			a, aerr := netip.ParseAddr(r)
			if aerr != nil {
				return fmt.Errorf("firewall ip rule %q: want an address or a CIDR range such as 203.0.113.0/24", r)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		f.prefixes = append(f.prefixes, p.Masked())
	}
	return nil
}

// admits reports whether a caller from addr with application id appID gets
// past the firewall.
func (f *Firewall) admits(addr netip.Addr, appID string) bool {
	if f.DefaultAction != "Deny" {
		return true
	}
	addr = addr.Unmap()
	for _, p := range f.prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	if f.Bypass == "AzureServices" && appID != "" && containsFold(f.TrustedServices, appID) {
		return true
	}
	return false
}
