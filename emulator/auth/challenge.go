package auth

import "strings"

// Challenge returns the WWW-Authenticate value of a 401:
//
//	Bearer authorization="<authority>/<tenant>", resource="https://vault.azure.net"
//
// The real service names login.microsoftonline.com (or login.windows.net) as
// the authority; the emulator names itself, so that clients fetch their token
// from the emulator's token endpoint, unless the client reached it by Key
// Vault's real host names (drop-in mode), when it names Azure AD as the real
// service does. The Azure SDK for Go splits the value on
// spaces and '=', strips quotes and trailing commas, and takes the tenant from
// the fourth '/'-separated part of the authorization URL, so authority must be
// a bare "https://host[:port]".
func Challenge(authority, tenant string) string {
	return `Bearer authorization="` + strings.TrimRight(authority, "/") + "/" + tenant +
		`", resource="` + Resource + `"`
}
