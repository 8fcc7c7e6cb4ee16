package auth

import (
	"encoding/base64"
	"math/big"
	"net/http"
	"strings"
)

// MetadataKind tells the discovery documents apart.
type MetadataKind int

// The discovery documents the emulator serves, as Azure AD does under each
// tenant. MSAL for Go (under azidentity's ClientSecretCredential), with
// instance discovery disabled, asks only for the v2 OpenID configuration at
// <authority>/v2.0/.well-known/openid-configuration (resolvers.go of
// microsoft-authentication-library-for-go v1.10.1) and requires its
// authorization_endpoint, token_endpoint and issuer, the issuer on the
// authority's own host (ValidateIssuerMatchesAuthority). The JWKS is for
// whoever verifies tokens: kvquota's HS256 forgery case reads the public key
// from it, as an attacker would.
const (
	MetadataOpenIDV1 MetadataKind = iota + 1 // /{tenant}/.well-known/openid-configuration
	MetadataOpenIDV2                         // /{tenant}/v2.0/.well-known/openid-configuration
	MetadataKeys                             // /{tenant}/discovery/keys, /{tenant}/discovery/v2.0/keys
	MetadataInstance                         // /common/discovery/instance (instance.go)
)

// ParseMetadataPath reports whether path is a discovery document and of which
// tenant.
func ParseMetadataPath(path string) (tenant string, kind MetadataKind, ok bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 3 || segs[0] == "" {
		return "", 0, false
	}
	rest := strings.ToLower(strings.Join(segs[1:], "/"))
	switch rest {
	case ".well-known/openid-configuration":
		return segs[0], MetadataOpenIDV1, true
	case "v2.0/.well-known/openid-configuration":
		return segs[0], MetadataOpenIDV2, true
	case "discovery/keys", "discovery/v2.0/keys":
		return segs[0], MetadataKeys, true
	case "discovery/instance":
		if strings.EqualFold(segs[0], "common") {
			return segs[0], MetadataInstance, true
		}
	}
	return "", 0, false
}

// openIDConfig is the part of Azure AD's OpenID configuration a client reads.
type openIDConfig struct {
	Issuer                string   `json:"issuer"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	TokenEndpoint         string   `json:"token_endpoint"`
	JWKSURI               string   `json:"jwks_uri"`
	TokenEndpointAuth     []string `json:"token_endpoint_auth_methods_supported"`
	ResponseTypes         []string `json:"response_types_supported"`
	SubjectTypes          []string `json:"subject_types_supported"`
	SigningAlgs           []string `json:"id_token_signing_alg_values_supported"`
	TenantRegionScope     *string  `json:"tenant_region_scope"`
	CloudInstanceName     string   `json:"cloud_instance_name"`
}

// jwk is one RSA key of a JWKS, as Azure AD publishes it (kty, use, kid, x5t,
// n, e; Azure AD adds x5c, which the emulator's bare keys have no use for).
type jwk struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Kid string `json:"kid"`
	X5t string `json:"x5t"`
	N   string `json:"n"`
	E   string `json:"e"`
	Alg string `json:"alg"`
}

// serveMetadata answers a discovery request. base is the emulator's URL as
// the client reached it, so the documents name endpoints the client can use.
func (i *Issuer) serveMetadata(w http.ResponseWriter, r *http.Request, tenant string, kind MetadataKind) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeAADJSON(w, r, http.StatusMethodNotAllowed, newID(), map[string]string{
			"error": "invalid_request", "error_description": "The discovery endpoints only accept GET requests.",
		})
		return
	}
	if kind == MetadataInstance {
		i.serveInstanceDiscovery(w, r)
		return
	}
	if kind != MetadataKeys && !strings.EqualFold(tenant, i.tenant) {
		errUnknownTenant(tenant).write(w, r, i.clock.Now())
		return
	}
	base := requestBase(r) + "/" + i.tenant
	switch kind {
	case MetadataKeys:
		keys := i.SigningKeys()
		out := struct {
			Keys []jwk `json:"keys"`
		}{Keys: make([]jwk, 0, len(keys))}
		b64 := base64.RawURLEncoding
		for _, k := range keys {
			out.Keys = append(out.Keys, jwk{
				Kty: "RSA", Use: "sig", Kid: k.KeyID, X5t: k.KeyID, Alg: "RS256",
				N: b64.EncodeToString(k.Public.N.Bytes()),
				E: b64.EncodeToString(big.NewInt(int64(k.Public.E)).Bytes()),
			})
		}
		writeAADJSON(w, r, http.StatusOK, newID(), out)
	case MetadataOpenIDV1:
		writeAADJSON(w, r, http.StatusOK, newID(), i.openID(base, i.IssuerURL(), base+"/oauth2/authorize", base+"/oauth2/token", base+"/discovery/keys"))
	default:
		writeAADJSON(w, r, http.StatusOK, newID(), i.openID(base, base+"/v2.0", base+"/oauth2/v2.0/authorize", base+"/oauth2/v2.0/token", base+"/discovery/v2.0/keys"))
	}
}

func (i *Issuer) openID(base, issuer, authz, token, keys string) openIDConfig {
	return openIDConfig{
		Issuer:                issuer,
		AuthorizationEndpoint: authz,
		TokenEndpoint:         token,
		JWKSURI:               keys,
		TokenEndpointAuth:     []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		ResponseTypes:         []string{"code", "id_token", "code id_token", "id_token token"},
		SubjectTypes:          []string{"pairwise"},
		SigningAlgs:           []string{"RS256"},
		CloudInstanceName:     "microsoftonline.com",
	}
}

// requestBase is the scheme and host the client used.
func requestBase(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}
