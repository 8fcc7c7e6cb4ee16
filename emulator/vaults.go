package emulator

import (
	"net/http"
	"regexp"

	"github.com/kvquota/kvquota/limits"
)

// Several vaults in one emulator share one subscription bucket of quota (5x a
// vault's, limits.Profile.SubscriptionFactor), as vaults of one Azure
// subscription do. A vault other than the default is addressed by a path
// prefix: its URL is the emulator's URL + "/vaults/{name}", e.g.
// https://127.0.0.1:8443/vaults/b. A prefix rather than one loopback address
// per vault (127.0.0.2, ...) because the Azure SDK for Go's Key Vault clients
// keep the vault URL's path when they build request URLs (azcore
// runtime.JoinPaths), so a prefixed URL works as a vault URL, while extra
// loopback addresses need one listener and certificate SAN each and are not
// routable by default on every OS. The vaults keep their own quota buckets;
// their objects share one store, so scenarios give each vault's objects
// names of their own. A client that reaches the emulator by a real vault
// host name, <name>.vault.azure.net (drop-in mode, dropin.go), addresses
// vault <name> without a prefix.

// vaultName is what a vault name may look like (Key Vault's: 3-24
// characters; the emulator is laxer, letters, digits and '-').
var vaultName = regexp.MustCompile(`^[0-9A-Za-z-]{1,64}$`)

// selectVault returns the vault r addresses, r with the prefix removed from
// its path, and the prefix to add to the vault's base URL. ok is false for a
// malformed prefix. Without a /vaults/{name} prefix the vault is the one the
// Host header names, <name>.vault.azure.net (drop-in mode, dropin.go), or the
// default.
func (v *Vault) selectVault(r *http.Request) (name string, out *http.Request, prefix string, ok bool) {
	vault, rest := limits.SplitVault(r.URL.Path)
	if vault == "" && rest == r.URL.Path {
		if byHost, ok := vaultOfHost(r.Host); ok {
			return byHost, r, "", true
		}
		return v.cfg.VaultName, r, "", true
	}
	if !vaultName.MatchString(vault) {
		return "", r, "", false
	}
	out = r.Clone(r.Context())
	out.URL.Path = rest
	out.URL.RawPath = ""
	return vault, out, "/" + limits.VaultPrefix + "/" + vault, true
}
