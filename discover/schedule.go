package discover

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// prober sends one class's requests for a schedule. The real one speaks HTTP
// (httpprober.go); tests play a model in virtual time.
type prober interface {
	// now is the time since the schedule began.
	now() time.Duration
	// sleepUntil waits until now() reaches t.
	sleepUntil(ctx context.Context, t time.Duration) error
	// one sends a single request and waits for its answer.
	one(ctx context.Context, ph Phase) (Obs, error)
	// burst sends requests as fast as it can, a few at a time, until the
	// first 429 (n == 0) or n requests; requests already in flight are
	// answered and kept.
	burst(ctx context.Context, ph Phase, n int) ([]Obs, error)
	// paced sends at rate per second, not waiting for answers, until stop
	// says so (given the successes so far) or until the time limit.
	paced(ctx context.Context, ph Phase, rate float64, until time.Duration, stop func(ok int) bool) ([]Obs, error)
}

// Plan bounds a schedule.
type Plan struct {
	// QuietTimeout bounds the wait for a quiet target before the burst.
	QuietTimeout time.Duration
	// MaxRate caps the overload's rate, requests per second.
	MaxRate float64
	// MaxPhase bounds the recovery wait and the overload, each.
	MaxPhase time.Duration
}

// DefaultPlan suits a real vault (10 s windows) and the emulator alike.
func DefaultPlan() Plan {
	return Plan{QuietTimeout: 2 * time.Minute, MaxRate: 1000, MaxPhase: 2 * time.Minute}
}

// ErrNotQuiet is returned when the target kept answering 429 for the whole
// quiet timeout.
var ErrNotQuiet = errors.New("discover: the target never became quiet (every probe was throttled)")

// schedule runs the probe schedule on p and fits it: quiet, burst, recovery,
// overload, and, when fixed and sliding fit about equally well, the tie
// break. It returns every outcome and the fit.
func schedule(ctx context.Context, p prober, plan Plan) ([]Obs, *Fit, error) {
	obs, err := quietStart(ctx, p, plan)
	if err != nil {
		return nil, nil, err
	}
	b, err := p.burst(ctx, PhaseBurst, 0)
	if err != nil {
		return nil, nil, err
	}
	obs = append(obs, b...)
	first, n1 := firstAdmitted(b)
	if n1 == 0 {
		return obs, nil, fmt.Errorf("discover: the burst's first request was already throttled: %w", ErrTooFewOutcomes)
	}
	rec, err := awaitRecovery(ctx, p, PhaseRecovery, plan.MaxPhase)
	obs = append(obs, rec...)
	if err != nil {
		return obs, nil, err
	}
	rate, more, err := overloadRate(ctx, p, plan, b, rec, first, n1)
	obs = append(obs, more...)
	if err != nil {
		return obs, nil, err
	}
	seen := rec[len(rec)-1].At - first
	ov, err := overload(ctx, p, rate, 2*n1, max(min(seen, 2*time.Second), 250*time.Millisecond), maxRate(b, plan), plan.MaxPhase)
	obs = append(obs, ov...)
	if err != nil && !errors.Is(err, ErrNotOverloaded) {
		return obs, nil, err
	}
	fit, ferr := FitModels(obs)
	if err != nil {
		// Too few refusals to be sure of telling the models apart; the
		// intervals may still pin one (each outcome a right model must
		// explain). If they do not, the fit is reported as ambiguous, its
		// band and the shortfall said, so the run still leaves its report;
		// only a schedule with nothing to fit is an error.
		if ferr != nil {
			return obs, nil, err
		}
		if fit.ambiguity() != "" || needsTieBreak(fit) {
			fit.Shortfall = strings.TrimPrefix(err.Error(), "discover: ")
		}
		return obs, fit, nil
	}
	if ferr != nil {
		return obs, nil, ferr
	}
	if !needsTieBreak(fit) {
		return obs, fit, nil
	}
	tie, err := tieBreak(ctx, p, fit, lastOK(obs))
	all := append(slices.Clone(obs), tie...)
	if err != nil {
		return all, nil, err
	}
	// The tie break tests the candidates the schedule found (read off it, not
	// off the tie break), now over everything: a search widened by the tie
	// break's own figures could bend a fixed bucket's length to explain it
	// too, and hide the very difference it was sent to show.
	fit, err = fitOn(obs, all)
	return all, fit, err
}

