package runner

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// progress reports an attack while it runs, so a person watching a long run
// sees it move: elapsed and remaining time, the rate sent over the last
// interval, and how the answers split (successes, 429s, anything else).
//
// On a terminal it redraws one line in place about four times a second; to
// a file or a CI log, where carriage returns make a mess, it prints a plain
// line every five seconds.
type progress struct {
	w     io.Writer
	every time.Duration
	total time.Duration
	// tty says w is a terminal: redraw one line instead of adding lines.
	tty bool

	mu                      sync.Mutex
	begin                   time.Time
	n, ok, throttled, other int
	lastN                   int
	lastAt                  time.Time
	drawn                   bool // a line is on screen without its newline
	stopc                   chan struct{}
	wg                      sync.WaitGroup
}

// Default intervals of the two modes.
const (
	ttyEvery   = 250 * time.Millisecond
	plainEvery = 5 * time.Second
)

func newProgress(w io.Writer, every, total time.Duration) *progress {
	tty := isTerminal(w)
	if every <= 0 {
		every = plainEvery
		if tty {
			every = ttyEvery
		}
	}
	return &progress{w: w, every: every, total: total, tty: tty, stopc: make(chan struct{})}
}

// isTerminal reports whether w is a character device (a terminal), without
// a dependency: os.File.Stat says so on every platform Go supports.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
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

// print writes the status at now: a new line, or on a terminal the same line
// again ("\r" back to its start, ESC[K to clear what a longer line left).
func (p *progress) print(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := p.line(now)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
		p.drawn = true
		return
	}
	fmt.Fprintln(p.w, line)
}

// line is one status line, e.g.
// "  12.0s elapsed, 38.0s left   412.5 req/s sent   ok 4410  429 0  other 0".
func (p *progress) line(now time.Time) string {
	rate := 0.0
	if d := now.Sub(p.lastAt).Seconds(); d > 0 {
		rate = float64(p.n-p.lastN) / d
	}
	p.lastN, p.lastAt = p.n, now
	el := now.Sub(p.begin)
	left := max(p.total-el, 0)
	return fmt.Sprintf("  %6s elapsed, %6s left  %7.1f req/s sent  ok %d  429 %d  other %d",
		elapsed(el), elapsed(left), rate, p.ok, p.throttled, p.other)
}

// stop ends the reports; on a terminal it ends the redrawn line so that what
// is printed next starts on a line of its own.
func (p *progress) stop() {
	if p.w == nil {
		return
	}
	close(p.stopc)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
