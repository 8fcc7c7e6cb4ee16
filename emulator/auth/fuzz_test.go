package auth

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzValidate feeds arbitrary Authorization values to the validator: it must
// never panic, and every refusal must be a *Failure with a reason and a
// message (what the 401 body is built from).
func FuzzValidate(f *testing.F) {
	iss, clk := newTestIssuer(&testing.T{})
	tok, err := iss.Issue(DefaultIdentity().ClientID)
	if err != nil {
		f.Fatal(err)
	}
	parts := strings.Split(tok.AccessToken, ".")
	for _, seed := range []string{
		"", "Bearer", "Bearer ", "bearer " + tok.AccessToken, "Bearer " + tok.AccessToken,
		"Basic dXNlcjpwYXNz", "PoP " + tok.AccessToken, "Bearer a.b.c", "Bearer ...", "Bearer a.b",
		"Bearer " + parts[0] + "." + parts[1] + ".", // unsigned
		"Bearer eyJhbGciOiJub25lIn0.e30.",           // alg none
		"Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.e30.AAAA",
		"Bearer " + tok.AccessToken + "x", "Bearer  " + tok.AccessToken,
	} {
		f.Add(seed)
	}
	v := NewValidator(iss, DefaultTenant, clk)
	f.Fuzz(func(t *testing.T, authorization string) {
		p, err := v.Validate(authorization)
		if err == nil {
			if p == nil {
				t.Fatal("a valid token yields a principal")
			}
			return
		}
		var fail *Failure
		if !errors.As(err, &fail) || fail.Reason == "" || fail.Message == "" {
			t.Fatalf("want a *Failure with a reason and message, got %T: %v", err, err)
		}
	})
}

// FuzzTokenEndpoint sends arbitrary methods, paths, content types and bodies
// to the token endpoints: never a panic or a 5xx, and every answer from a
// token or discovery endpoint is JSON.
func FuzzTokenEndpoint(f *testing.F) {
	iss, _ := newTestIssuer(&testing.T{})
	id := DefaultIdentity()
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {id.ClientID},
		"client_secret": {DefaultClientSecret}, "scope": {"https://vault.azure.net/.default"}}.Encode()
	form := "application/x-www-form-urlencoded"
	for _, s := range []struct{ method, path, ctype, body string }{
		{"POST", "/" + DefaultTenant + "/oauth2/v2.0/token", form, good},
		{"POST", "/" + DefaultTenant + "/oauth2/token", form, strings.Replace(good, "scope=", "resource=", 1)},
		{"POST", "/" + DefaultTenant + "/oauth2/v2.0/token", "application/json", `{"a":1}`},
		{"POST", "/other/oauth2/v2.0/token", form, good},
		{"GET", "/" + DefaultTenant + "/oauth2/v2.0/token", "", ""},
		{"POST", "/" + DefaultTenant + "/oauth2/v2.0/token", form, "%zz=%"},
		{"POST", "/" + DefaultTenant + "/oauth2/v2.0/token", form + "; charset=\"", good},
		{"GET", "/" + DefaultTenant + "/v2.0/.well-known/openid-configuration", "", ""},
		{"GET", "/" + DefaultTenant + "/discovery/v2.0/keys", "", ""},
		{"POST", "/", form, "grant_type=password"},
	} {
		f.Add(s.method, s.path, s.ctype, s.body)
	}
	h := iss.TokenHandler()
	f.Fuzz(func(t *testing.T, method, path, ctype, body string) {
		r, ok := request(method, path, body)
		if !ok {
			return
		}
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %q: %d %s", method, path, w.Code, w.Body)
		}
		// Other paths are the vault's to answer (the handler 404s them in
		// plain text, but the vault never routes them here).
		_, _, isToken := ParseTokenPath(r.URL.Path)
		_, _, isMeta := ParseMetadataPath(r.URL.Path)
		if (isToken || isMeta) && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %q: %d body is not JSON: %q", method, path, w.Code, w.Body)
		}
	})
}

// request builds what net/http's server could hand a handler, or reports that
// no HTTP/1.1 request line could carry these (a method that is not a token,
// a target that is not a path).
func request(method, path, body string) (*http.Request, bool) {
	if method == "" || strings.ContainsAny(method, " \t\r\n()<>@,;:\\\"/[]?={}") {
		return nil, false
	}
	if !strings.HasPrefix(path, "/") {
		return nil, false
	}
	u, err := url.ParseRequestURI(path)
	if err != nil || u.Host != "" {
		return nil, false
	}
	r, err := http.NewRequest(method, "https://127.0.0.1:8443"+path, strings.NewReader(body))
	if err != nil {
		return nil, false
	}
	r.RemoteAddr = "127.0.0.1:50000"
	r.RequestURI = path
	return r, true
}
