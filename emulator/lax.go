package emulator

import (
	"fmt"
	"strings"
)

// Lax names a deliberate infidelity of the emulated vault's authentication.
// A conformance gate is only worth something if it fails against a target
// that gets authentication wrong; Lax makes such a target on demand, so that
// `kvquota run auth-conformance --lax ...` can be shown to exit 1.
type Lax string

// The lax settings. The empty Lax is a faithful vault.
const (
	// LaxAcceptAnyToken accepts any bearer value, signed or not, expired or
	// not (a missing Authorization header is still a 401).
	LaxAcceptAnyToken Lax = "accept-any-token"
	// LaxNoChallenge answers 401s without the WWW-Authenticate header, which
	// leaves the Azure SDKs unable to find the authority.
	LaxNoChallenge Lax = "no-challenge"
)

// LaxSettings lists the lax settings, for flag help and errors.
func LaxSettings() []Lax { return []Lax{LaxAcceptAnyToken, LaxNoChallenge} }

// ParseLax checks a lax setting by name ("" is a faithful vault).
func ParseLax(s string) (Lax, error) {
	if s == "" {
		return "", nil
	}
	for _, l := range LaxSettings() {
		if strings.EqualFold(s, string(l)) {
			return l, nil
		}
	}
	names := make([]string, 0, 2)
	for _, l := range LaxSettings() {
		names = append(names, string(l))
	}
	return "", fmt.Errorf("lax setting %q: want one of %s", s, strings.Join(names, ", "))
}
