package auth

import (
	"net/http"
	"net/url"
	"strings"
)

// Azure AD's instance discovery, GET /common/discovery/instance
// ?api-version=1.1&authorization_endpoint=https://<host>/<tenant>/oauth2/v2.0/authorize.
// MSAL for Go asks it (on login.microsoftonline.com) before it trusts an
// authority whose host is not one of Azure AD's own (resolvers.go and
// authority.go of microsoft-authentication-library-for-go v1.10.1), unless
// the credential sets DisableInstanceDiscovery. An unmodified client pointed
// at the emulator by its host name (drop-in mode) therefore reaches this
// document whenever its authority is not login.microsoftonline.com itself.

// publicCloudAliases are Azure AD's public-cloud host names, as MSAL's
// known_metadata.go lists them.
var publicCloudAliases = []string{"login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"}

// instanceMetadata is one entry of the discovery answer.
type instanceMetadata struct {
	PreferredNetwork string   `json:"preferred_network"`
	PreferredCache   string   `json:"preferred_cache"`
	Aliases          []string `json:"aliases"`
}

// instanceDiscovery is the answer MSAL reads.
type instanceDiscovery struct {
	TenantDiscoveryEndpoint string             `json:"tenant_discovery_endpoint"`
	APIVersion              string             `json:"api-version"`
	Metadata                []instanceMetadata `json:"metadata"`
}

func errInvalidInstance() aadFailure {
	return aadFailure{http.StatusBadRequest, "invalid_instance", 50049, "Unknown or invalid instance."}
}

// serveInstanceDiscovery answers for the authority named by the query's
// authorization_endpoint: its tenant's OpenID configuration on its own host.
// Unlike Azure AD, any host is a valid instance, since whatever host reached
// the emulator is the emulator; the host is listed as an alias of itself so
// that MSAL's issuer check (ValidateIssuerMatchesAuthority) accepts it.
func (i *Issuer) serveInstanceDiscovery(w http.ResponseWriter, r *http.Request) {
	authz := r.URL.Query().Get("authorization_endpoint")
	u, err := url.Parse(authz)
	if err != nil {
		u = &url.URL{}
	}
	tenant, _, _ := strings.Cut(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || ValidateTenant(tenant) != nil {
		errInvalidInstance().write(w, r, i.clock.Now())
		return
	}
	md := []instanceMetadata{{PreferredNetwork: publicCloudAliases[0], PreferredCache: publicCloudAliases[1], Aliases: publicCloudAliases}}
	if !isPublicCloudHost(u.Host) {
		md = append(md, instanceMetadata{PreferredNetwork: u.Host, PreferredCache: u.Host, Aliases: []string{u.Host}})
	}
	writeAADJSON(w, r, http.StatusOK, newID(), instanceDiscovery{
		TenantDiscoveryEndpoint: u.Scheme + "://" + u.Host + "/" + tenant + "/v2.0/.well-known/openid-configuration",
		APIVersion:              "1.1",
		Metadata:                md,
	})
}

func isPublicCloudHost(host string) bool {
	for _, a := range publicCloudAliases {
		if strings.EqualFold(a, host) {
			return true
		}
	}
	return false
}
