package auth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func postForm(t *testing.T, h http.Handler, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "https://127.0.0.1:8443"+path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func v1Form() url.Values {
	return url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {DefaultClientID},
		"client_secret": {DefaultClientSecret},
		"resource":      {"https://vault.azure.net"},
	}
}

func v2Form() url.Values {
	f := v1Form()
	f.Del("resource")
	f.Set("scope", "https://vault.azure.net/.default")
	return f
}

func TestTokenEndpointV1(t *testing.T) {
	iss, clk := newTestIssuer(t)
	w := postForm(t, iss.TokenHandler(), "/"+DefaultTenant+"/oauth2/token", v1Form())
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Contains(t, w.Header().Get("Cache-Control"), "no-store")

	var raw map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &raw))
	for _, k := range []string{"token_type", "expires_in", "ext_expires_in", "expires_on", "not_before", "resource", "access_token"} {
		assert.IsType(t, "", raw[k], "v1 answers %s as a string", k)
	}
	assert.Equal(t, "Bearer", raw["token_type"])
	assert.Equal(t, "3600", raw["expires_in"])
	assert.Equal(t, strconv.FormatInt(start.Add(time.Hour).Unix(), 10), raw["expires_on"])
	assert.Equal(t, strconv.FormatInt(start.Unix(), 10), raw["not_before"])
	assert.Equal(t, "https://vault.azure.net", raw["resource"])
	assert.NotContains(t, w.Body.String(), DefaultClientSecret)

	p, err := NewValidator(iss, DefaultTenant, clk).Validate("Bearer " + raw["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, DefaultClientID, p.ClientID)
}

func TestTokenEndpointV2(t *testing.T) {
	iss, clk := newTestIssuer(t)
	w := postForm(t, iss.TokenHandler(), "/"+DefaultTenant+"/oauth2/v2.0/token", v2Form())
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var raw map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &raw))
	assert.Equal(t, "Bearer", raw["token_type"])
	assert.Equal(t, float64(3600), raw["expires_in"], "v2 answers numbers")
	assert.Equal(t, float64(3600), raw["ext_expires_in"])
	assert.NotContains(t, raw, "resource")
	_, err := NewValidator(iss, DefaultTenant, clk).Validate("Bearer " + raw["access_token"].(string))
	require.NoError(t, err)
}