// quietStart probes, backing off, until a request succeeds. Only a quiet
// start that was never throttled is kept to be fitted: after a 429 the
// window's state is unknown.
func quietStart(ctx context.Context, p prober, plan Plan) ([]Obs, error) {
	gap := 50 * time.Millisecond
	var quiet []Obs
	for {
		o, err := p.one(ctx, PhaseQuiet)
		if err != nil {
			return nil, err
		}
		quiet = append(quiet, o)
		if o.OK {
			break
		}
		if p.now()+gap > plan.QuietTimeout {
			return nil, ErrNotQuiet
		}
		if err := p.sleepUntil(ctx, p.now()+gap); err != nil {
			return nil, err
		}
		gap = min(2*time.Second, gap*2)
	}
	if len(quiet) == 1 {
		return quiet, nil
	}
	return nil, nil
}

// firstAdmitted is when the burst's first success came and how many it had.
func firstAdmitted(b []Obs) (first time.Duration, n int) {
	first = -1
	for _, o := range b {
		if o.OK {
			n++
			if first < 0 {
				first = o.At
			}
		}
	}
	return first, n
}

// overloadRate is the overload's rate: 1.5x the rate the burst and the
// recovery suggest until two bursts' worth are admitted: a window's worth per
// recovery time, or, when the target recovered much faster than the burst
// took (a token bucket's one transaction's worth; or a fixed bucket that
// happened to end just then), two transactions per recovery time (the
// recovery is timed coarsely, and near the limit rate which request takes
// each token is down to jitter); then it times two more recoveries, whose
// observations it returns. MaxRate and half the burst's own speed cap it.
func overloadRate(ctx context.Context, p prober, plan Plan, b, rec []Obs, first time.Duration, n1 int) (float64, []Obs, error) {
	end := time.Duration(-1)
	for _, o := range b {
		if !o.OK {
			end = o.At
			break
		}
	}
	seen := rec[len(rec)-1].At - first
	rate := 1.5 * float64(n1) / max(seen, time.Millisecond).Seconds()
	var more []Obs
	if back := rec[len(rec)-1].At - end; end >= 0 && back < (end-first)/2 {
		// Where the first refill fell after the burst is chance; the time
		// between the next two recoveries is one transaction's worth.
		r1 := rec[len(rec)-1].At
		for range 2 {
			m, err := awaitRecovery(ctx, p, PhaseRecovery, plan.MaxPhase)
			more = append(more, m...)
			if err != nil {
				return 0, more, err
			}
		}
		each := (more[len(more)-1].At - r1) / 2
		rate = 2 / max(each, 100*time.Microsecond).Seconds()
	}
	return min(rate, maxRate(b, plan)), more, nil
}

// maxRate is the fastest overload, at most plan.MaxRate: half of what the
// paced phase can carry if each request takes as long as in the burst. The
// burst keeps burstWorkers requests in flight and a paced phase up to
// maxInflight, so on a busy machine, where every answer is slow, a cap at the
// burst's own speed left too little to overload a token bucket.
func maxRate(burst []Obs, plan Plan) float64 {
	r := plan.MaxRate
	if d := burst[len(burst)-1].At - burst[0].At; d > 0 {
		r = min(r, 0.5*maxInflight/burstWorkers*float64(len(burst))/d.Seconds())
	}
	return r
}

// overload sends at rate until want successes, checking every check that at
// least a fifth of all it sent so far was refused: if not, the guess of the
// limit's rate was low (a recovery timed late on a busy machine, say), and
// the rate doubles, up to top and at most three times. A schedule that does
// not overload cannot tell the models apart.
func overload(ctx context.Context, p prober, rate float64, want int, check time.Duration, top float64, limit time.Duration) ([]Obs, error) {
	var obs []Obs
	ok, doubled := 0, 0
	end := p.now() + limit
	for ok < want && p.now() < end {
		chunk, err := p.paced(ctx, PhaseOverload, rate, min(end, p.now()+check), func(n int) bool { return ok+n >= want })
		obs = append(obs, chunk...)
		if err != nil {
			return obs, err
		}
		refused := 0
		for _, o := range obs {
			if !o.OK {
				refused++
			}
		}
		for _, o := range chunk {
			if o.OK {
				ok++
			}
		}
		if 5*refused < len(obs) && doubled < 3 {
			rate = min(2*rate, top)
			doubled++
		}
	}
	refused := 0
	for _, o := range obs {
		if !o.OK {
			refused++
		}
	}
	if 10*refused < len(obs) {
		return obs, fmt.Errorf("%w: %d of %d requests refused at up to %.0f/s", ErrNotOverloaded, refused, len(obs), rate)
	}
	return obs, nil
}

