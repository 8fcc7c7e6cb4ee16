package discover

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Band is every candidate that explains about as many outcomes as the best
// (within TieMargin of them), per window model: what the evidence cannot
// tell apart. Narrow intervals leave one model and a limit pinned to a
// transaction or two; wide ones (a busy machine) widen it, and a band wider
// than the tolerances makes the finding ambiguous rather than a guess.
type Band struct {
	Fits []Range `json:"fits"`
}

// Range is what the fitting candidates of one window model span.
type Range struct {
	Model      limits.WindowModel `json:"model"`
	LimitLo    int                `json:"limit_lo"`
	LimitHi    int                `json:"limit_hi"`
	WindowLo   time.Duration      `json:"window_lo_ns"`
	WindowHi   time.Duration      `json:"window_hi_ns"`
	Candidates int                `json:"candidates"`
}

func (r Range) String() string {
	lim := fmt.Sprint(r.LimitLo)
	if r.LimitHi != r.LimitLo {
		lim += fmt.Sprintf("-%d", r.LimitHi)
	}
	win := r.WindowLo.Round(time.Millisecond).String()
	if hi := r.WindowHi.Round(time.Millisecond); hi != r.WindowLo.Round(time.Millisecond) {
		win += "-" + hi.String()
	}
	return fmt.Sprintf("%s %s per %s", r.Model, lim, win)
}

// extend widens r to hold m.
func (r *Range) extend(m Model) {
	if r.Candidates == 0 {
		r.Model, r.LimitLo, r.LimitHi, r.WindowLo, r.WindowHi = m.Kind, m.Limit, m.Limit, m.Window, m.Window
	}
	r.Candidates++
	r.LimitLo, r.LimitHi = min(r.LimitLo, m.Limit), max(r.LimitHi, m.Limit)
	r.WindowLo, r.WindowHi = min(r.WindowLo, m.Window), max(r.WindowHi, m.Window)
}

// merge widens r to hold o.
func (r *Range) merge(o Range) {
	if o.Candidates == 0 {
		return
	}
	if r.Candidates == 0 {
		*r = o
		return
	}
	r.Candidates += o.Candidates
	r.LimitLo, r.LimitHi = min(r.LimitLo, o.LimitLo), max(r.LimitHi, o.LimitHi)
	r.WindowLo, r.WindowHi = min(r.WindowLo, o.WindowLo), max(r.WindowHi, o.WindowHi)
}

// band is what the candidates within slack of the best span, per model.
func (s *search) band() Band {
	var b Band
	for _, kind := range limits.WindowModels() {
		var r Range
		for sc := max(0, s.best-s.slack); sc <= s.n; sc++ {
			r.merge(s.byScore[kind][sc])
		}
		if r.Candidates > 0 {
			b.Fits = append(b.Fits, r)
		}
	}
	return b
}

// Latency is how wide the requests' decision intervals were: the time from
// a connection to the first byte of the answer.
type Latency struct {
	Median time.Duration `json:"median_ns"`
	P99    time.Duration `json:"p99_ns"`
	Max    time.Duration `json:"max_ns"`
	// ShortestJudged is the shortest window length the fit scored: twice
	// the median interval, at least 10 ms (shorter ones cannot be told
	// apart on such intervals).
	ShortestJudged time.Duration `json:"shortest_judged_window_ns"`
}

func latencyOf(obs []Obs) Latency {
	ds := make([]time.Duration, 0, len(obs))
	for _, o := range obs {
		ds = append(ds, max(0, o.Answered-o.Sent))
	}
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	return Latency{Median: ds[len(ds)/2], P99: ds[len(ds)*99/100], Max: ds[len(ds)-1]}
}

func (l Latency) String() string {
	return fmt.Sprintf("answers took up to %s (99%% within %s, median %s)", round(l.Max), round(l.P99), round(l.Median))
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= 10*time.Microsecond:
		return d.Round(10 * time.Microsecond)
	}
	return d
}

// ambiguity says why f cannot name one model, limit and window, or "" when
// it can: the schedule fell short of its evidence (Shortfall), the best
// explains too few outcomes, another model fits within
// TieMargin, or the best model's fits span more than LimitTolerance or
// WindowTolerance. Each reason ends with how wide the intervals were, since
// that is what widens a band.
func (f *Fit) ambiguity() string {
	why := ""
	switch {
	case f.Shortfall != "":
		why = f.Shortfall
	case f.Best.Agreement < MinAgreement:
		why = fmt.Sprintf("the best candidate (%s %d per %s) explains only %.1f%% of outcomes, below %.1f%%: none of the three models explains the target",
			f.Best.Kind, f.Best.Limit, f.Best.Window.Round(time.Millisecond), 100*f.Best.Agreement, 100*MinAgreement)
	case len(f.Band.Fits) > 1:
		var rs []string
		for _, r := range f.Band.Fits {
			rs = append(rs, r.String())
		}
		why = fmt.Sprintf("%s all explain the outcomes within %.1f points of the best", strings.Join(rs, "; "), 100*TieMargin)
	case len(f.Band.Fits) == 1:
		r := f.Band.Fits[0]
		l, w := float64(f.Best.Limit), f.Best.Window.Seconds()
		if !within(float64(r.LimitLo), l, LimitTolerance) || !within(float64(r.LimitHi), l, LimitTolerance) ||
			!within(r.WindowLo.Seconds(), w, WindowTolerance) || !within(r.WindowHi.Seconds(), w, WindowTolerance) {
			why = fmt.Sprintf("%s all explain the outcomes within %.1f points of the best: wider than ±%.0f%% on the limit or ±%.0f%% on the window",
				r, 100*TieMargin, 100*LimitTolerance, 100*WindowTolerance)
		}
	}
	if why == "" {
		return ""
	}
	return fmt.Sprintf("%s; %s against a %s window", why, f.Latency, f.Best.Window.Round(time.Millisecond))
}
