package metrics_test

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/emulator/metrics"
	"github.com/kvquota/kvquota/limits"
)

// TestMetricsCountARealVaultsRequests drives a real emulated vault over
// HTTPS on loopback with a real token, then scrapes /metrics over HTTP.
func TestMetricsCountARealVaultsRequests(t *testing.T) {
	p, err := limits.MustGet("2021").WithOverrides(map[limits.Class]int{limits.Secrets: 4})
	require.NoError(t, err)
	m := metrics.New()
	v, err := emulator.New(emulator.Config{Profile: p, Observer: m})
	require.NoError(t, err)
	m.Watch(v)
	srv, err := emulator.Start(v, "127.0.0.1:0")
	require.NoError(t, err)
	defer srv.Close()
	tok, err := v.Issuer().Issue(auth.DefaultClientID)
	require.NoError(t, err)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.CertPool()}}}
	do := func(method, path, body, token string) int {
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := client.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	require.Equal(t, 200, do("PUT", "/secrets/s1?api-version=7.5", `{"value":"v"}`, tok.AccessToken))
	for range 3 {
		require.Equal(t, 200, do("GET", "/secrets/s1?api-version=7.5", "", tok.AccessToken))
	}
	require.Equal(t, 429, do("GET", "/secrets/s1?api-version=7.5", "", tok.AccessToken))
	require.Equal(t, 401, do("GET", "/secrets/s1?api-version=7.5", "", ""))

	scrape := httptest.NewServer(m.Handler()) // 127.0.0.1
	defer scrape.Close()
	res, err := http.Get(scrape.URL)
	require.NoError(t, err)
	defer res.Body.Close()
	require.True(t, strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8"), res.Header.Get("Content-Type"))
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	text := string(b)
	for _, want := range []string{
		"# TYPE kvquota_emulator_requests_total counter",
		`kvquota_emulator_requests_total{class="secrets",code="200",vault="emulator"} 3`,
		`kvquota_emulator_requests_total{class="secrets",code="429",vault="emulator"} 1`,
		`kvquota_emulator_requests_total{class="secrets-create",code="200",vault="emulator"} 1`,
		`kvquota_emulator_requests_total{class="none",code="401",vault="emulator"} 1`,
		"# TYPE kvquota_emulator_quota_used gauge",
		`kvquota_emulator_quota_used{class="secrets",vault="emulator"} 3`,
		`kvquota_emulator_quota_limit{class="secrets"} 4`,
		`kvquota_emulator_quota_limit{class="secrets-create"} 300`,
		"kvquota_emulator_window_seconds 10",
	} {
		require.Contains(t, text, want+"\n")
	}
	// Weighted: 3/4 secrets plus 1/300 secret sets, the 429 using no quota.
	require.Contains(t, text, `kvquota_emulator_quota_fill_ratio{vault="emulator"} 0.75333333333333`)
	require.Contains(t, text, "kvquota_emulator_subscription_fill_ratio 0.15066666666666")
	assertWellFormed(t, text)

	res, err = http.Post(scrape.URL, "text/plain", nil)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
}

// assertWellFormed checks the text format's grammar: every sample belongs
// to the family whose HELP and TYPE precede it, once each.
func assertWellFormed(t *testing.T, text string) {
	t.Helper()
	family := ""
	types := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "# HELP "):
			family = strings.Fields(line)[2]
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line)
			require.Equal(t, family, f[2], line)
			require.False(t, types[family], "one TYPE per family: %s", family)
			types[family] = true
			require.Contains(t, []string{"counter", "gauge"}, f[3])
		default:
			name, _, _ := strings.Cut(line, "{")
			name, _, _ = strings.Cut(name, " ")
			require.Equal(t, family, name, line)
			require.Regexp(t, `^[a-z_]+(\{([a-z]+="[^"\\\n]*",?)+\})? [-+0-9.eInfNa]+$`, line)
		}
	}
}

func TestObserverSeesOtherVaultsAndNoObserverIsFine(t *testing.T) {
	m := metrics.New()
	m.ObserveRequest("b", limits.Secrets, 200)
	m.ObserveRequest(`we"ird`, "", 404)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	require.Contains(t, rec.Body.String(), `kvquota_emulator_requests_total{class="secrets",code="200",vault="b"} 1`)
	require.Contains(t, rec.Body.String(), `vault="we\"ird"`, "label values are escaped")
	require.NotContains(t, rec.Body.String(), "quota_used", "no vault watched yet")
}

func TestServeOnLoopback(t *testing.T) {
	var none *metrics.Metrics
	require.Nil(t, none.Observer(), "no metrics, no observer (not a typed nil)")

	m := metrics.New()
	v, err := emulator.New(emulator.Config{Observer: m.Observer()})
	require.NoError(t, err)
	url, stop, err := m.Serve("127.0.0.1:0", v)
	require.NoError(t, err)
	require.Regexp(t, `^http://127\.0\.0\.1:\d+/metrics$`, url)
	res, err := http.Get(url)
	require.NoError(t, err)
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode)
	require.Contains(t, string(b), `kvquota_emulator_quota_fill_ratio{vault="emulator"} 0`)
	require.NoError(t, stop())
	_, err = http.Get(url)
	require.Error(t, err, "stopped")

	_, _, err = m.Serve("127.0.0.1:notaport", v)
	require.ErrorContains(t, err, "metrics:")
}
