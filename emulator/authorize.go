package emulator

import (
	"net/http"
	"net/netip"

	"github.com/kvquota/kvquota/emulator/access"
	"github.com/kvquota/kvquota/emulator/kverror"
)

// useAccess installs the vault's access control (Config.Access) as its
// authorize step, and its lax setting (Config.Lax) on the validator. It is
// called once by newVault.
func (v *Vault) useAccess() error {
	if _, err := ParseLax(string(v.cfg.Lax)); err != nil {
		return err
	}
	v.validator.AcceptAny = v.cfg.Lax == LaxAcceptAnyToken
	ac := v.cfg.Access
	if ac.VaultName == "" {
		ac.VaultName = v.cfg.VaultName
	}
	d, err := access.New(ac)
	if err != nil {
		return err
	}
	v.authorize = func(rq *request) *kverror.Error {
		// The permission is the matched route's declaration (routeSets).
		op := rq.route.need
		op.Name = rq.param("name")
		c := access.Caller{Addr: clientAddr(rq.r)}
		if p := rq.principal; p != nil {
			c.ClientID, c.ObjectID, c.TenantID = p.ClientID, p.ObjectID, p.TenantID
		}
		den := d.Decide(c, op)
		if den == nil {
			return nil
		}
		return kverror.New(http.StatusForbidden, "Forbidden", den.Message).WithInner(den.Inner)
	}
	return nil
}

// clientAddr is the address of the connection's far end: what Key Vault's
// firewall judges. Headers such as X-Forwarded-For are ignored on purpose.
func clientAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}
