package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadInputBatteryCertificates is the bad-input battery of the
// certificate operations, on the same real emulator over HTTPS as
// TestBadInputBatteryAnswersKeyVaultErrorsNever500: every malformed body,
// path or blob is a Key Vault error with the status the service gives,
// never a 5xx.
func TestBadInputBatteryCertificates(t *testing.T) {
	t.Parallel()
	b := newBattery(t)
	fx := newCertFixture(t)
	st, _, body := b.do(http.MethodPost, "/certificates/c1/create?api-version=7.6", json7, selfPolicyJSON)
	require.Equal(t, http.StatusAccepted, st, string(body))
	pending := strings.Replace(selfPolicyJSON, `"Self"`, `"Unknown"`, 1)
	st, _, body = b.do(http.MethodPost, "/certificates/p1/create?api-version=7.6", json7, pending)
	require.Equal(t, http.StatusAccepted, st, string(body))
	st, _, body = b.do(http.MethodPost, "/certificates/c1/backup?api-version=7.6", "", "")
	require.Equal(t, http.StatusOK, st, string(body))
	var blob struct{ Value string }
	require.NoError(t, json.Unmarshal(body, &blob))
	raw, _ := base64.RawURLEncoding.DecodeString(blob.Value)
	raw[len(raw)-1] ^= 0xff
	tampered := base64.RawURLEncoding.EncodeToString(raw)
	withPolicy := func(p string) string { return `{"policy":` + p + `}` }
	notDER := base64.StdEncoding.EncodeToString([]byte("not a certificate"))

	cases := []struct {
		name, method, path, body string
		status                   int
	}{
		{"create empty body", "POST", "/certificates/c2/create", "", 400},
		{"create not JSON", "POST", "/certificates/c2/create", `{"policy":`, 400},
		{"create policy wrong type", "POST", "/certificates/c2/create", `{"policy":"Self"}`, 400},
		{"create no policy, new name", "POST", "/certificates/c2/create", `{}`, 400},
		{"create no issuer", "POST", "/certificates/c2/create", withPolicy(`{"x509_props":{"subject":"CN=a"}}`), 400},
		{"create no subject", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"}}`), 400},
		{"create bad subject", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"x509_props":{"subject":"XX=a"}}`), 400},
		{"create subject garbage", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"x509_props":{"subject":"====,,,"}}`), 400},
		{"create bad kty", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"key_props":{"kty":"DSA"},"x509_props":{"subject":"CN=a"}}`), 400},
		{"create bad size", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"key_props":{"kty":"RSA","key_size":1000},"x509_props":{"subject":"CN=a"}}`), 400},
		{"create P-256K", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"key_props":{"kty":"EC","crv":"P-256K"},"x509_props":{"subject":"CN=a"}}`), 400},
		{"create bad content type", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"secret_props":{"contentType":"text/plain"},"x509_props":{"subject":"CN=a"}}`), 400},
		{"create bad validity", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"x509_props":{"subject":"CN=a","validity_months":-3}}`), 400},
		{"create bad key usage", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"x509_props":{"subject":"CN=a","key_usage":["everything"]}}`), 400},
		{"create bad eku", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"x509_props":{"subject":"CN=a","ekus":["not.an.oid"]}}`), 400},
		{"create bad SAN IP", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"x509_props":{"subject":"CN=a","sans":{"ipAddresses":["999.1.1.1"]}}}`), 400},
		{"create bad SAN URI", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"x509_props":{"subject":"CN=a","sans":{"uris":["no scheme"]}}}`), 400},
		{"create bad lifetime", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"Self"},"x509_props":{"subject":"CN=a"},"lifetime_actions":[{"trigger":{"lifetime_percentage":150},"action":{"action_type":"AutoRenew"}}]}`), 400},
		{"create unknown issuer", "POST", "/certificates/c2/create", withPolicy(`{"issuer":{"name":"NoSuchCA"},"x509_props":{"subject":"CN=a"}}`), 400},
		{"create while pending", "POST", "/certificates/p1/create", pending, 409},
		{"create bad name", "POST", "/certificates/bad_name/create", selfPolicyJSON, 400},
		{"import no value", "POST", "/certificates/i1/import", `{}`, 400},
		{"import garbage", "POST", "/certificates/i1/import", `{"value":"!!!"}`, 400},
		{"import base64 garbage", "POST", "/certificates/i1/import", `{"value":"` + notDER + `"}`, 400},
		{"import wrong password", "POST", "/certificates/i1/import", `{"value":"` + fx.pfx + `","pwd":"wrong"}`, 400},
		{"import PEM without key", "POST", "/certificates/i1/import", `{"value":` + jsonString(fx.pem[strings.Index(fx.pem, "-----BEGIN CERTIFICATE"):]) + `}`, 400},
		{"import PEM RSA PRIVATE KEY block", "POST", "/certificates/i1/import", `{"value":"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"}`, 400},
		{"import PEM broken cert", "POST", "/certificates/i1/import", `{"value":"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}`, 400},
		{"import bad policy", "POST", "/certificates/i1/import", `{"value":` + jsonString(fx.pem) + `,"policy":{"secret_props":{"contentType":"x"}}}`, 400},
		{"merge no x5c", "POST", "/certificates/p1/pending/merge", `{}`, 400},
		{"merge not base64", "POST", "/certificates/p1/pending/merge", `{"x5c":["***"]}`, 400},
		{"merge not DER", "POST", "/certificates/p1/pending/merge", `{"x5c":["` + notDER + `"]}`, 400},
		{"merge other key", "POST", "/certificates/p1/pending/merge", `{"x5c":["` + base64.StdEncoding.EncodeToString(fx.der) + `"]}`, 400},
		{"merge nothing pending", "POST", "/certificates/c1/pending/merge", `{"x5c":["` + base64.StdEncoding.EncodeToString(fx.der) + `"]}`, 404},
		{"merge missing cert", "POST", "/certificates/nope/pending/merge", `{"x5c":["` + notDER + `"]}`, 404},
		{"cancel no body", "PATCH", "/certificates/p1/pending", "", 400},
		{"cancel wrong type", "PATCH", "/certificates/p1/pending", `{"cancellation_requested":"yes"}`, 400},
		{"cancel missing field", "PATCH", "/certificates/p1/pending", `{}`, 400},
		{"pending of missing", "GET", "/certificates/nope/pending", "", 404},
		{"update bad tags", "PATCH", "/certificates/c1", `{"tags":{"":"x"}}`, 400},
		{"update bad policy", "PATCH", "/certificates/c1", `{"policy":{"key_props":{"kty":"DSA"}}}`, 400},
		{"update missing version", "PATCH", "/certificates/c1/0123456789abcdef0123456789abcdef", `{}`, 404},
		{"policy update bad", "PATCH", "/certificates/c1/policy", `{"x509_props":{"validity_months":5000}}`, 400},
		{"policy of missing", "GET", "/certificates/nope/policy", "", 404},
		{"get missing", "GET", "/certificates/nope", "", 404},
		{"versions bad maxresults", "GET", "/certificates/c1/versions?maxresults=0", "", 400},
		{"list bad skiptoken", "GET", "/certificates?$skiptoken=%25%25", "", 400},
		{"restore empty", "POST", "/certificates/restore", `{}`, 400},
		{"restore not base64", "POST", "/certificates/restore", `{"value":"***"}`, 400},
		{"restore tampered", "POST", "/certificates/restore", `{"value":"` + tampered + `"}`, 400},
		{"restore foreign", "POST", "/certificates/restore", `{"value":"` + base64.RawURLEncoding.EncodeToString(make([]byte, 64)) + `"}`, 400},
		{"restore existing", "POST", "/certificates/restore", `{"value":"` + blob.Value + `"}`, 409},
		{"backup missing", "POST", "/certificates/nope/backup", "", 404},
		{"deleted missing", "GET", "/deletedcertificates/nope", "", 404},
		{"purge missing", "DELETE", "/deletedcertificates/nope", "", 404},
		{"recover missing", "POST", "/deletedcertificates/nope/recover", "", 404},
		{"contacts none", "GET", "/certificates/contacts", "", 404},
		{"contacts wrong shape", "PUT", "/certificates/contacts", `{"contacts":{"email":"x"}}`, 400},
		{"contacts without email", "PUT", "/certificates/contacts", `{"contacts":[{"name":"x"}]}`, 400},
		{"contacts missing field", "PUT", "/certificates/contacts", `{}`, 400},
		{"issuer no provider", "PUT", "/certificates/issuers/i1", `{}`, 400},
		{"issuer wrong type", "PUT", "/certificates/issuers/i1", `{"provider":7}`, 400},
		{"issuer bad name", "PUT", "/certificates/issuers/bad_name", `{"provider":"x"}`, 400},
		{"issuer update missing", "PATCH", "/certificates/issuers/nope", `{"provider":"x"}`, 404},
		{"issuer missing", "GET", "/certificates/issuers/nope", "", 404},
		{"wrong method", "PUT", "/certificates/c1/pending", `{}`, 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := c.path + "?api-version=7.6"
			if strings.Contains(c.path, "?") {
				path = c.path + "&api-version=7.6"
			}
			st, h, body := b.do(c.method, path, json7, c.body)
			require.Less(t, st, 500, "never a 5xx: %s", body)
			require.GreaterOrEqual(t, st, 400, "bad input is refused: %s", body)
			assert.Equal(t, c.status, st, string(body))
			e := requireKeyVaultError(t, h, body)
			assert.NotContains(t, e.Message, "pw", "never echo a password")
		})
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
