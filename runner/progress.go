package runner

import (
	"fmt"
	"io"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// progress writes a status line every so often during an attack, so a person
// watching a long run sees it move: elapsed and remaining time, the rate of the
// last interval, and how the answers split.
type progress struct {
	w     io.Writer
	every time.Duration
	total time.Duration

	mu                      sync.Mutex
	begin                   time.Time
	n, ok, throttled, other int
	lastN                   int
	lastAt                  time.Time
	stopc                   chan struct{}
	wg                      sync.WaitGroup
}

func newProgress(w io.Writer, every, total time.Duration) *progress {
	if every <= 0 {
		every = 5 * time.Second
	}
	return &progress{w: w, every: every, total: total, stopc: make(chan struct{})}
}

func (p *progress) start(t time.Time) {
	if p.w == nil {
		return
	}
	p.begin, p.lastAt = t, t
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(p.every)
		defer tick.Stop()
		for {
			select {
			case now := <-tick.C:
				p.print(now)
			case <-p.stopc:
				return
			}
		}
	}()
}

func (p *progress) observe(r *vegeta.Result) {
	p.mu.Lock()
	p.n++
	switch {
	case r.Code >= 200 && r.Code < 300:
		p.ok++
	case r.Code == 429:
		p.throttled++
	default:
		p.other++
	}
	p.mu.Unlock()
}

func (p *progress) print(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rate := float64(p.n-p.lastN) / now.Sub(p.lastAt).Seconds()
	p.lastN, p.lastAt = p.n, now
	el := now.Sub(p.begin)
	fmt.Fprintf(p.w, "  %6s / %s  %7.1f req/s  ok %d  429 %d  other %d\n",
		elapsed(el), elapsed(p.total), rate, p.ok, p.throttled, p.other)
}

func (p *progress) stop() {
	if p.w == nil {
		return
	}
	close(p.stopc)
	p.wg.Wait()
}
