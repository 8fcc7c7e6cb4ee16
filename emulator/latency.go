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
	var l Latency
	var err error
	if l.Before, err = parseDelay(before); err != nil {
		return Latency{}, fmt.Errorf("latency %q: %w", s, err)
	}
	if l.After, err = parseDelay(after); err != nil {
		return Latency{}, fmt.Errorf("latency %q: %w", s, err)
	}
	l.Seed = seed
	return l, nil
}

// maxDelay bounds each delay well inside a client's timeout.
const maxDelay = 10 * time.Second

func parseDelay(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("want BEFORE[,AFTER] as durations such as 40ms,20ms")
	}
	if d < 0 || d > maxDelay {
		return 0, fmt.Errorf("a delay must be between 0 and %s, got %s", maxDelay, d)
	}
	return d, nil
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
func (d *delays) before() { d.wait(func(l Latency) time.Duration { return l.Before }) }
func (d *delays) after()  { d.wait(func(l Latency) time.Duration { return l.After }) }

func (d *delays) wait(upTo func(Latency) time.Duration) {
	if d == nil {
		return
	}
	m := upTo(d.l)
	if m <= 0 {
		return
	}
	d.mu.Lock()
	n := time.Duration(d.rng.Int64N(int64(m) + 1))
	d.mu.Unlock()
	time.Sleep(n) // the delay is the point: a slow vault, not a wait for something
}
