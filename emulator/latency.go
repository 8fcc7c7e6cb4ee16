package emulator

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// Latency makes the emulated vault slow on purpose: each data-plane request
// waits a random time of up to Before before the vault decides on it (quota
// included) and up to After once it has answered, before the answer leaves.
// It rehearses what a busy machine or a distant vault does to a client's
// view of the target's windows: the client knows only that the decision fell
// between sending and hearing back, and kvquota's bands must hold that
// (assert.CheckSelf checks the emulator's own record against them). The
// delays are drawn from a generator seeded with Seed, so one seed gives one
// sequence of delays (which request gets which depends on arrival order).
// Token and discovery endpoints are not delayed. The zero Latency adds none.
type Latency struct {
	Before, After time.Duration
	Seed          uint64
}

// ParseLatency reads `--latency BEFORE[,AFTER]` (Go durations such as 40ms;
// AFTER is BEFORE when left out); the empty string is no latency. seed seeds
// the delays.
func ParseLatency(s string, seed uint64) (Latency, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Latency{}, nil
	}
	before, after, two := strings.Cut(s, ",")
	if !two {
		after = before
	}
	l := Latency{Seed: seed}
	var err1, err2 error
	l.Before, err1 = time.ParseDuration(strings.TrimSpace(before))
	l.After, err2 = time.ParseDuration(strings.TrimSpace(after))
	if err1 != nil || err2 != nil {
		return Latency{}, fmt.Errorf("latency %q: want BEFORE[,AFTER] as durations such as 40ms,20ms", s)
	}
	if err := l.validate(); err != nil {
		return Latency{}, fmt.Errorf("latency %q: %w", s, err)
	}
	return l, nil
}

// maxDelay bounds each delay well inside a client's timeout.
const maxDelay = 10 * time.Second

// validate checks both delays: the one rule for a flag and a Config.
func (l Latency) validate() error {
	for _, d := range []time.Duration{l.Before, l.After} {
		if d < 0 || d > maxDelay {
			return fmt.Errorf("a delay must be between 0 and %s, got %s", maxDelay, d)
		}
	}
	return nil
}

// String is the flag form, "BEFORE,AFTER".
func (l Latency) String() string {
	if l.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s,%s", l.Before, l.After)
}

// IsZero reports whether l adds no delay.
func (l Latency) IsZero() bool { return l.Before == 0 && l.After == 0 }

// delays draws the vault's delays (nil for no latency; its methods then do
// nothing).
type delays struct {
	l   Latency
	mu  sync.Mutex
	rng *rand.Rand
}

func newDelays(l Latency) *delays {
	if l.IsZero() {
		return nil
	}
	return &delays{l: l, rng: rand.New(rand.NewPCG(l.Seed, 0x6b76717561746179))}
}

// before waits before the decision; after after the answer is written.
func (d *delays) before() {
	if d != nil {
		d.wait(d.l.Before)
	}
}

func (d *delays) after() {
	if d != nil {
		d.wait(d.l.After)
	}
}

// wait sleeps a random time of up to upTo.
func (d *delays) wait(upTo time.Duration) {
	if upTo <= 0 {
		return
	}
	d.mu.Lock()
	n := time.Duration(d.rng.Int64N(int64(upTo) + 1))
	d.mu.Unlock()
	time.Sleep(n) // the delay is the point: a slow vault, not a wait for something
}
