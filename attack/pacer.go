package attack

import (
	"fmt"
	"math"
	"sort"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/scenarios"
)

// Pacer is a vegeta.Pacer whose rate follows a scenario's schedule: a
// piecewise-linear rate r(t), constant in steps and linear in ramps.
//
// Hit n (counting from 0) is due at the moment T at which the offered load
// H(T) = ∫0^T r(t) dt reaches n. On each linear piece H is a quadratic, solved
// exactly rather than stepped numerically as vegeta's LinearPacer does, so the
// hits of a ramp land where the ramp says even at a rate of zero (a ramp that
// starts at 0 has its first hits spaced wide apart, then closer). Where r is 0
// for a while (a pause), H stays flat; a hit due at such a plateau is sent when
// the load resumes, never inside the pause. Over the whole schedule the pacer
// sends ⌈H(end)⌉ hits, within one of the load the scenario offers.
//
// Like vegeta's pacers it asks for no wait when the attack is behind, and it
// stops the attack once the schedule is over or no hit is left in it.
type Pacer struct {
	pieces []piece
	end    time.Duration
	total  float64
	err    error
	// A shard's pacer (Shard) sends hit offset, offset+stride, ... of the
	// whole schedule; stride 0 is the whole schedule.
	stride, offset uint64
}

// piece is one span of the schedule with its cumulative load precomputed.
type piece struct {
	from, to time.Duration
	rate     float64 // hits/s at from
	slope    float64 // change of the rate, hits/s per second
	before   float64 // H(from): hits due before the piece
	hits     float64 // hits due within the piece
}

var _ vegeta.Pacer = (*Pacer)(nil)

// NewPacer builds a pacer from a schedule (scenarios.Scenario.Schedule). The
// spans must run back to back from offset 0 with finite, non-negative rates; a
// schedule that does not is refused by Err, and the pacer then stops an attack
// at once rather than send load nobody described (as vegeta's own pacers do
// with invalid settings).
func NewPacer(spans []scenarios.Span) *Pacer {
	p := &Pacer{}
	if p.err = checkSpans(spans); p.err != nil {
		return p
	}
	for _, s := range spans {
		d := (s.To - s.From).Seconds()
		pc := piece{
			from:   s.From,
			to:     s.To,
			rate:   s.StartRate,
			slope:  (s.EndRate - s.StartRate) / d,
			before: p.total,
			hits:   (s.StartRate + s.EndRate) / 2 * d,
		}
		p.pieces = append(p.pieces, pc)
		p.total += pc.hits
	}
	p.end = spans[len(spans)-1].To
	return p
}

func checkSpans(spans []scenarios.Span) error {
	if len(spans) == 0 {
		return fmt.Errorf("pacer: the schedule has no spans")
	}
	at := time.Duration(0)
	for i, s := range spans {
		switch {
		case s.From != at:
			return fmt.Errorf("pacer: span %d starts at %s, want %s (spans run back to back from 0)", i+1, s.From, at)
		case s.To <= s.From:
			return fmt.Errorf("pacer: span %d ends at %s, not after its start %s", i+1, s.To, s.From)
		case !validRate(s.StartRate) || !validRate(s.EndRate):
			return fmt.Errorf("pacer: span %d has rates %g to %g; rates must be finite and not negative", i+1, s.StartRate, s.EndRate)
		}
		at = s.To
	}
	return nil
}

func validRate(r float64) bool { return r >= 0 && !math.IsInf(r, 0) && !math.IsNaN(r) }

// Err says why the schedule was refused; nil for a usable pacer.
func (p *Pacer) Err() error { return p.err }

// Duration returns the length of the schedule.
func (p *Pacer) Duration() time.Duration { return p.end }

// Total returns H(end), the load the whole schedule offers, in hits (a
// shard's pacer: its share of it).
func (p *Pacer) Total() float64 { return p.total / p.share() }

// String describes the pacer for logs, as vegeta's pacers do.
func (p *Pacer) String() string {
	if p.err != nil {
		return fmt.Sprintf("Schedule{invalid: %v}", p.err)
	}
	return fmt.Sprintf("Schedule{%d spans, %.0f hits over %s}", len(p.pieces), p.total, p.end)
}

// Pace implements vegeta.Pacer: the wait until hit number hits (counting
// from 0) is due, 0 when it is already late, and stop once the schedule is
// over or holds no further hit.
func (p *Pacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if p.err != nil || elapsed >= p.end {
		return 0, true
	}
	due, ok := p.Due(hits)
	if !ok {
		return 0, true
	}
	if due <= elapsed {
		return 0, false
	}
	return due - elapsed, false
}

// Due returns when hit n (counting from 0) is due, as an offset from the
// start of the attack; ok is false when the schedule offers fewer than n+1
// hits.
func (p *Pacer) Due(n uint64) (due time.Duration, ok bool) {
	if p.stride > 0 {
		n = n*p.stride + p.offset
	}
	x := float64(n)
	// The first piece whose load carries H past n; a piece that ends exactly
	// at n (or holds no load) hands the hit on to the next that has some.
	k := sort.Search(len(p.pieces), func(i int) bool {
		pc := p.pieces[i]
		return pc.before+pc.hits > x
	})
	if k == len(p.pieces) {
		return 0, false
	}
	pc := p.pieces[k]
	t := pc.solve(x - pc.before)
	due = pc.from + time.Duration(math.Round(t*1e9))
	// Rounding to whole nanoseconds must not push a hit out of its piece.
	if due >= pc.to {
		due = pc.to - 1
	}
	return due, true
}

// solve returns the t in seconds from the start of the piece at which its
// load reaches m: rate*t + slope*t²/2 = m. It uses the form
// t = 2m / (rate + sqrt(rate² + 2*slope*m)), which holds for any slope,
// including 0 (t = m/rate) and a ramp from 0 (t = sqrt(2m/slope)), and does
// not lose precision when the slope is tiny.
func (pc piece) solve(m float64) float64 {
	if m <= 0 {
		return 0
	}
	disc := pc.rate*pc.rate + 2*pc.slope*m
	if disc < 0 {
		disc = 0 // only by rounding: m < hits guarantees a real root
	}
	den := pc.rate + math.Sqrt(disc)
	if den <= 0 {
		return 0
	}
	return 2 * m / den
}

// Rate implements vegeta.Pacer: the offered rate in hits per second at
// elapsed, and 0 outside the schedule.
func (p *Pacer) Rate(elapsed time.Duration) float64 {
	pc, ok := p.at(elapsed)
	if !ok {
		return 0
	}
	return (pc.rate + pc.slope*(elapsed-pc.from).Seconds()) / p.share()
}

// Hits returns H(elapsed), the load offered from the start to elapsed.
func (p *Pacer) Hits(elapsed time.Duration) float64 {
	if p.err != nil || elapsed <= 0 {
		return 0
	}
	if elapsed >= p.end {
		return p.total / p.share()
	}
	pc, _ := p.at(elapsed)
	t := (elapsed - pc.from).Seconds()
	return (pc.before + pc.rate*t + pc.slope*t*t/2) / p.share()
}

// at returns the piece that holds elapsed.
func (p *Pacer) at(elapsed time.Duration) (piece, bool) {
	if p.err != nil || elapsed < 0 || elapsed >= p.end {
		return piece{}, false
	}
	k := sort.Search(len(p.pieces), func(i int) bool { return p.pieces[i].to > elapsed })
	return p.pieces[k], true
}
