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
func fitOn(seedObs, obs []Obs) (*Fit, error) { return fitWith(seedObs, obs, true) }

// fitWith is fitOn; without memo it scores every candidate afresh each time
// the grids name it, as the fit did before search.score, to show the memo
// changes nothing.
func fitWith(seedObs, obs []Obs, memo bool) (*Fit, error) {
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
	if !memo {
		sr.seen = nil
	}
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
	// seen holds what add kept of each candidates scored (score); nil
	// scores every call afresh.
	seen map[candidates][]kept
}

func newSearch(e *evidence) *search {
	s := &search{e: e, n: len(e.lo), slack: int(TieMargin * float64(len(e.lo))), floor: e.shortestJudged(),
		byScore: map[limits.WindowModel][]Range{}, top: map[limits.WindowModel][]scored{},
		seen: map[candidates][]kept{}}
	for _, kind := range limits.WindowModels() {
		s.byScore[kind] = make([]Range, len(e.lo)+1)
	}
	return s
}

// add records the candidates m with every limit: scores[l] is how many
// outcomes limit l explains, and window gives its window (token buckets:
// limit over rate). It returns the limits it kept, with their scores: the
// only ones a later add of the same candidates could keep (see seen).
func (s *search) add(m Model, scores []int, window func(l int) time.Duration) []kept {
	var out []kept
	s.keep(m, window, func(yield func(l, sc int) bool) {
		for l := 1; l < len(scores); l++ {
			if !yield(l, scores[l]) {
				return
			}
		}
	}, &out)
	return out
}

// kept is a limit add kept and its score.
type kept struct{ limit, score int32 }

// keep does add's work over the limits and scores each gives, appending
// those it keeps to out (if not nil).
func (s *search) keep(m Model, window func(l int) time.Duration, each func(yield func(l, sc int) bool), out *[]kept) {
	// The maps and fields are read once, not per limit: under -race each
	// read is a call into the detector.
	rs, t, best, floor := s.byScore[m.Kind], s.top[m.Kind], s.best, s.floor
	cut := best - s.slack
	for l, sc := range each {
		if sc < cut && len(t) > 0 && sc < t[0].score {
			continue
		}
		c := m
		c.Limit, c.Window = l, window(l)
		if c.Window < floor {
			continue
		}
		if out != nil {
			*out = append(*out, kept{int32(l), int32(sc)})
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

// candidates names one call of slidingAt, fixedAt or tokenAt: a window
// model with its length and start, or its rate.
type candidates struct {
	kind   limits.WindowModel
	w, ph  time.Duration
	perSec float64
}

// score records the candidates m, scoring them with bounds unless the same
// candidates were scored before. The grids overlap (half of one seed's
// lengths is another's, starts taken modulo the length coincide, and each
// refining pass repeats some of the last one's points), and a candidate
// scored again must still count again, as it always did (the band's
// Candidates, and the plateau perModel takes the middle of): so the limits
// it kept are replayed, not rescored. A limit add skipped it skips again,
// since the best and each model's top score only rise; so the replay is
// exactly what scoring again would do, without the bounds, which are where a
// fit spends its time.
func (s *search) score(k candidates, m Model, bounds func() []int, window func(l int) time.Duration) {
	if s.seen == nil { // scoring every time (TestTheFitsMemoChangesNothing)
		s.add(m, s.e.scoreLimits(bounds()), window)
		return
	}
	if ks, ok := s.seen[k]; ok {
		s.keep(m, window, func(yield func(l, sc int) bool) {
			for _, x := range ks {
				if !yield(int(x.limit), int(x.score)) {
					return
				}
			}
		}, nil)
		return
	}
	s.seen[k] = s.add(m, s.e.scoreLimits(bounds()), window)
}

func (s *search) slidingAt(w time.Duration) {
	// A window shorter than the floor is skipped at every limit (add).
	if w <= 0 || w < s.floor {
		return
	}
	s.score(candidates{kind: limits.Sliding, w: w}, Model{Kind: limits.Sliding},
		func() []int { return s.e.slidingBounds(w) }, func(int) time.Duration { return w })
}

func (s *search) fixedAt(w, ph time.Duration) {
	if w <= 0 || w < s.floor {
		return
	}
	ph = ((ph % w) + w) % w
	s.score(candidates{kind: limits.Fixed, w: w, ph: ph}, Model{Kind: limits.Fixed, Phase: ph},
		func() []int { return s.e.fixedBounds(w, ph) }, func(int) time.Duration { return w })
}

// tokenAt scores token buckets refilling at perSecond.
func (s *search) tokenAt(perSecond float64) {
	if perSecond <= 0 {
		return
	}
	rate := perSecond / float64(time.Second)
	s.score(candidates{kind: limits.TokenBucket, perSec: perSecond}, Model{Kind: limits.TokenBucket},
		func() []int { return s.e.tokenBounds(rate) }, func(l int) time.Duration { return time.Duration(float64(l) / rate) })
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
