package kverror

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestThrottledBodyIsTheCapturedOneExactly(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/secrets/a", nil)
	r.RemoteAddr = "192.0.2.10:51234"
	r.Header.Set(HeaderClientRequestID, "client-42")
	w := httptest.NewRecorder()
	Writer{}.Error(w, r, Throttled())

	assert.Equal(t, http.StatusTooManyRequests, w.Code)
	assert.Equal(t,
		`{"error":{"code":"Throttled","message":"Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached"}}`,
		w.Body.String())
	h := w.Header()
	assert.Equal(t, "application/json; charset=utf-8", h.Get("Content-Type"))
	assert.Equal(t, "no-cache", h.Get("Cache-Control"))
	assert.Equal(t, "no-cache", h.Get("Pragma"))
	assert.Equal(t, "-1", h.Get("Expires"))
	assert.Regexp(t, uuidV4, h.Get(HeaderRequestID))
	assert.Equal(t, "client-42", h.Get(HeaderClientRequestID))
	assert.Equal(t, DefaultRegion, h.Get(HeaderRegion))
	assert.Equal(t, DefaultServiceVersion, h.Get(HeaderServiceVersion))
	assert.Equal(t, "conn_type=Ipv4;addr=192.0.2.10;act_addr_fam=InterNetwork;", h.Get(HeaderNetworkInfo))
	assert.Empty(t, h.Get("Retry-After"), "the writer never adds Retry-After by itself")
}

func TestSuccessesCarryTheCommonHeadersToo(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/secrets", nil)
	w := httptest.NewRecorder()
	Writer{Region: "westeurope", ServiceVersion: "1.2.3"}.JSON(w, r, http.StatusOK, map[string]int{"n": 1})
	assert.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, `{"n":1}`, w.Body.String())
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Equal(t, "westeurope", w.Header().Get(HeaderRegion))
	assert.Equal(t, "1.2.3", w.Header().Get(HeaderServiceVersion))
	assert.Empty(t, w.Header().Get(HeaderClientRequestID), "nothing to echo")
	assert.Equal(t, "no-cache", w.Header().Get("Cache-Control"))

	w = httptest.NewRecorder()
	Writer{}.NoContent(w, r)
	assert.Equal(t, http.StatusNoContent, w.Code)
	assert.Empty(t, w.Body.String())
	assert.Regexp(t, uuidV4, w.Header().Get(HeaderRequestID))
}

func TestInnerErrorIsOmittedWhenEmpty(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	w := httptest.NewRecorder()
	Writer{}.Error(w, r, BadParameter("bad"))
	assert.Equal(t, `{"error":{"code":"BadParameter","message":"bad"}}`, w.Body.String())
	assert.Equal(t, http.StatusBadRequest, w.Code)

	w = httptest.NewRecorder()
	e := New(http.StatusForbidden, "Forbidden", "Operation get is not allowed on a disabled secret.").WithInner("SecretDisabled")
	Writer{}.Error(w, r, e)
	assert.Equal(t, `{"error":{"code":"Forbidden","message":"Operation get is not allowed on a disabled secret.","innererror":{"code":"SecretDisabled"}}}`, w.Body.String())
	assert.Equal(t, http.StatusForbidden, w.Code)
}

func TestRequestIDsAreFreshUUIDv4(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id := NewRequestID()
		require.Regexp(t, uuidV4, id)
		require.False(t, seen[id])
		seen[id] = true
	}
}

func TestNetworkInfo(t *testing.T) {
	assert.Equal(t, "conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;", NetworkInfo("127.0.0.1:443"))
	assert.Equal(t, "conn_type=Ipv6;addr=::1;act_addr_fam=InterNetworkV6;", NetworkInfo("[::1]:443"))
	assert.Equal(t, "conn_type=Ipv4;addr=10.1.2.3;act_addr_fam=InterNetwork;", NetworkInfo("[::ffff:10.1.2.3]:1"))
	assert.Equal(t, "conn_type=Ipv4;addr=pipe;act_addr_fam=InterNetwork;", NetworkInfo("pipe"), "no panic on odd addresses")
}

func TestRetryAfterRoundsUpToWholeSeconds(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                      "1",
		time.Nanosecond:        "1",
		time.Second:            "1",
		time.Second + 1:        "2",
		9*time.Second + 1e8:    "10",
		10 * time.Second:       "10",
		-5 * time.Second:       "1",
		90*time.Second + 999e6: "91",
	} {
		assert.Equal(t, want, RetryAfter(d), d.String())
	}
}
