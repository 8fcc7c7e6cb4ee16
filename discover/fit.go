package discover

import (
	"cmp"
	"errors"
	"slices"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Fitted is a model with the share of a schedule's outcomes it explains.
type Fitted struct {
	Model
	// Agreement is the share of outcomes consistent with the model, 0 to 1:
	// those some decision time within their interval explains (interval.go).
	Agreement float64 `json:"agreement"`
}

// Fit is the outcome of fitting every model to one schedule.
type Fit struct {
	// Best is the model that explains the most outcomes.
	Best Fitted `json:"best"`
	// RunnerUp is the best fit of any other window model.
	RunnerUp Fitted `json:"runner_up"`
	// Margin is Best's agreement minus RunnerUp's: the confidence.
	Margin float64 `json:"margin"`
	// PerModel is the best fit of each window model.
	PerModel []Fitted `json:"per_model"`
	// Band is what every candidate within TieMargin of Best allows.
	Band Band `json:"band"`
	// Latency is how wide the requests' intervals were.
	Latency Latency `json:"latency"`
	// Requests is how many outcomes were fitted.
	Requests int `json:"requests"`
	// Shortfall, when set, says the schedule could not gather the evidence
	// it aimed for (the overload never made the target refuse a tenth of
	// it): the fit stands as a band to report, not a finding to trust.
	Shortfall string `json:"shortfall,omitempty"`
}

// ErrTooFewOutcomes is returned for a schedule that never saw both a success
// and a 429: nothing can be learned about a limit that was not reached.
var ErrTooFewOutcomes = errors.New("discover: the schedule never reached the limit (no success, or no 429), so there is nothing to fit")

// FitModels judges every candidate of every window model on obs and returns
// the best of each, the best overall, its margin and the band of candidates
// that fit about as well. Candidates: every limit (each request's interval
// bounds the limits its outcome allows, so all limits are scored at once,
// interval.go); window lengths from 0.8x to 1.25x of each seed read off the
// outcomes, and of half and twice it, in 4% steps; fixed buckets starting
// between the last 429 and the first success of the recovery, or at a later
// change from 429s back to successes; token buckets refilling at 0.8x to
// 1.5x of the goodput in 0.5% steps. Around each model's best, lengths,
// starts and rates are searched again in finer steps (refine).
func FitModels(obs []Obs) (*Fit, error) { return fitOn(obs, obs) }

// fitOn judges over obs the candidates read off seedObs (a prefix of obs, or
// obs itself). The tie break fits on everything with the candidates read off
// the schedule before it, so that it tests the models the schedule found.
func fitOn(seedObs, obs []Obs) (*Fit, error) {
	nOK := 0
	for _, o := range obs {
		if o.OK {
			nOK++
		}
	}
	if nOK == 0 || nOK == len(obs) {
		return nil, ErrTooFewOutcomes
	}
	sorted := slices.Clone(seedObs)
	slices.SortStableFunc(sorted, func(a, b Obs) int { return cmp.Compare(a.At, b.At) })
	s := readSeeds(sorted)
	s.Transitions = transitions(sorted)
	ws := windowGrid(s)
	if len(ws) == 0 {
		return nil, ErrTooFewOutcomes
	}
	e := newEvidence(obs)
	sr := newSearch(e)
	for _, w := range ws {
		sr.slidingAt(w)
		for _, ph := range phaseGrid(s, w) {
			sr.fixedAt(w, ph)
		}
	}
	for _, r := range tokenRates(s) {
		sr.tokenAt(r)
	}
	sr.refine()
	if float64(sr.best) < MinAgreement*float64(sr.n) {
		// The seeds were misread: every length, in 3% steps.
		for _, w := range broadGrid(sr.floor, lastAt(obs)/2) {
			sr.slidingAt(w)
			for _, ph := range phaseGrid(s, w) {
				sr.fixedAt(w, ph)
			}
		}
		for _, r := range broadRates(s) {
			sr.tokenAt(r)
		}
		sr.refine()
	}
	f := sr.fit()
	f.Latency = latencyOf(obs)
	f.Latency.ShortestJudged = sr.floor
	return f, nil
}

// scored is one candidate and how many outcomes it explains.
type scored struct {
	m     Model
	score int
}

// search keeps, per window model, the range of candidates at each score (so
// that the band of those within slack of the final best can be read off at
// the end, whatever the best turns out to be) and the candidates of its best
// score.
type search struct {
	e       *evidence
	n       int
	slack   int
	best    int
	byScore map[limits.WindowModel][]Range
	top     map[limits.WindowModel][]scored
	// floor is the shortest window judged (shortestJudged).
	floor time.Duration
}

func newSearch(e *evidence) *search {
	s := &search{e: e, n: len(e.lo), slack: int(TieMargin * float64(len(e.lo))), floor: e.shortestJudged(),
		byScore: map[limits.WindowModel][]Range{}, top: map[limits.WindowModel][]scored{}}
	for _, kind := range limits.WindowModels() {
		s.byScore[kind] = make([]Range, len(e.lo)+1)
	}
	return s
}

// add records the candidates m with every limit: scores[l] is how many
// outcomes limit l explains, and window gives its window (token buckets:
// limit over rate).
func (s *search) add(m Model, scores []int, window func(l int) time.Duration) {
	// The maps and fields are read once, not per limit: under -race each
	// read is a call into the detector.
	rs, t, best, floor := s.byScore[m.Kind], s.top[m.Kind], s.best, s.floor
	cut := best - s.slack
	for l := 1; l < len(scores); l++ {
		sc := scores[l]
		if sc < cut && len(t) > 0 && sc < t[0].score {
			continue
		}
		c := m
		c.Limit, c.Window = l, window(l)
		if c.Window < floor {
			continue
		}
		rs[sc].extend(c)
		if sc > best {
			best = sc
			cut = best - s.slack
		}
		switch {
		case len(t) == 0 || sc > t[0].score:
			t = []scored{{c, sc}}
		case sc == t[0].score:
			t = append(t, scored{c, sc})
		}
	}
	s.best, s.top[m.Kind] = best, t
}

func (s *search) slidingAt(w time.Duration) {
	if w <= 0 {
		return
	}
	s.add(Model{Kind: limits.Sliding}, s.e.scoreLimits(s.e.slidingBounds(w)), func(int) time.Duration { return w })
}

func (s *search) fixedAt(w, ph time.Duration) {
	if w <= 0 {
		return
	}
	ph = ((ph % w) + w) % w
	s.add(Model{Kind: limits.Fixed, Phase: ph}, s.e.scoreLimits(s.e.fixedBounds(w, ph)), func(int) time.Duration { return w })
}

// tokenAt scores token buckets refilling at perSecond.
func (s *search) tokenAt(perSecond float64) {
	if perSecond <= 0 {
		return
	}
	rate := perSecond / float64(time.Second)
	s.add(Model{Kind: limits.TokenBucket}, s.e.scoreLimits(s.e.tokenBounds(rate)), func(l int) time.Duration {
		return time.Duration(float64(l) / rate)
	})
}

// refine searches around each model's best in finer steps, twice: window
// lengths (and token-bucket rates) within 2% in 0.2% steps, fixed starts
// within 2% of the window in 0.4% steps; then a fifth of that around the
// new best.
func (s *search) refine() {
	for _, step := range []int{500, 2500} { // steps of 1/500 and 1/2500
		for _, m := range s.perModel() {
			s.around(m.Model, step)
		}
	}
}

func (s *search) around(m Model, step int) {
	d := time.Duration(step)
	switch m.Kind {
	case limits.Sliding:
		for k := -10; k <= 10; k++ {
			s.slidingAt(m.Window + m.Window*time.Duration(k)/d)
		}
	case limits.Fixed:
		for k := -10; k <= 10; k++ {
			w := m.Window + m.Window*time.Duration(k)/d
			for p := -5; p <= 5; p++ {
				s.fixedAt(w, m.Phase+2*w*time.Duration(p)/d)
			}
		}
	case limits.TokenBucket:
		if m.Window <= 0 {
			return
		}
		rate := float64(m.Limit) / m.Window.Seconds()
		for k := -10; k <= 10; k++ {
			s.tokenAt(rate * (1 + float64(k)/float64(step)))
		}
	}
}

// perModel is each window model's best: among equal scores the middle one by
// window length, limit and start, since a plateau of equal fits brackets the
// true figure.
func (s *search) perModel() []Fitted {
	var out []Fitted
	for _, kind := range limits.WindowModels() {
		var top []Model
		best := 0
		for _, c := range s.top[kind] {
			top, best = append(top, c.m), c.score
		}
		if len(top) == 0 {
			out = append(out, Fitted{Model: Model{Kind: kind}})
			continue
		}
		slices.SortFunc(top, func(a, b Model) int {
			return cmp.Or(cmp.Compare(a.Window, b.Window), cmp.Compare(a.Limit, b.Limit), cmp.Compare(a.Phase, b.Phase))
		})
		out = append(out, Fitted{Model: top[len(top)/2], Agreement: float64(best) / float64(s.n)})
	}
	return out
}

// fit ranks the models and reads the band off what was kept.
func (s *search) fit() *Fit {
	f := &Fit{Requests: s.n, PerModel: s.perModel()}
	f.rank()
	f.Band = s.band()
	return f
}

// rank sets Best, RunnerUp and Margin from PerModel.
func (f *Fit) rank() {
	ranked := slices.Clone(f.PerModel)
	slices.SortStableFunc(ranked, func(a, b Fitted) int { return cmp.Compare(b.Agreement, a.Agreement) })
	f.Best, f.RunnerUp = ranked[0], ranked[1]
	f.Margin = f.Best.Agreement - f.RunnerUp.Agreement
}