// ErrNotOverloaded is returned when the overload phase could not make the
// target refuse at least a tenth of it: the client cannot send fast enough
// (a busy machine, a distant target), and a fit would only guess.
var ErrNotOverloaded = errors.New("discover: could not overload the target (the client is too slow for its limit rate; run closer to it, or raise --max-rate)")

// needsTieBreak: fixed and sliding lead and are close, or both fit. A
// sliding window always looks like a fixed bucket that began with the burst,
// and a fixed bucket that did begin with the burst looks like a sliding
// window.
func needsTieBreak(f *Fit) bool {
	pair := map[limits.WindowModel]bool{f.Best.Kind: true, f.RunnerUp.Kind: true}
	if pair[limits.Fixed] && pair[limits.Sliding] && f.Margin < 5*TieMargin {
		return true
	}
	fits := map[limits.WindowModel]bool{}
	for _, r := range f.Band.Fits {
		fits[r.Model] = true
	}
	return fits[limits.Fixed] && fits[limits.Sliding]
}

// tieProbes is how many probes per window the tie break sends between and
// after its bursts.
const tieProbes = 50

// tieBreak waits for both models to be quiet, then for the middle of the
// fixed fit's bucket, and fills the window with a burst until the first
// 429; then it probes, tieProbes per window, until half the burst's length
// after one (sliding) window has passed since it began; there it fills the
// window again, and probes on until a fifth of a window after that burst's
// window. A fixed bucket admits the first probes from its next edge on, half
// a window after the first burst, and refuses again only from the second
// burst to its next edge; a sliding window refuses the probes until each
// burst begins to leave it, a whole window after it.
//
// Two fills: a schedule of a few windows cannot rule out a fixed bucket of a
// somewhat different length and start, and the search finds the one whose
// edge falls just where the sliding window frees its first slot after the
// first burst. Its next edge is then a different length after the second
// burst than the sliding window's release, and the probes around the
// release refute it.
func tieBreak(ctx context.Context, p prober, f *Fit, last time.Duration) ([]Obs, error) {
	var fixed, sliding Fitted
	for _, m := range f.PerModel {
		switch m.Kind {
		case limits.Fixed:
			fixed = m
		case limits.Sliding:
			sliding = m
		}
	}
	w := max(fixed.Window, sliding.Window)
	at := last + w + w/20
	// The next middle of a fixed bucket after at.
	mid := fixed.Phase + fixed.Window/2
	k := floorDiv(int64(at-mid), int64(fixed.Window)) + 1
	at = mid + time.Duration(k)*fixed.Window
	if err := p.sleepUntil(ctx, at); err != nil {
		return nil, err
	}
	rate := tieProbes / w.Seconds()
	var obs []Obs
	for _, after := range []func(first, length time.Duration) time.Duration{
		func(first, length time.Duration) time.Duration { return first + sliding.Window + length/2 },
		func(first, _ time.Duration) time.Duration { return first + sliding.Window + w/5 },
	} {
		b, err := p.burst(ctx, PhaseTieBurst, 0)
		obs = append(obs, b...)
		if err != nil {
			return obs, err
		}
		first, _ := firstAdmitted(b)
		until := after(first, lastOK(b)-first)
		pr, err := p.paced(ctx, PhaseTieProbe, rate, until, func(int) bool { return false })
		obs = append(obs, pr...)
		if err != nil {
			return obs, err
		}
		if err := p.sleepUntil(ctx, until); err != nil {
			return obs, err
		}
	}
	return obs, nil
}

// awaitRecovery probes, each gap 5% longer than the last from 1 ms, until a
// success: the recovery is timed to about 5% of the wait.
func awaitRecovery(ctx context.Context, p prober, ph Phase, limit time.Duration) ([]Obs, error) {
	var obs []Obs
	start := p.now()
	gap := time.Millisecond
	for {
		o, err := p.one(ctx, ph)
		if err != nil {
			return obs, err
		}
		obs = append(obs, o)
		if o.OK {
			return obs, nil
		}
		if p.now()-start > limit {
			return obs, fmt.Errorf("discover: no success in %s of probing after the target throttled", limit)
		}
		if err := p.sleepUntil(ctx, p.now()+gap); err != nil {
			return obs, err
		}
		gap = gap * 105 / 100
	}
}

func lastOK(obs []Obs) time.Duration {
	for i := len(obs) - 1; i >= 0; i-- {
		if obs[i].OK {
			return obs[i].At
		}
	}
	return 0
}
