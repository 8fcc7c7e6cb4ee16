package bench

import (
	"context"
	"crypto/tls"
	"fmt"
	"slices"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/attack"
)

// ThroughputOptions set the throughput benchmark.
type ThroughputOptions struct {
	// Duration of each measured attack (default 5 s), after a warm-up of a
	// tenth of it.
	Duration time.Duration
	// Rounds is how many times each target is measured, alternately (default
	// 3): the figure is the median of the rounds' ratios, so that a burst of
	// other work on the machine moves one round, not the result.
	Rounds int
	// Workers is how many requests are in flight at once (default 64), the
	// same for both targets.
	Workers uint64
	// MinRatio is the target: the emulator's figure over the bare handler's
	// (default 0.6).
	MinRatio float64
}

func (o *ThroughputOptions) defaults() {
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	if o.Workers == 0 {
		o.Workers = 64
	}
	if o.MinRatio <= 0 {
		o.MinRatio = 0.6
	}
}

// maxRate is one attack at vegeta's maximum rate: Workers goroutines that
// each send the next request as soon as the last is answered.
type maxRate struct {
	ok, total int
	elapsed   time.Duration
	firstErr  string
}

func (m maxRate) perSecond() float64 { return float64(m.ok) / m.elapsed.Seconds() }

func attackMax(ctx context.Context, tr vegeta.Targeter, cfg *tls.Config, workers uint64, d time.Duration) maxRate {
	atk := vegeta.NewAttacker(
		vegeta.Workers(workers), vegeta.MaxWorkers(workers), vegeta.KeepAlive(true),
		vegeta.TLSConfig(cfg), vegeta.HTTP2(false), vegeta.Timeout(30*time.Second),
	)
	var m maxRate
	start := time.Now()
	res := atk.Attack(tr, vegeta.Rate{}, d, "bench")
	done := ctx.Done()
	for {
		select {
		case <-done:
			atk.Stop()
			done = nil
		case r, more := <-res:
			if !more {
				m.elapsed = time.Since(start)
				return m
			}
			m.total++
			if r.Code == 200 {
				m.ok++
			} else if m.firstErr == "" {
				m.firstErr = fmt.Sprintf("%d %s", r.Code, r.Error)
			}
		}
	}
}

// Throughput measures authenticated, quota-accounted secret GETs per second
// served by the emulator against a bare handler under the same load, in one
// run. Each target gets the same Targeter (a token on every request; the bare
// handler ignores it) and the same vegeta attacker settings.
func Throughput(ctx context.Context, o ThroughputOptions) ([]Figure, error) {
	o.defaults()
	s, err := readsScenario()
	if err != nil {
		return nil, err
	}
	emu, err := startEmulated(ctx, s)
	if err != nil {
		return nil, err
	}
	defer emu.Close()
	bare := startBare()
	defer bare.close()

	measure := func(url string, cfg *tls.Config) (maxRate, error) {
		tr, err := attack.NewTargeter(url, s, emu.Tokens, attack.WithTargetContext(ctx))
		if err != nil {
			return maxRate{}, err
		}
		attackMax(ctx, tr, cfg, o.Workers, o.Duration/10) // warm-up: connections, caches
		m := attackMax(ctx, tr, cfg, o.Workers, o.Duration)
		if m.ok == 0 || m.ok < m.total*99/100 {
			return m, fmt.Errorf("benchmark target at %s answered %d of %d requests with 200 (first other: %s)", url, m.ok, m.total, m.firstErr)
		}
		return m, ctx.Err()
	}
	var ratios []float64
	var b, e maxRate
	for range o.Rounds {
		if b, err = measure(bare.url(), bare.tlsConfig()); err != nil {
			return nil, err
		}
		if e, err = measure(emu.URL, emu.TLS); err != nil {
			return nil, err
		}
		ratios = append(ratios, e.perSecond()/b.perSecond())
	}
	sorted := slices.Sorted(slices.Values(ratios))
	median := sorted[len(sorted)/2]
	each := make([]string, len(ratios))
	for i, r := range ratios {
		each[i] = fmt.Sprintf("%.2f", r)
	}
	return []Figure{
		atLeast("emulator/bare throughput", median, o.MinRatio, "x",
			fmt.Sprintf("median of %d rounds (%s); last round: emulator %.0f GET/s, bare handler %.0f/s; %d workers, %s each, HTTPS on loopback",
				o.Rounds, strings.Join(each, ", "), e.perSecond(), b.perSecond(), o.Workers, o.Duration)),
	}, nil
}
