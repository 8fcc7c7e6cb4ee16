package discover

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Fitted is a model with the share of a schedule's outcomes it predicts.
type Fitted struct {
	Model
	// Agreement is the share of outcomes predicted, 0 to 1.
	Agreement float64 `json:"agreement"`
}

// Fit is the outcome of fitting every model to one schedule.
type Fit struct {
	// Best is the model that predicts the most outcomes.
	Best Fitted `json:"best"`
	// RunnerUp is the best fit of any other window model.
	RunnerUp Fitted `json:"runner_up"`
	// Margin is Best's agreement minus RunnerUp's: the confidence.
	Margin float64 `json:"margin"`
	// PerModel is the best fit of each window model.
	PerModel []Fitted `json:"per_model"`
	// Requests is how many outcomes were fitted.
	Requests int `json:"requests"`
}

// ErrTooFewOutcomes is returned for a schedule that never saw both a success
// and a 429: nothing can be learned about a limit that was not reached.
var ErrTooFewOutcomes = errors.New("discover: the schedule never reached the limit (no success, or no 429), so there is nothing to fit")

// FitModels replays obs (ordered by At) through every candidate of every
// window model and returns the best of each, the best overall and its margin.
// Candidates come from a grid around the seeds read off the outcomes: window
// lengths from 0.8x to 1.25x of each seed, and of half and twice it, in 1%
// steps; limits near the burst, the clump sizes and the most successes a
// candidate window (or bucket) held (fixed, sliding), or the goodput times the
// length (token bucket); and for fixed buckets a bucket start between the last
// 429 and the first success of the recovery, or at a later change from 429s
// back to successes.
func FitModels(obs []Obs) (*Fit, error) {
	obs = slices.Clone(obs)
	slices.SortStableFunc(obs, func(a, b Obs) int { return cmp.Compare(a.At, b.At) })
	ats := make([]time.Duration, len(obs))
	oks := make([]bool, len(obs))
	var nOK int
	for i, o := range obs {
		ats[i], oks[i] = o.At, o.OK
		if o.OK {
			nOK++
		}
	}
	if nOK == 0 || nOK == len(obs) {
		return nil, ErrTooFewOutcomes
	}
	s := readSeeds(obs)
	s.Transitions = transitions(ats, oks)
	ws := windowGrid(s)
	if len(ws) == 0 {
		return nil, ErrTooFewOutcomes
	}
	f := &Fit{Requests: len(obs)}
	for _, kind := range limits.WindowModels() {
		var cands []Model
		if kind == limits.TokenBucket {
			cands = tokenGrid(s)
		}
		for _, w := range ws {
			if kind == limits.TokenBucket {
				break
			}
			if kind != limits.Fixed {
				for _, l := range withAround(limitGrid(kind, s, w), mostInAnyWindow(ats, oks, w)) {
					cands = append(cands, Model{Kind: kind, Limit: l, Window: w})
				}
				continue
			}
			for _, ph := range phaseGrid(s, w) {
				for _, l := range withAround(limitGrid(kind, s, w), mostInABucket(ats, oks, w, ph)) {
					cands = append(cands, Model{Kind: kind, Limit: l, Window: w, Phase: ph})
				}
			}
		}
		f.PerModel = append(f.PerModel, bestOf(cands, ats, oks))
	}
	f.rank()
	return f, nil
}

// bestOf scores every candidate and returns the best; among equal scores the
// middle one (in the order given, by window length then limit), since a
// plateau of equal fits brackets the true figure.
func bestOf(cands []Model, ats []time.Duration, oks []bool) Fitted {
	best := -1.0
	var top []Model
	for _, m := range cands {
		a := m.agreement(ats, oks)
		switch {
		case a > best+1e-12:
			best, top = a, []Model{m}
		case math.Abs(a-best) <= 1e-12:
			top = append(top, m)
		}
	}
	if len(top) == 0 {
		return Fitted{}
	}
	return Fitted{Model: top[len(top)/2], Agreement: best}
}

