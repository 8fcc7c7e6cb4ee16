package auth

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type discoveryDoc struct {
	TenantDiscoveryEndpoint string `json:"tenant_discovery_endpoint"`
	Metadata                []struct {
		PreferredNetwork string   `json:"preferred_network"`
		Aliases          []string `json:"aliases"`
	} `json:"metadata"`
}

// TestInstanceDiscoveryAsMSALReadsIt: the answer names the authority's own
// OpenID configuration and lists the authority's host among the aliases, as
// MSAL's issuer check needs; a missing or malformed authority is Azure AD's
// invalid_instance.
func TestInstanceDiscoveryAsMSALReadsIt(t *testing.T) {
	iss, _ := newTestIssuer(t)
	h := iss.TokenHandler()
	q := url.Values{"api-version": {"1.1"}, "authorization_endpoint": {"https://127.0.0.1:8443/" + DefaultTenant + "/oauth2/v2.0/authorize"}}
	var doc discoveryDoc
	require.Equal(t, http.StatusOK, getJSON(t, h, "/common/discovery/instance?"+q.Encode(), &doc))
	assert.Equal(t, "https://127.0.0.1:8443/"+DefaultTenant+"/v2.0/.well-known/openid-configuration", doc.TenantDiscoveryEndpoint)
	require.Len(t, doc.Metadata, 2)
	assert.Contains(t, doc.Metadata[0].Aliases, "login.microsoftonline.com")
	assert.Equal(t, []string{"127.0.0.1:8443"}, doc.Metadata[1].Aliases)

	q.Set("authorization_endpoint", "https://login.microsoftonline.com/"+DefaultTenant+"/oauth2/v2.0/authorize")
	require.Equal(t, http.StatusOK, getJSON(t, h, "/Common/discovery/instance?"+q.Encode(), &doc))
	assert.Len(t, doc.Metadata, 1, "a public-cloud host is already an alias")

	for _, bad := range []string{"", "not a url", "ftp://h/t", "https:///t", "https://h/", "https://h/%zz", "https://h/bad_tenant!"} {
		assert.Equal(t, http.StatusBadRequest, getJSON(t, h, "/common/discovery/instance?"+url.Values{"authorization_endpoint": {bad}}.Encode(), nil), bad)
	}
	assert.Equal(t, http.StatusNotFound, getJSON(t, h, "/other/discovery/instance", nil), "only under common")
}
