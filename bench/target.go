package bench

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// readsYAML is the load both throughput targets get: secret GETs over fifty
// secrets that setup creates, as the built-in scenarios read them.
const readsYAML = `name: bench-reads
profile: "2021"
seed: 1
setup:
  - {op: set-secret, name: "bench-{i}", count: 50, size: 32}
stages:
  - {duration: 10s, rate: 100}
mix:
  - {op: get-secret, name: "bench-{i}", count: 50}
expect:
  - {check: error-shape}
`

func readsScenario() (*scenarios.Scenario, error) {
	return scenarios.Parse("bench:reads", []byte(readsYAML))
}

// unthrottled is a limit no benchmark reaches: every GET is accounted in the
// window, and none is refused, so the figure is the emulator's full path.
const unthrottled = 1 << 30

// emulated is an embedded emulator with secrets set up and a token, ready to
// be attacked.
type emulated struct {
	srv    *emulator.Server
	tls    *tls.Config
	tokens attack.TokenSource
}

// startEmulated serves a vault that validates tokens, checks access, and
// accounts every request in a sliding window whose limit is never reached.
func startEmulated(ctx context.Context, s *scenarios.Scenario) (*emulated, error) {
	p, err := limits.MustGet("2021").WithOverrides(map[limits.Class]int{limits.Secrets: unthrottled, limits.SecretsCreate: unthrottled})
	if err != nil {
		return nil, err
	}
	v, err := emulator.New(emulator.Config{Profile: p, Window: limits.Sliding})
	if err != nil {
		return nil, err
	}
	srv, err := emulator.Start(v, emulator.DefaultAddr)
	if err != nil {
		return nil, err
	}
	e := &emulated{srv: srv, tls: &tls.Config{RootCAs: srv.CertPool(), MinVersion: tls.VersionTLS12}}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: e.tls}}
	id := auth.DefaultIdentity()
	e.tokens = &attack.ClientCredentials{
		TokenURL: srv.URL + "/" + auth.DefaultTenant + "/oauth2/token", ClientID: id.ClientID,
		ClientSecret: id.ClientSecret, Resource: auth.Resource, Client: client,
	}
	setup, err := attack.SetupTargets(srv.URL, s, e.tokens, attack.WithTargetContext(ctx))
	if err != nil {
		srv.Close()
		return nil, err
	}
	for _, t := range setup {
		req, err := t.Request()
		if err != nil {
			srv.Close()
			return nil, err
		}
		resp, err := client.Do(req.WithContext(ctx))
		if err != nil {
			srv.Close()
			return nil, fmt.Errorf("setting up the benchmark's secrets: %w", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			srv.Close()
			return nil, fmt.Errorf("setting up the benchmark's secrets: %s %s answered %s", t.Method, t.URL, resp.Status)
		}
	}
	return e, nil
}

func (e *emulated) close() { e.srv.Close() }
