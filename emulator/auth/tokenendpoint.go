package auth

import (
	"net/http"
	"strconv"
	"strings"
)

// maxTokenRequest bounds a token request body; real ones are a few hundred bytes.
const maxTokenRequest = 64 << 10

// TokenVersion tells the two token endpoints apart.
type TokenVersion int

// The token endpoints.
const (
	TokenV1 TokenVersion = 1 // POST /{tenant}/oauth2/token, form resource=
	TokenV2 TokenVersion = 2 // POST /{tenant}/oauth2/v2.0/token, form scope=
)

// ParseTokenPath reports whether path is a token endpoint,
// "/{tenant}/oauth2/token" or "/{tenant}/oauth2/v2.0/token", and returns its
// tenant and version.
func ParseTokenPath(path string) (tenant string, v TokenVersion, ok bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 3 || !strings.EqualFold(segs[1], "oauth2") || segs[0] == "" {
		return "", 0, false
	}
	switch {
	case len(segs) == 3 && strings.EqualFold(segs[2], "token"):
		return segs[0], TokenV1, true
	case len(segs) == 4 && strings.EqualFold(segs[2], "v2.0") && strings.EqualFold(segs[3], "token"):
		return segs[0], TokenV2, true
	}
	return "", 0, false
}

// TokenHandler returns the client-credentials token endpoints of the issuer,
// answering like Azure AD: v1 with string-valued numbers, v2 with numbers, and
// Azure AD's error bodies; and its discovery documents (OpenID configuration,
// JWKS; see ParseMetadataPath). Other paths get a 404.
func (i *Issuer) TokenHandler() http.Handler { return tokenEndpoint{i} }

type tokenEndpoint struct{ issuer *Issuer }

type tokenV1Response struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    string `json:"expires_in"`
	ExtExpiresIn string `json:"ext_expires_in"`
	ExpiresOn    string `json:"expires_on"`
	NotBefore    string `json:"not_before"`
	Resource     string `json:"resource"`
	AccessToken  string `json:"access_token"`
}

type tokenV2Response struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

func (e tokenEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := e.issuer.clock.Now()
	if tenant, kind, ok := ParseMetadataPath(r.URL.Path); ok {
		e.issuer.serveMetadata(w, r, tenant, kind)
		return
	}
	tenant, version, ok := ParseTokenPath(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if f, ok := e.refuse(w, r, tenant, version); !ok {
		f.write(w, r, now)
		return
	}
	tok, err := e.issuer.Issue(r.PostForm.Get("client_id"))
	if err != nil {
		aadFailure{http.StatusInternalServerError, "server_error", 50000, "The token could not be signed."}.write(w, r, now)
		return
	}
	lifetime := int64(tok.ExpiresOn.Sub(tok.IssuedAt).Seconds())
	trace := newID()
	if version == TokenV1 {
		writeAADJSON(w, r, http.StatusOK, trace, tokenV1Response{
			TokenType:    "Bearer",
			ExpiresIn:    strconv.FormatInt(lifetime, 10),
			ExtExpiresIn: strconv.FormatInt(lifetime, 10),
			ExpiresOn:    strconv.FormatInt(tok.ExpiresOn.Unix(), 10),
			NotBefore:    strconv.FormatInt(tok.NotBefore.Unix(), 10),
			Resource:     Resource,
			AccessToken:  tok.AccessToken,
		})
		return
	}
	writeAADJSON(w, r, http.StatusOK, trace, tokenV2Response{
		TokenType: "Bearer", ExpiresIn: lifetime, ExtExpiresIn: lifetime, AccessToken: tok.AccessToken,
	})
}

// refuse checks a token request in Azure AD's order: method, tenant, grant,
// client, secret, resource or scope. ok is false with the failure to answer.
func (e tokenEndpoint) refuse(w http.ResponseWriter, r *http.Request, tenant string, v TokenVersion) (aadFailure, bool) {
	if r.Method != http.MethodPost {
		return errOnlyPost(r.Method), false
	}
	if !strings.EqualFold(tenant, e.issuer.tenant) {
		return errUnknownTenant(tenant), false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequest)
	if err := r.ParseForm(); err != nil {
		return errBadBody(), false
	}
	form := r.PostForm
	grant := form.Get("grant_type")
	switch {
	case grant == "":
		return errMissingParam("grant_type"), false
	case grant != "client_credentials":
		return errUnsupportedGrant(grant), false
	}
	clientID := form.Get("client_id")
	if clientID == "" {
		return errMissingParam("client_id"), false
	}
	secret := form.Get("client_secret")
	if _, known := e.issuer.identities[clientID]; !known {
		return errUnknownClient(clientID, e.issuer.tenant), false
	}
	if secret == "" {
		return errMissingSecret(), false
	}
	if _, err := e.issuer.Authenticate(clientID, secret); err != nil {
		return errBadSecret(clientID), false
	}
	if v == TokenV1 {
		res := form.Get("resource")
		switch {
		case res == "":
			return errMissingParam("resource"), false
		case res != Resource:
			return errUnknownResource(res, e.issuer.tenant), false
		}
		return aadFailure{}, true
	}
	scope := resourceScope(form.Get("scope"))
	switch {
	case scope == "":
		return errMissingParam("scope"), false
	case scope == Scope:
		return aadFailure{}, true
	case !strings.HasSuffix(scope, "/.default"):
		return errScopeNotDefault(scope), false
	default:
		return errUnknownResource(strings.TrimSuffix(scope, "/.default"), e.issuer.tenant), false
	}
}

// oidcScopes are the OpenID Connect scopes MSAL adds to every request
// ("openid offline_access profile"); Azure AD accepts them beside a
// resource's /.default, so the resource scope is what is left without them.
var oidcScopes = map[string]bool{"openid": true, "offline_access": true, "profile": true, "email": true}

// resourceScope drops the OIDC scopes from a space-separated scope value.
func resourceScope(scope string) string {
	var rest []string
	for _, s := range strings.Fields(scope) {
		if !oidcScopes[strings.ToLower(s)] {
			rest = append(rest, s)
		}
	}
	return strings.Join(rest, " ")
}