func TestTokenEndpointErrorsLookLikeAzureAD(t *testing.T) {
	iss, _ := newTestIssuer(t)
	h := iss.TokenHandler()
	v1 := "/" + DefaultTenant + "/oauth2/token"
	v2 := "/" + DefaultTenant + "/oauth2/v2.0/token"
	with := func(f url.Values, k, v string) url.Values {
		g := url.Values{}
		for kk, vv := range f {
			g[kk] = vv
		}
		if v == "" {
			g.Del(k)
		} else {
			g.Set(k, v)
		}
		return g
	}
	for _, tc := range []struct {
		name   string
		path   string
		form   url.Values
		status int
		err    string
		code   int
		text   string
	}{
		{"unknown tenant", "/other-tenant/oauth2/token", v1Form(), 400, "invalid_tenant", 90002, "Tenant 'other-tenant' not found"},
		{"no grant", v1, with(v1Form(), "grant_type", ""), 400, "invalid_request", 900144, "parameter: 'grant_type'"},
		{"password grant", v1, with(v1Form(), "grant_type", "password"), 400, "unsupported_grant_type", 70003, "unsupported grant type 'password'"},
		{"no client id", v1, with(v1Form(), "client_id", ""), 400, "invalid_request", 900144, "parameter: 'client_id'"},
		{"unknown client", v1, with(v1Form(), "client_id", "nobody"), 400, "unauthorized_client", 700016, "Application with identifier 'nobody' was not found in the directory '" + DefaultTenant + "'"},
		{"no secret", v1, with(v1Form(), "client_secret", ""), 401, "invalid_client", 7000218, "'client_assertion' or 'client_secret'"},
		{"bad secret", v1, with(v1Form(), "client_secret", "hunter2"), 401, "invalid_client", 7000215, "Invalid client secret provided."},
		{"no resource", v1, with(v1Form(), "resource", ""), 400, "invalid_request", 900144, "parameter: 'resource'"},
		{"management resource", v1, with(v1Form(), "resource", "https://management.azure.com/"), 400, "invalid_resource", 500011, "The resource principal named https://management.azure.com/ was not found"},
		{"no scope", v2, with(v2Form(), "scope", ""), 400, "invalid_request", 900144, "parameter: 'scope'"},
		{"scope without .default", v2, with(v2Form(), "scope", "https://vault.azure.net/user_impersonation"), 400, "invalid_scope", 1002012, "/.default"},
		{"other resource scope", v2, with(v2Form(), "scope", "https://storage.azure.com/.default"), 400, "invalid_resource", 500011, "named https://storage.azure.com was not found"},
	} {
		w := postForm(t, h, tc.path, tc.form)
		assert.Equal(t, tc.status, w.Code, tc.name)
		var body aadError
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), tc.name)
		assert.Equal(t, tc.err, body.Error, tc.name)
		assert.Equal(t, []int{tc.code}, body.Codes, tc.name)
		assert.True(t, strings.HasPrefix(body.Description, "AADSTS"+strconv.Itoa(tc.code)+": "), "%s: %s", tc.name, body.Description)
		assert.Contains(t, body.Description, tc.text, tc.name)
		assert.Contains(t, body.Description, "\r\nTrace ID: "+body.TraceID+"\r\nCorrelation ID: ", tc.name)
		assert.Equal(t, "2026-03-01 12:00:00Z", body.Timestamp, tc.name)
		assert.Equal(t, "https://127.0.0.1:8443/error?code="+strconv.Itoa(tc.code), body.ErrorURI, tc.name)
		assert.NotContains(t, w.Body.String(), DefaultClientSecret, tc.name)
		assert.NotContains(t, w.Body.String(), "hunter2", tc.name)
	}

	r := httptest.NewRequest(http.MethodGet, v1, nil)
	r.Header.Set("client-request-id", "corr-1")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), "AADSTS900561")
	assert.Contains(t, w.Body.String(), `"correlation_id":"corr-1"`, "the client's request id is the correlation id")

	// A body that is not a form carries no grant_type.
	r = httptest.NewRequest(http.MethodPost, v1, strings.NewReader(`{"grant_type":"client_credentials"}`))
	r.Header.Set("Content-Type", "application/json")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Contains(t, w.Body.String(), "AADSTS900144")

	// Secrets in the query string are ignored: only the body counts.
	r = httptest.NewRequest(http.MethodPost, v1+"?"+v1Form().Encode(), nil)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), "'grant_type'")

	// An oversized body is refused, not read to the end.
	big := url.Values{"grant_type": {"client_credentials"}, "pad": {strings.Repeat("x", 100<<10)}}
	w = postForm(t, h, v1, big)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), "AADSTS90014")
}

func TestParseTokenPath(t *testing.T) {
	for path, want := range map[string]struct {
		tenant string
		v      TokenVersion
		ok     bool
	}{
		"/t1/oauth2/token":        {"t1", TokenV1, true},
		"/t1/oauth2/v2.0/token":   {"t1", TokenV2, true},
		"/t1/OAuth2/Token/":       {"t1", TokenV1, true},
		"/secrets/a":              {"", 0, false},
		"/t1/oauth2/authorize":    {"", 0, false},
		"/t1/oauth2/v2.0/token/x": {"", 0, false},
		"//oauth2/token":          {"", 0, false},
		"/":                       {"", 0, false},
	} {
		tenant, v, ok := ParseTokenPath(path)
		assert.Equal(t, want.ok, ok, path)
		assert.Equal(t, want.tenant, tenant, path)
		assert.Equal(t, want.v, v, path)
	}
	iss, _ := newTestIssuer(t)
	w := postForm(t, iss.TokenHandler(), "/secrets", v1Form())
	assert.Equal(t, http.StatusNotFound, w.Code)
}
