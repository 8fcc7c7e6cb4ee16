package emulator

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/kverror"
)

// battery is a real emulator on 127.0.0.1 over HTTPS with a client that trusts
// it and a token for the default identity.
type battery struct {
	t      *testing.T
	s      *Server
	client *http.Client
	token  string
}

func newBattery(t *testing.T) *battery {
	t.Helper()
	v, err := newVault(Config{ReuseKeyMaterial: true}, auth.WithKey(sharedKey()))
	require.NoError(t, err)
	s, err := Start(v, "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	tok, err := v.Issuer().Issue(v.Config().Identities[0].ClientID)
	require.NoError(t, err)
	return &battery{t: t, s: s, token: tok.AccessToken, client: &http.Client{
		Timeout:   20 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CertPool(), MinVersion: tls.VersionTLS12}},
	}}
}

// do sends an authenticated request whose path and query are sent exactly as
// written (no cleaning, no re-escaping), and returns the status, headers and body.
func (b *battery) do(method, rawPath, contentType, body string) (int, http.Header, []byte) {
	b.t.Helper()
	u, err := url.Parse(b.s.URL)
	require.NoError(b.t, err)
	path, query, _ := strings.Cut(rawPath, "?")
	u.Opaque = "//" + u.Host + path
	u.RawQuery = query
	req, err := http.NewRequest(method, b.s.URL, strings.NewReader(body))
	require.NoError(b.t, err)
	req.URL = u
	req.Header.Set("Authorization", "Bearer "+b.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := b.client.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return resp.StatusCode, resp.Header, got
}

// requireKeyVaultError fails unless the response is a Key Vault error: JSON
// body {"error":{"code","message"}} and the common headers.
func requireKeyVaultError(t *testing.T, h http.Header, body []byte) *kverror.Error {
	t.Helper()
	require.Equal(t, kverror.ContentType, h.Get("Content-Type"), string(body))
	var kb kverror.Body
	require.NoError(t, json.Unmarshal(body, &kb), string(body))
	require.NotNil(t, kb.Error, string(body))
	require.NotEmpty(t, kb.Error.Code, string(body))
	require.NotEmpty(t, kb.Error.Message, string(body))
	require.Len(t, h.Get(kverror.HeaderRequestID), 36)
	require.Equal(t, "no-cache", h.Get("Cache-Control"))
	return kb.Error
}

const json7 = "application/json"

// TestBadInputBatteryAnswersKeyVaultErrorsNever500 throws bad input of every
// kind at a real emulator over HTTPS: each answer is a Key Vault error body
// with the status the real service gives, and none is a 5xx.
func TestBadInputBatteryAnswersKeyVaultErrorsNever500(t *testing.T) {
	t.Parallel()
	b := newBattery(t)

	// Fixtures: a secret and an RSA key to aim bad requests at.
	st, _, body := b.do(http.MethodPut, "/secrets/s1?api-version=7.6", json7, `{"value":"v"}`)
	require.Equal(t, http.StatusOK, st, string(body))
	st, _, body = b.do(http.MethodPost, "/keys/k1/create?api-version=7.6", json7, `{"kty":"RSA","key_size":2048}`)
	require.Equal(t, http.StatusOK, st, string(body))

	digest := base64.RawURLEncoding.EncodeToString(make([]byte, sha256.Size))
	short := base64.RawURLEncoding.EncodeToString(make([]byte, 10))
	huge := `{"value":"` + strings.Repeat("a", maxBody+10) + `"}`

	cases := []struct {
		name, method, path, ctype, body string
		status                          int
	}{
		// JSON bodies.
		{"empty body", "PUT", "/secrets/s2?api-version=7.6", json7, "", 400},
		{"truncated JSON", "PUT", "/secrets/s2?api-version=7.6", json7, `{"value":"x`, 400},
		{"not an object", "PUT", "/secrets/s2?api-version=7.6", json7, `[1,2,3]`, 400},
		{"wrong type", "PUT", "/secrets/s2?api-version=7.6", json7, `{"value":42}`, 400},
		{"binary garbage", "PUT", "/secrets/s2?api-version=7.6", json7, "\x00\xff\xfe{", 400},
		{"deeply nested", "PUT", "/secrets/s2?api-version=7.6", json7, strings.Repeat("[", 100000), 400},
		{"oversized body", "PUT", "/secrets/s2?api-version=7.6", json7, huge, 413},
		{"wrong content type", "PUT", "/secrets/s2?api-version=7.6", "text/plain", `not json`, 400},
		// Names.
		{"name with underscore", "GET", "/secrets/bad_name?api-version=7.6", "", "", 400},
		{"name too long", "GET", "/secrets/" + strings.Repeat("a", 128) + "?api-version=7.6", "", "", 400},
		{"unicode name", "GET", "/secrets/s%C3%A9cret?api-version=7.6", "", "", 400},
		// %2F decodes to a slash, as in the real service: name a, version b.
		{"name with encoded slash", "GET", "/secrets/a%2Fb?api-version=7.6", "", "", 404},
		{"name with NUL", "GET", "/secrets/a%00b?api-version=7.6", "", "", 400},
		{"missing secret", "GET", "/secrets/nope?api-version=7.6", "", "", 404},
		// api-version.
		{"no api-version", "GET", "/secrets/s1", "", "", 400},
		{"unknown api-version", "GET", "/secrets/s1?api-version=1999-01-01", "", "", 400},
		{"empty api-version", "GET", "/secrets/s1?api-version=", "", "", 400},
		// Paths.
		{"dot-dot", "GET", "/secrets/../keys/k1?api-version=7.6", "", "", 0},
		{"double slash", "GET", "//secrets//s1?api-version=7.6", "", "", 0},
		{"encoded dot-dot", "GET", "/secrets/%2E%2E/keys?api-version=7.6", "", "", 0},
		{"unknown collection", "GET", "/storage/c1?api-version=7.6", "", "", 0},
		{"very long path", "GET", "/secrets/" + strings.Repeat("a/", 3000) + "?api-version=7.6", "", "", 0},
		{"unicode path", "GET", "/秘密/s1?api-version=7.6", "", "", 0},
		{"wrong method", "PATCH", "/keys/k1/sign?api-version=7.6", json7, `{}`, 0},
		// Paging.
		{"maxresults zero", "GET", "/secrets?api-version=7.6&maxresults=0", "", "", 400},
		{"maxresults too big", "GET", "/secrets?api-version=7.6&maxresults=26", "", "", 400},
		{"maxresults not a number", "GET", "/secrets?api-version=7.6&maxresults=ten", "", "", 400},
		{"maxresults overflow", "GET", "/secrets?api-version=7.6&maxresults=99999999999999999999", "", "", 400},
		{"skiptoken garbage", "GET", "/secrets?api-version=7.6&$skiptoken=%25%25not-base64", "", "", 400},
		{"skiptoken other base64", "GET", "/secrets?api-version=7.6&$skiptoken=" + base64.RawURLEncoding.EncodeToString([]byte("\xff\x00zzz")), "", "", 400},
		// Key operations.
		{"create bad kty", "POST", "/keys/k2/create?api-version=7.6", json7, `{"kty":"DSA"}`, 400},
		{"create bad size", "POST", "/keys/k2/create?api-version=7.6", json7, `{"kty":"RSA","key_size":1000}`, 400},
		{"create bad curve", "POST", "/keys/k2/create?api-version=7.6", json7, `{"kty":"EC","crv":"P-999"}`, 400},
		{"sign bad alg", "POST", "/keys/k1/sign?api-version=7.6", json7, `{"alg":"XX999","value":"` + digest + `"}`, 400},
		{"sign EC alg on RSA key", "POST", "/keys/k1/sign?api-version=7.6", json7, `{"alg":"ES256","value":"` + digest + `"}`, 400},
		{"sign bad base64url", "POST", "/keys/k1/sign?api-version=7.6", json7, `{"alg":"RS256","value":"!!!not base64!!!"}`, 400},
		{"sign wrong digest length", "POST", "/keys/k1/sign?api-version=7.6", json7, `{"alg":"RS256","value":"` + short + `"}`, 400},
		{"sign no value", "POST", "/keys/k1/sign?api-version=7.6", json7, `{"alg":"RS256"}`, 400},
		{"verify bad signature base64", "POST", "/keys/k1/verify?api-version=7.6", json7, `{"alg":"RS256","digest":"` + digest + `","value":"***"}`, 400},
		{"decrypt garbage", "POST", "/keys/k1/decrypt?api-version=7.6", json7, `{"alg":"RSA-OAEP","value":"` + digest + `"}`, 400},
		{"encrypt bad alg", "POST", "/keys/k1/encrypt?api-version=7.6", json7, `{"alg":"A128GCM","value":"` + digest + `"}`, 400},
		{"op on missing key", "POST", "/keys/nope/sign?api-version=7.6", json7, `{"alg":"RS256","value":"` + digest + `"}`, 404},
		{"op on bad version", "POST", "/keys/k1/zzz/sign?api-version=7.6", json7, `{"alg":"RS256","value":"` + digest + `"}`, 404},
		// The key lifecycle.
		{"update bad key_ops", "PATCH", "/keys/k1?api-version=7.6", json7, `{"key_ops":["fly"]}`, 400},
		{"update key_ops not a list", "PATCH", "/keys/k1?api-version=7.6", json7, `{"key_ops":"sign"}`, 400},
		{"update exportable", "PATCH", "/keys/k1?api-version=7.6", json7, `{"attributes":{"exportable":true}}`, 400},
		{"update bad version", "PATCH", "/keys/k1/zzz?api-version=7.6", json7, `{}`, 404},
		{"update missing key", "PATCH", "/keys/nope?api-version=7.6", json7, `{}`, 404},
		{"update bad attributes", "PATCH", "/keys/k1?api-version=7.6", json7, `{"attributes":{"exp":"soon"}}`, 400},
		{"versions of missing key", "GET", "/keys/nope/versions?api-version=7.6", "", "", 404},
		{"versions bad maxresults", "GET", "/keys/k1/versions?api-version=7.6&maxresults=0", "", "", 400},
		{"import no key", "PUT", "/keys/i1?api-version=7.6", json7, `{}`, 400},
		{"import key not an object", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":"RSA"}`, 400},
		{"import bad kty", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"DSA"}}`, 400},
		{"import RSA without d", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"RSA","n":"AQAB","e":"AQAB"}}`, 400},
		{"import RSA garbage", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"RSA","n":"` + strings.Repeat("_", 344) + `","e":"AQAB","d":"AQ","p":"Aw","q":"BQ"}}`, 400},
		{"import RSA bad base64", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"RSA","n":"***","e":"AQAB"}}`, 400},
		{"import RSA huge e", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"RSA","n":"` + strings.Repeat("_", 342) + `","e":"` + strings.Repeat("_", 20) + `","d":"AQ","p":"Aw","q":"BQ"}}`, 400},
		{"import EC off curve", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"EC","crv":"P-256","d":"AQ","x":"AQ","y":"AQ"}}`, 400},
		{"import EC long d", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"EC","crv":"P-256","d":"` + strings.Repeat("A", 100) + `","x":"AQ","y":"AQ"}}`, 400},
		{"import P-256K zero d", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"EC","crv":"P-256K","d":"AA","x":"AQ","y":"AQ"}}`, 400},
		{"import bad curve", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"EC-HSM","crv":"P-1"}}`, 400},
		{"import BYOK", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"RSA-HSM","key_hsm":"AAAA"}}`, 400},
		{"import oct", "PUT", "/keys/i1?api-version=7.6", json7, `{"key":{"kty":"oct","k":"AAAA"}}`, 400},
		{"backup missing key", "POST", "/keys/nope/backup?api-version=7.6", "", "", 404},
		{"restore no value", "POST", "/keys/restore?api-version=7.6", json7, `{}`, 400},
		{"restore not base64", "POST", "/keys/restore?api-version=7.6", json7, `{"value":"***"}`, 400},
		{"restore garbage", "POST", "/keys/restore?api-version=7.6", json7, `{"value":"` + digest + `"}`, 400},
		{"restore wrong type", "POST", "/keys/restore?api-version=7.6", json7, `{"value":12}`, 400},
		{"rotate missing key", "POST", "/keys/nope/rotate?api-version=7.6", "", "", 404},
		{"policy of missing key", "GET", "/keys/nope/rotationpolicy?api-version=7.6", "", "", 404},
		{"policy bad duration", "PUT", "/keys/k1/rotationpolicy?api-version=7.6", json7, `{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P1Q"},"action":{"type":"Rotate"}}]}`, 400},
		{"policy two triggers", "PUT", "/keys/k1/rotationpolicy?api-version=7.6", json7, `{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P1D","timeBeforeExpiry":"P1D"},"action":{"type":"Rotate"}}]}`, 400},
		{"policy bad action", "PUT", "/keys/k1/rotationpolicy?api-version=7.6", json7, `{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P1D"},"action":{"type":"Delete"}}]}`, 400},
		{"policy bad expiry", "PUT", "/keys/k1/rotationpolicy?api-version=7.6", json7, `{"attributes":{"expiryTime":"PT"}}`, 400},
		{"policy not an object", "PUT", "/keys/k1/rotationpolicy?api-version=7.6", json7, `[]`, 400},
		{"release not exportable", "POST", "/keys/k1/release?api-version=7.6", json7, `{"target":"t"}`, 400},
		{"release missing key", "POST", "/keys/nope/v1/release?api-version=7.6", json7, `{"target":"t"}`, 404},
		{"deleted key missing", "GET", "/deletedkeys/nope?api-version=7.6", "", "", 404},
		{"purge missing key", "DELETE", "/deletedkeys/nope?api-version=7.6", "", "", 404},
		{"recover missing key", "POST", "/deletedkeys/nope/recover?api-version=7.6", "", "", 404},
		{"deleted keys bad skiptoken", "GET", "/deletedkeys?api-version=7.6&$skiptoken=%25%25", "", "", 400},
		{"rng no count", "POST", "/rng?api-version=7.6", json7, `{}`, 400},
		{"rng count too big", "POST", "/rng?api-version=7.6", json7, `{"count":100000}`, 400},
		{"create bad exportable", "POST", "/keys/k3/create?api-version=7.6", json7, `{"kty":"EC","attributes":{"exportable":true}}`, 400},
		{"create bad public exponent", "POST", "/keys/k3/create?api-version=7.6", json7, `{"kty":"RSA","public_exponent":3}`, 400},
		{"path word as version", "GET", "/keys/k1/pending?api-version=7.6", "", "", 404},
		{"attestation of a vault key", "GET", "/keys/k1/attestation?api-version=7.6", "", "", 400},
		{"attestation of a missing key", "GET", "/keys/nope/v1/attestation?api-version=7.6", "", "", 404},
		// Secret backup and restore.
		{"backup missing secret", "POST", "/secrets/nope/backup?api-version=7.6", "", "", 404},
		{"backup bad name", "POST", "/secrets/bad_name/backup?api-version=7.6", "", "", 400},
		{"backup wrong method", "GET", "/secrets/s1/backup/x?api-version=7.6", "", "", 0},
		{"restore empty body", "POST", "/secrets/restore?api-version=7.6", json7, "", 400},
		{"restore no value", "POST", "/secrets/restore?api-version=7.6", json7, `{}`, 400},
		{"restore null value", "POST", "/secrets/restore?api-version=7.6", json7, `{"value":null}`, 400},
		{"restore value not a string", "POST", "/secrets/restore?api-version=7.6", json7, `{"value":["a"]}`, 400},
		{"restore bad base64url", "POST", "/secrets/restore?api-version=7.6", json7, `{"value":"***"}`, 400},
		{"restore short blob", "POST", "/secrets/restore?api-version=7.6", json7, `{"value":"S1ZRQgE"}`, 400},
		{"restore foreign blob", "POST", "/secrets/restore?api-version=7.6", json7, `{"value":"` + base64.RawURLEncoding.EncodeToString([]byte("KVQB\x01"+strings.Repeat("\x00", 64))) + `"}`, 400},
		{"restore random bytes", "POST", "/secrets/restore?api-version=7.6", json7, `{"value":"` + digest + `"}`, 400},
		{"restore oversized", "POST", "/secrets/restore?api-version=7.6", json7, huge, 413},
		// Purge of a secret that is not deleted.
		{"purge live secret", "DELETE", "/deletedsecrets/s1?api-version=7.6", "", "", 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, h, body := b.do(c.method, c.path, c.ctype, c.body)
			require.Less(t, st, 500, "never a 5xx: %s", body)
			require.GreaterOrEqual(t, st, 400, "bad input is refused: %s", body)
			if c.status != 0 {
				assert.Equal(t, c.status, st, string(body))
			}
			e := requireKeyVaultError(t, h, body)
			t.Logf("%d %s", st, e.Code)
			assert.NotContains(t, e.Message, b.token, "never echo the token")
		})
	}
}

