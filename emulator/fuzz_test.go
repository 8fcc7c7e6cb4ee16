package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/emulator/kverror"
)

// FuzzServeHTTP sends arbitrary requests — method, path and query, one extra
// header, content type, body, with or without a valid token — through
// Vault.ServeHTTP in process. The invariant is the one the package doc
// promises: never a panic, never a 5xx, and every 4xx from the data plane is a
// Key Vault JSON error body with the common headers.
func FuzzServeHTTP(f *testing.F) {
	clk := clock.NewFake(t0)
	v, err := newVault(Config{Clock: clk, ReuseKeyMaterial: true}, auth.WithKey(sharedKey()))
	if err != nil {
		f.Fatal(err)
	}
	tok, err := v.Issuer().Issue(v.Config().Identities[0].ClientID)
	if err != nil {
		f.Fatal(err)
	}
	const j = "application/json"
	for _, s := range []struct {
		method, target, hname, hvalue, ctype, body string
		authed                                     bool
	}{
		{"PUT", "/secrets/s1?api-version=7.6", "", "", j, `{"value":"v","contentType":"c","attributes":{"enabled":true,"exp":2000000000},"tags":{"a":"b"}}`, true},
		{"GET", "/secrets/s1?api-version=7.6", "", "", "", "", true},
		{"GET", "/secrets/s1/versions?api-version=7.6&maxresults=1", "", "", "", "", true},
		{"GET", "/secrets?api-version=7.6&maxresults=2&$skiptoken=czE", "", "", "", "", true},
		{"PATCH", "/secrets/s1/?api-version=7.6", "", "", j, `{"contentType":"x"}`, true},
		{"DELETE", "/secrets/s1?api-version=7.6", "", "", "", "", true},
		{"GET", "/deletedsecrets/s1?api-version=7.6", "", "", "", "", true},
		{"POST", "/deletedsecrets/s1/recover?api-version=7.6", "", "", "", "", true},
		{"DELETE", "/deletedsecrets/s1?api-version=7.6", "", "", "", "", true},
		{"POST", "/secrets/s1/backup?api-version=7.6", "", "", "", "", true},
		{"POST", "/secrets/restore?api-version=7.6", "", "", j, `{"value":"S1ZRQgEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`, true},
		{"POST", "/secrets/restore?api-version=7.6", "", "", j, `{"value":""}`, true},
		{"PATCH", "/secrets/s1?api-version=7.6", "", "", j, `{"tags":{}}`, true},
		{"GET", "/secrets/s1?api-version=7.6", "", "", "", "", false},
		{"POST", "/keys/k1/create?api-version=7.6", "", "", j, `{"kty":"RSA","key_size":2048,"key_ops":["sign","verify"]}`, true},
		{"POST", "/keys/e1/create?api-version=7.6", "", "", j, `{"kty":"EC","crv":"P-256"}`, true},
		{"POST", "/keys/k1/sign?api-version=7.6", "", "", j, `{"alg":"RS256","value":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`, true},
		{"POST", "/keys/k1/encrypt?api-version=7.6", "", "", j, `{"alg":"RSA-OAEP","value":"aGVsbG8"}`, true},
		{"POST", "/keys/k1/verify?api-version=7.6", "", "", j, `{"alg":"RS256","digest":"AA","value":"AA"}`, true},
		{"GET", "/keys?api-version=2026-04-01", "", "", "", "", true},
		{"PATCH", "/keys/k1?api-version=7.6", "", "", j, `{"key_ops":["sign"],"attributes":{"enabled":false,"nbf":1,"exp":2000000000},"tags":{"a":"b"}}`, true},
		{"GET", "/keys/k1/versions?api-version=7.6&maxresults=1", "", "", "", "", true},
		{"PUT", "/keys/i1?api-version=7.6", "", "", j, `{"key":{"kty":"EC","crv":"P-256","d":"AQ","x":"AQ","y":"AQ"},"Hsm":true}`, true},
		{"PUT", "/keys/i1?api-version=7.6", "", "", j, `{"key":{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQ","p":"Aw","q":"BQ"}}`, true},
		{"POST", "/keys/k1/backup?api-version=7.6", "", "", "", "", true},
		{"POST", "/keys/restore?api-version=7.6", "", "", j, `{"value":"a3ZxYjEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`, true},
		{"POST", "/keys/k1/rotate?api-version=7.6", "", "", "", "", true},
		{"PUT", "/keys/k1/rotationpolicy?api-version=7.6", "", "", j, `{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P1Y2M3W4DT5H6M7S"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"P2Y"}}`, true},
		{"GET", "/keys/k1/rotationpolicy?api-version=7.6", "", "", "", "", true},
		{"POST", "/keys/k1/release?api-version=7.6", "", "", j, `{"target":"x"}`, true},
		{"DELETE", "/keys/e1?api-version=7.6", "", "", "", "", true},
		{"GET", "/deletedkeys?api-version=7.6", "", "", "", "", true},
		{"GET", "/deletedkeys/e1?api-version=7.6", "", "", "", "", true},
		{"POST", "/deletedkeys/e1/recover?api-version=7.6", "", "", "", "", true},
		{"DELETE", "/deletedkeys/e1?api-version=7.6", "", "", "", "", true},
		{"POST", "/rng?api-version=7.6", "", "", j, `{"count":16}`, true},
		{"GET", "/keys/k1/attestation?api-version=7.6", "", "", "", "", true},
		{"POST", "/keys/k1/v/release?api-version=7.6", "", "", j, `{"target":"x","nonce":"n","enc":"CKM_RSA_AES_KEY_WRAP"}`, true},
		{"GET", "/secrets/s1?api-version=7.6", "Authorization", "Bearer x.y.z", "", "", false},
		{"GET", "/secrets/s1", "", "", "", "", false},
		{"GET", "/secrets/a%2Fb/../c?api-version=7.6", "X-Forwarded-For", "10.0.0.1", "", "", true},
		{"POST", "/" + auth.DefaultTenant + "/oauth2/v2.0/token", "", "", "application/x-www-form-urlencoded", "grant_type=client_credentials", false},
		{"GET", "/", "", "", "", "", false},
	} {
		f.Add(s.method, s.target, s.hname, s.hvalue, s.ctype, s.body, s.authed)
	}
	addCertFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, method, target, hname, hvalue, ctype, body string, authed bool) {
		// Let the windows pass so that quota never hides the handlers.
		clk.Advance(11 * time.Second)
		r, ok := fuzzRequest(method, target, body)
		if !ok {
			return
		}
		if hname != "" && !strings.EqualFold(hname, "Host") {
			r.Header.Set(hname, hvalue)
		}
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		if authed {
			r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		}
		w := httptest.NewRecorder()
		v.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %q: %d %s", method, target, w.Code, w.Body)
		}
		if _, _, tokenPath := auth.ParseTokenPath(r.URL.Path); tokenPath {
			return // Azure AD's own error shape, fuzzed in package auth
		}
		if _, _, meta := auth.ParseMetadataPath(r.URL.Path); meta {
			return
		}
		if w.Code < 400 {
			return
		}
		if got := w.Header().Get("Content-Type"); got != kverror.ContentType {
			t.Fatalf("%s %q: %d with Content-Type %q: %s", method, target, w.Code, got, w.Body)
		}
		var kb kverror.Body
		if err := json.Unmarshal(w.Body.Bytes(), &kb); err != nil || kb.Error == nil || kb.Error.Code == "" || kb.Error.Message == "" {
			t.Fatalf("%s %q: %d is not a Key Vault error body: %s", method, target, w.Code, w.Body)
		}
		if len(w.Header().Get(kverror.HeaderRequestID)) != 36 || w.Header().Get("Cache-Control") != "no-cache" ||
			w.Header().Get(kverror.HeaderServiceVersion) == "" {
			t.Fatalf("%s %q: %d without the common headers: %v", method, target, w.Code, w.Header())
		}
	})
}

// fuzzRequest builds a request as net/http's server would hand it to a
// handler, or reports that no HTTP/1.1 request line could carry these.
func fuzzRequest(method, target, body string) (*http.Request, bool) {
	if method == "" || strings.ContainsAny(method, " \t\r\n()<>@,;:\\\"/[]?={}") || strings.ContainsFunc(method, func(c rune) bool { return c < 0x21 || c > 0x7e }) {
		return nil, false
	}
	if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \t\r\n") {
		return nil, false
	}
	u, err := url.ParseRequestURI(target)
	if err != nil || u.Host != "" {
		return nil, false
	}
	r, err := http.NewRequest(method, base+target, strings.NewReader(body))
	if err != nil {
		return nil, false
	}
	r.RemoteAddr = "127.0.0.1:50000"
	r.RequestURI = target
	return r, true
}
