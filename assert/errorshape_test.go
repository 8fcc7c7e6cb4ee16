package assert_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

func TestErrorShapeAcceptsKeyVaults429(t *testing.T) {
	s := saturate(limits.Sliding, 20, 20*time.Second)
	v := only(t, check(t, input(t, limits.Sliding, scenarios.CheckErrorShape), s.seq()), scenarios.CheckErrorShape, limits.Secrets)
	require.True(t, v.Pass, v.Detail)
	require.Equal(t, 0.0, v.Measured)
	require.Equal(t, 0.0, v.Expected)
	require.Equal(t, "at-most", v.Comparison)
	require.Contains(t, v.Detail, "All 200 401/403/429 responses of secrets had Key Vault's error shape")
}

func TestErrorShapeCountsEveryWrongShape(t *testing.T) {
	s := &stream{}
	s.throttled(0)
	s.add(time.Second, "GET", getURL, 404) // other statuses have no rule yet
	for i, bad := range []struct {
		body, contentType string
	}{
		{`{"error":{"code":"TooManyRequests","message":"slow down"}}`, "application/json"},
		{`{"error":{"code":"Throttled","message":""}}`, "application/json"},
		{`{"error":{"code":"Throttled"}}`, "application/json"},
		{`{"code":"Throttled","message":"x"}`, "application/json"},
		{`Too Many Requests`, "application/json"},
		{``, "application/json"},
		{throttledBody, "text/plain"},
		{throttledBody, ""},
	} {
		r := s.throttled(time.Duration(i+2) * time.Second)
		r.Body = []byte(bad.body)
		r.Headers = http.Header{}
		if bad.contentType != "" {
			r.Headers.Set("Content-Type", bad.contentType)
		}
	}
	// Headers not stored: the body is judged, the Content-Type cannot be.
	s.throttled(20 * time.Second).Headers = nil
	long := s.throttled(time.Second / 2)
	long.Body = []byte(`{"error":{"code":"Nope","message":"` + strings.Repeat("é", 400) + `"}}`)

	v := only(t, check(t, input(t, limits.Sliding, scenarios.CheckErrorShape), s.shuffled(7)), scenarios.CheckErrorShape, limits.Secrets)
	require.False(t, v.Pass)
	require.Equal(t, 9.0, v.Measured)
	require.Equal(t, time.Second/2, *v.At, "the earliest bad one, whatever order results came in")
	require.Contains(t, v.Detail, "9 of 11 401/403/429 responses of secrets")
	require.Contains(t, v.Detail, `error.code is "Nope", want "Throttled"; body: {"error":{"code":"Nope"`)
	require.Contains(t, v.Detail, "…")
	require.Less(t, len(v.Detail), 600, "the bad body is quoted, truncated")
	require.Contains(t, v.Detail, "1 of the 401/403/429 responses were stored without headers")
}

func TestErrorShapeReasons(t *testing.T) {
	for body, want := range map[string]string{
		`{"error":{"code":"TooManyRequests","message":"m"}}`: `error.code is "TooManyRequests"`,
		`{"error":{"code":"Throttled","message":""}}`:        "error.message is empty",
		`{"code":"Throttled"}`:                               `no "error" object`,
		`<html>429</html>`:                                   "not JSON",
		` `:                                                  "the body is empty",
	} {
		s := &stream{}
		s.throttled(0).Body = []byte(body)
		v := only(t, check(t, input(t, limits.Sliding, scenarios.CheckErrorShape), s.seq()), scenarios.CheckErrorShape, limits.Secrets)
		require.False(t, v.Pass, body)
		require.Contains(t, v.Detail, want, body)
	}
	s := &stream{}
	s.throttled(0).Headers.Set("Content-Type", "text/html")
	v := only(t, check(t, input(t, limits.Sliding, scenarios.CheckErrorShape), s.seq()), scenarios.CheckErrorShape, limits.Secrets)
	require.Contains(t, v.Detail, `Content-Type is "text/html", want application/json`)
}

func TestErrorShapeWithNo429(t *testing.T) {
	s := &stream{}
	s.ok(0)
	v := only(t, check(t, input(t, limits.Sliding, scenarios.CheckErrorShape), s.seq()), scenarios.CheckErrorShape, limits.Secrets)
	require.True(t, v.Pass)
	require.Contains(t, v.Detail, "No 401/403/429 response of secrets to judge")
}