// TestConcurrentWritesToOneSecretKeepEveryVersion has many goroutines PUT the
// same secret at once: every write gets its own version, all are listed, and
// the latest is one of them, whole.
func TestConcurrentWritesToOneSecretKeepEveryVersion(t *testing.T) {
	t.Parallel()
	b := newBattery(t)
	const writers = 40
	ids := make([]string, writers)
	values := make([]string, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			values[i] = fmt.Sprintf("value-%02d", i)
			st, _, body := b.do(http.MethodPut, "/secrets/contended?api-version=7.6", json7, `{"value":"`+values[i]+`"}`)
			assert.Equal(t, http.StatusOK, st, string(body))
			var got struct{ ID, Value string }
			assert.NoError(t, json.Unmarshal(body, &got))
			assert.Equal(t, values[i], got.Value, "each writer gets back what it wrote")
			ids[i] = got.ID
		})
	}
	wg.Wait()
	versions := map[string]string{}
	for i, id := range ids {
		require.NotEmpty(t, id)
		versions[id[strings.LastIndex(id, "/")+1:]] = values[i]
	}
	require.Len(t, versions, writers, "every write made a distinct version")

	// Every version is listed and reads back its own value.
	listed := map[string]bool{}
	next := "/secrets/contended/versions?api-version=7.6"
	for next != "" {
		st, _, body := b.do(http.MethodGet, next, "", "")
		require.Equal(t, http.StatusOK, st, string(body))
		var page struct {
			Value []struct {
				ID string `json:"id"`
			} `json:"value"`
			NextLink string `json:"nextLink"`
		}
		require.NoError(t, json.Unmarshal(body, &page))
		for _, it := range page.Value {
			listed[it.ID[strings.LastIndex(it.ID, "/")+1:]] = true
		}
		next = strings.TrimPrefix(page.NextLink, b.s.URL)
	}
	assert.Len(t, listed, writers)
	for ver, val := range versions {
		assert.True(t, listed[ver], ver)
		st, _, body := b.do(http.MethodGet, "/secrets/contended/"+ver+"?api-version=7.6", "", "")
		require.Equal(t, http.StatusOK, st, string(body))
		assert.Contains(t, string(body), `"value":"`+val+`"`)
	}

	// The latest is one of the writes, consistent with its version.
	st, _, body := b.do(http.MethodGet, "/secrets/contended?api-version=7.6", "", "")
	require.Equal(t, http.StatusOK, st, string(body))
	var latest struct{ ID, Value string }
	require.NoError(t, json.Unmarshal(body, &latest))
	ver := latest.ID[strings.LastIndex(latest.ID, "/")+1:]
	assert.Equal(t, versions[ver], latest.Value, "the latest version holds the value written with it")
}
