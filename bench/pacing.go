package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/scenarios"
)

// PacingOptions set the pacing benchmark.
type PacingOptions struct {
	// Rates are the constant rates tried, in requests/s (default 200, 2000,
	// 10000).
	Rates []float64
	// Duration of each (default 10 s).
	Duration time.Duration
	// MaxError is the target: the largest relative error of the rate sent in
	// any whole second (default 0.01).
	MaxError float64
}

func (o *PacingOptions) defaults() {
	if len(o.Rates) == 0 {
		o.Rates = []float64{200, 2000, 10000}
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.MaxError <= 0 {
		o.MaxError = 0.01
	}
}

// sendTimes collects when each request went out (vegeta's Result.Timestamp
// is the moment the request was sent, not answered).
type sendTimes struct {
	at  []time.Time
	bad int
}

func (s *sendTimes) Write(r *vegeta.Result) error {
	s.at = append(s.at, r.Timestamp)
	if r.Code != 200 {
		s.bad++
	}
	return nil
}

// pace is what one rate achieved.
type pace struct {
	sent     int
	rate     float64 // over the whole attack: (n-1) / (last send - first send)
	worstBin float64 // the 1-s bin furthest from the rate, as a relative error
	maxLag   time.Duration
}

// measurePace reads the send times of an attack at rate r.
func measurePace(at []time.Time, r float64) pace {
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	p := pace{sent: len(at)}
	if len(at) < 2 {
		return p
	}
	first := at[0]
	p.rate = float64(len(at)-1) / at[len(at)-1].Sub(first).Seconds()
	bins := make([]int, int(at[len(at)-1].Sub(first)/time.Second)+1)
	for i, t := range at {
		off := t.Sub(first)
		bins[off/time.Second]++
		due := time.Duration(float64(i) / r * float64(time.Second))
		p.maxLag = max(p.maxLag, off-due)
	}
	// The last bin is partial; every whole one should hold r hits.
	for _, n := range bins[:len(bins)-1] {
		p.worstBin = max(p.worstBin, math.Abs(float64(n)/r-1))
	}
	return p
}

// Pacing attacks a bare handler through attack.Run — the Pacer, Targeter and
// vegeta attacker of a real run — at each constant rate, and measures the
// rate at which requests actually went out, second by second.
func Pacing(ctx context.Context, o PacingOptions) ([]Figure, error) {
	o.defaults()
	s, err := readsScenario()
	if err != nil {
		return nil, err
	}
	bare := startBare()
	defer bare.close()
	var figs []Figure
	for _, r := range o.Rates {
		spans := []scenarios.Span{{Stage: 1, To: o.Duration, StartRate: r, EndRate: r}}
		var st sendTimes
		st.at = make([]time.Time, 0, int(r*o.Duration.Seconds())+1)
		tr, err := attack.NewTargeter(bare.url(), s, attack.StaticToken("bench"))
		if err != nil {
			return figs, err
		}
		_, err = attack.Run(ctx, tr, attack.NewPacer(spans), &st, attack.WithTLSConfig(bare.tlsConfig()))
		if err != nil {
			return figs, err
		}
		if err := ctx.Err(); err != nil {
			return figs, err
		}
		p := measurePace(st.at, r)
		// The figure is the worst whole second, not the mean rate: a stall
		// made up for by a burst keeps the mean and ruins an onset.
		figs = append(figs, atMost(fmt.Sprintf("pacing at %.0f/s", r), 100*p.worstBin, 100*o.MaxError, "%",
			fmt.Sprintf("worst whole second %.2f%% off; sent %d in %s, %.1f/s on average; latest send %s behind schedule; %d not 200",
				100*p.worstBin, p.sent, o.Duration, p.rate, p.maxLag.Round(100*time.Microsecond), st.bad)))
	}
	return figs, nil
}
