package bench

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/emulator/clock"
	"github.com/kvquota/kvquota/emulator/quota"
	"github.com/kvquota/kvquota/internal/uuid"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// throttledBody is the 429 body of a real Key Vault (docs/keyvault.md).
const throttledBody = `{"error":{"code":"Throttled","message":"Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached"}}`

// emulatorHeaders are the headers the emulator (like Key Vault) sends on
// every answer, so the stored run is as heavy to read as a real one.
func emulatorHeaders(at time.Time, size int) http.Header {
	return http.Header{
		"Cache-Control":                 {"no-cache"},
		"Pragma":                        {"no-cache"},
		"Expires":                       {"-1"},
		"Strict-Transport-Security":     {"max-age=31536000;includeSubDomains"},
		"X-Content-Type-Options":        {"nosniff"},
		"X-Ms-Request-Id":               {uuid.New()},
		"X-Ms-Client-Request-Id":        {uuid.New()},
		"X-Ms-Keyvault-Region":          {"emulated"},
		"X-Ms-Keyvault-Service-Version": {"1.9.0.0-emulated"},
		"X-Ms-Keyvault-Network-Info":    {"conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;"},
		"Content-Type":                  {"application/json; charset=utf-8"},
		"Content-Length":                {strconv.Itoa(size)},
		"Date":                          {at.UTC().Format(http.TimeFormat)},
	}
}

// synthRate is the offered rate of the synthetic run: twice the 2021 secrets
// limit rate (4000 per 10 s), so it crosses the onset, then spends most of its
// time saturated, as an overload run does.
const synthRate = 800

// WriteSyntheticRun stores a run of n secret GETs in dir as `kvquota run`
// would have: run.json with the onset, no-early-throttle, goodput and
// error-shape checks, and results.bin with one result per request. Which
// requests succeed is decided by the emulator's own quota limiter, under a
// fake clock, so the run is what a faithful sliding-window vault would
// answer; it takes seconds instead of the 21 minutes a real one would.
func WriteSyntheticRun(dir string, n int) error {
	p := limits.MustGet("2021")
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	clk := clock.NewFake(start)
	lim := quota.New(p, limits.Sliding, clk)
	step := time.Second / synthRate
	d := time.Duration(n) * step

	w, err := results.Create(dir)
	if err != nil {
		return err
	}
	for i := range n {
		at := start.Add(time.Duration(i) * step)
		clk.Set(at)
		r := &vegeta.Result{
			Attack: "synthetic", Seq: uint64(i), Timestamp: at, Latency: 2 * time.Millisecond,
			Method: http.MethodGet, URL: fmt.Sprintf("https://127.0.0.1:8443/secrets/onset-%d?api-version=7.5", i%50),
			Code: http.StatusOK, Headers: emulatorHeaders(at, 250), BytesIn: 250,
		}
		if !lim.Admit("synthetic", limits.Secrets).Admitted {
			r.Code, r.Headers, r.Error = http.StatusTooManyRequests, emulatorHeaders(at, len(throttledBody)), "429 Too Many Requests"
			r.Body = []byte(throttledBody)
			r.BytesIn = uint64(len(throttledBody))
		}
		if err := w.Write(r); err != nil {
			w.Close()
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return results.WriteMeta(dir, &results.Meta{
		Scenario: "synthetic-million", Source: "kvquota bench", Target: "synthetic",
		Description: fmt.Sprintf("%d secret GETs at %d/s against a sliding 2021 vault, made by kvquota bench", n, synthRate),
		Profile:     p.Name, Window: limits.Sliding, WindowLength: results.Duration(p.Window),
		Stages: []scenarios.Span{{Stage: 1, To: d, StartRate: synthRate, EndRate: synthRate}},
		Expect: []scenarios.Expectation{
			{Check: scenarios.CheckOnset}, {Check: scenarios.CheckNoEarlyThrottle},
			{Check: scenarios.CheckGoodput}, {Check: scenarios.CheckErrorShape},
		},
		Start: start, End: start.Add(d),
	})
}
