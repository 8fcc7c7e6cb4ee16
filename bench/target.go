package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/internal/embedded"
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

// startEmulated serves a vault (package embedded) that validates tokens,
// checks access, and accounts every request in a sliding window whose limit
// is never reached, with the benchmark's secrets set up.
func startEmulated(ctx context.Context, s *scenarios.Scenario) (*embedded.Vault, error) {
	p, err := limits.MustGet("2021").WithOverrides(map[limits.Class]int{limits.Secrets: unthrottled, limits.SecretsCreate: unthrottled})
	if err != nil {
		return nil, err
	}
	e, err := embedded.Start(emulator.Config{Profile: p, Window: limits.Sliding})
	if err != nil {
		return nil, err
	}
	setup, err := attack.SetupTargets(e.URL, s, e.Tokens, attack.WithTargetContext(ctx))
	if err != nil {
		e.Close()
		return nil, err
	}
	for _, t := range setup {
		if err := send(ctx, e.Client, t); err != nil {
			e.Close()
			return nil, fmt.Errorf("setting up the benchmark's secrets: %w", err)
		}
	}
	return e, nil
}

// send sends one setup request and wants a 200.
func send(ctx context.Context, client *http.Client, t vegeta.Target) error {
	req, err := t.Request()
	if err != nil {
		return err
	}
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s answered %s", t.Method, t.URL, resp.Status)
	}
	return nil
}