// windowGrid lists candidate window lengths, ascending and distinct to the
// millisecond: 0.8x to 1.25x of every seed in 1% steps.
func windowGrid(s seeds) []time.Duration {
	var seedWs []time.Duration
	add := func(d time.Duration) {
		if d > time.Millisecond {
			seedWs = append(seedWs, d)
		}
	}
	add(s.Recovery - s.BurstFirst) // a sliding window frees its first slot one window after it was used
	add(s.ClumpGap)                // fixed and sliding admit a window's worth once a window
	if s.Goodput > 0 {
		add(time.Duration(float64(s.Clump) / s.Goodput * float64(time.Second)))
		add(time.Duration(float64(s.Burst) / s.Goodput * float64(time.Second)))
	}
	// Half and twice each seed too: on a busy client a run of 429s can go
	// unsent, two windows' runs of successes then merge, and every seed reads
	// a window twice too long (or a stray clump, half as long).
	seen := map[time.Duration]bool{}
	var out []time.Duration
	for _, seed := range seedWs {
		for _, w := range []time.Duration{seed / 2, seed, 2 * seed} {
			for k := 80; k <= 125; k++ {
				d := (w * time.Duration(k) / 100).Round(time.Millisecond)
				if d > 0 && !seen[d] {
					seen[d] = true
					out = append(out, d)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// limitGrid lists candidate limits of fixed buckets and sliding windows:
// under overload both admit a whole window's worth in one run.
func limitGrid(_ limits.WindowModel, s seeds, _ time.Duration) []int {
	lo := min(s.Clump, s.Burst) - 2
	hi := max(s.Clump, s.Burst) + 2
	if hi-lo > 12 { // a burst across a bucket edge: trust the clumps
		lo, hi = s.Clump-2, s.Clump+2
	}
	var out []int
	for l := max(1, lo); l <= hi; l++ {
		out = append(out, l)
	}
	return out
}

// phaseGrid lists candidate starts of a fixed bucket of length w: four points
// between the last 429 and the first success of the recovery, and the middle
// of every other change from 429s back to successes (a bucket may have begun
// at any of them).
func phaseGrid(s seeds, w time.Duration) []time.Duration {
	lo, hi := s.BeforeRecovery, s.Recovery
	if hi <= lo {
		lo = hi - time.Millisecond
	}
	out := make([]time.Duration, 0, 4+len(s.Transitions))
	for k := 1; k <= 4; k++ {
		p := lo + (hi-lo)*time.Duration(k)/4
		out = append(out, ((p%w)+w)%w)
	}
	for _, p := range s.Transitions {
		out = append(out, ((p%w)+w)%w)
	}
	return out
}

// maxTransitions bounds the phases read off changes back to success.
const maxTransitions = 8

// transitions returns the middles of the first changes from a 429 back to a
// success: where fixed buckets may begin.
func transitions(ats []time.Duration, oks []bool) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(ats) && len(out) < maxTransitions; i++ {
		if oks[i] && !oks[i-1] {
			out = append(out, (ats[i-1]+ats[i])/2)
		}
	}
	return out
}

// mostInAnyWindow is the most successes any interval of length w held: the
// limit a sliding window of that length would need to have admitted them.
func mostInAnyWindow(ats []time.Duration, oks []bool, w time.Duration) int {
	most, n, tail := 0, 0, 0
	for i, t := range ats {
		if !oks[i] {
			continue
		}
		n++
		for ; ats[tail] <= t-w; tail++ {
			if oks[tail] {
				n--
			}
		}
		most = max(most, n)
	}
	return most
}

// mostInABucket is the most successes any fixed bucket of length w starting
// at phase held.
func mostInABucket(ats []time.Duration, oks []bool, w, phase time.Duration) int {
	most, n, bucket := 0, 0, int64(-1<<62)
	for i, t := range ats {
		if !oks[i] {
			continue
		}
		if b := floorDiv(int64(t-phase), int64(w)); b != bucket {
			bucket, n = b, 0
		}
		n++
		most = max(most, n)
	}
	return most
}

// withAround adds l-2 to l+2 to ls, once each: the limit the data imply for a
// window, beside the seeds' guesses.
func withAround(ls []int, l int) []int {
	for c := max(1, l-2); c <= l+2; c++ {
		if !slices.Contains(ls, c) {
			ls = append(ls, c)
		}
	}
	return ls
}

// tokenGrid lists token-bucket candidates by limit and rate: under overload a
// token bucket admits exactly its rate (limit per window), which the goodput
// measures closely, and its burst held the limit plus what refilled while the
// burst lasted. Rates within 2% of the goodput in 0.2% steps, limits within
// 5% (at least 3) of the burst less its refill; the window is limit / rate.
func tokenGrid(s seeds) []Model {
	if s.Goodput <= 0 {
		return nil
	}
	l0 := float64(s.Burst) - (s.BurstEnd-s.BurstFirst).Seconds()*s.Goodput
	spread := max(3, 0.05*l0)
	var out []Model
	for l := max(1, int(math.Floor(l0-spread))); l <= int(math.Ceil(l0+spread)); l++ {
		for k := -10; k <= 10; k++ {
			rate := s.Goodput * (1 + float64(k)/500)
			w := time.Duration(float64(l) / rate * float64(time.Second))
			out = append(out, Model{Kind: limits.TokenBucket, Limit: l, Window: w})
		}
	}
	return out
}

// Rescore scores the models of f (each window model's best) again over obs,
// which may hold more outcomes than f was fitted to, and ranks them afresh.
func Rescore(f *Fit, obs []Obs) *Fit {
	obs = slices.Clone(obs)
	slices.SortStableFunc(obs, func(a, b Obs) int { return cmp.Compare(a.At, b.At) })
	ats := make([]time.Duration, len(obs))
	oks := make([]bool, len(obs))
	for i, o := range obs {
		ats[i], oks[i] = o.At, o.OK
	}
	out := &Fit{Requests: len(obs)}
	for _, m := range f.PerModel {
		out.PerModel = append(out.PerModel, Fitted{Model: m.Model, Agreement: m.Model.agreement(ats, oks)})
	}
	out.rank()
	return out
}

// rank sets Best, RunnerUp and Margin from PerModel.
func (f *Fit) rank() {
	ranked := slices.Clone(f.PerModel)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Agreement > ranked[j].Agreement })
	f.Best, f.RunnerUp = ranked[0], ranked[1]
	f.Margin = f.Best.Agreement - f.RunnerUp.Agreement
}
