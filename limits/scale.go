package limits

import (
	"fmt"
	"maps"
	"math"
	"time"
)

// Scaling shrinks a profile so that a conformance run takes a fraction of the
// time. Shrinking only the window by s would multiply every rate by 1/s, and
// rows such as 4000 per 10 s would then need rates far beyond a small
// machine. So the window is multiplied by TimeScale and each class's limit by
// a factor of its own, chosen from the documented figure: the limit keeps its
// rate (limit x TimeScale) unless that passes MaxRate per second, when it is
// cut to MaxRate x the scaled window; and it never drops below MinLimit (or
// the documented figure, if smaller), so that the CREATE rows (5-20 per
// window) stay whole numbers that can still be counted. The same factors are
// applied to the judged profile and to the emulated one, so a wrong limit in
// the target stays wrong by the same ratio. Every report states the scaled
// window and limits.
type Scaling struct {
	TimeScale float64 `json:"time_scale"`
	MaxRate   float64 `json:"max_rate"`
	MinLimit  int     `json:"min_limit"`
	// Jitter is the timing allowance of a scaled run: the checks count
	// transactions by when the client sent them, the target by when they
	// arrived, and tens of milliseconds between the two (a busy machine, the
	// race detector) that are nothing in a 10 s window are several percent of
	// a 1 s one. The window checks' tolerances are widened by Jitter/window.
	Jitter time.Duration `json:"timing_allowance"`
	// Factor, when set, multiplies every limit alike (a scenario's scaling,
	// Uniform); zero gives each class its own factor (Factors).
	Factor float64 `json:"factor,omitempty"`
}

// FactorsFor returns the factor of each class of documented: Factor for
// every class when set, else each class's own (Factors).
func (sc Scaling) FactorsFor(documented *Profile) map[Class]float64 {
	if sc.Factor > 0 {
		return UniformFactors(documented, sc.Factor)
	}
	return sc.Factors(documented)
}

// Allowance is the relative widening of the window checks' tolerances for a
// scaled window of length w.
func (sc Scaling) Allowance(w time.Duration) float64 {
	if w <= 0 {
		return 0
	}
	return float64(sc.Jitter) / float64(w)
}

// DefaultScaling is what --time-scale uses with a scale: limits of at least
// 100 per window (or the documented figure, if smaller: the CREATE rows keep
// theirs), so one transaction is at most 1% of a window and the checks' 1%
// tolerance still tells a right limit from a wrong one, and weighted sums
// stay fine-grained; and no more than 100/s per class when the scaled window
// allows it.
//
// Its timing allowance is 50 ms: 5% of a 1 s window (time scale 0.1), which
// still tells the documented limit from one 10% off.
func DefaultScaling(s float64) Scaling {
	return Scaling{TimeScale: s, MaxRate: 100, MinLimit: 100, Jitter: 50 * time.Millisecond}
}

// Validate reports a scaling that cannot be applied.
func (sc Scaling) Validate() error {
	if !(sc.TimeScale > 0 && sc.TimeScale <= 1) {
		return fmt.Errorf("time scale %g must be above 0 and at most 1", sc.TimeScale)
	}
	if !(sc.MaxRate > 0) || sc.MinLimit < 1 {
		return fmt.Errorf("time scaling needs a positive maximum rate and minimum limit")
	}
	return nil
}

// Factors returns the factor of each class of documented, the profile whose
// figures decide them.
func (sc Scaling) Factors(documented *Profile) map[Class]float64 {
	out := make(map[Class]float64, len(documented.Limits))
	w := documented.Window.Seconds() * sc.TimeScale
	for c, l := range documented.Limits {
		n := float64(l) * sc.TimeScale
		n = math.Min(n, sc.MaxRate*w)
		n = math.Max(n, math.Min(float64(sc.MinLimit), float64(l)))
		n = math.Round(n)
		out[c] = n / float64(l)
	}
	return out
}

// Apply returns a copy of p with the window multiplied by the time scale and
// each limit by its factor (rounded, at least 1). Classes without a factor
// keep their figure.
func (sc Scaling) Apply(p *Profile, factors map[Class]float64) *Profile {
	q := p.Clone()
	q.Window = time.Duration(float64(p.Window) * sc.TimeScale)
	q.Limits = maps.Clone(p.Limits)
	for c, l := range p.Limits {
		if f, ok := factors[c]; ok {
			q.Limits[c] = max(1, int(math.Round(float64(l)*f)))
		}
	}
	return q
}

// ScenarioMinLimit and ScenarioMaxRate bound a scenario's uniform scaling
// (Uniform): a row its load touches holds at least ScenarioMinLimit a
// window, so a limit 5% off is more than two transactions off and one
// transaction is at most 2% of a window; and no row touched needs more than
// ScenarioMaxRate per second at its limit (half as much again when a stage
// overloads it by 150%), which two shared cores offer with room to spare, the
// race detector and RSA signing included: at 300/s a busy machine's answers
// took up to 1.4 s and left most bands too wide to tell.
const (
	ScenarioMinLimit = 50
	ScenarioMaxRate  = 150
)

// Uniform returns the scaling of a scenario whose load touches classes (of
// documented): one factor (Factor) for every limit of the profile. One factor keeps every ratio between rows, so a vault that lacks a row,
// or counts every transaction as cost 1 instead of weighting, is as wrong
// scaled as at full length. The factor is the time scale (each limit keeps
// its rate) unless the smallest row touched would then hold fewer than
// ScenarioMinLimit a window; the time scale is sc's unless the largest row
// touched would then need more than ScenarioMaxRate per second, when it
// grows, up to 1. So a scenario of secrets alone runs at a tenth, one that
// mixes secret sets (300) with other secret transactions (4000) at about a
// fifth, and a key CREATE row (10) at a tenth with 50 creates a window.
func (sc Scaling) Uniform(documented *Profile, classes []Class) Scaling {
	lo, hi := math.Inf(1), 0.0
	for _, c := range classes {
		if l := float64(documented.Limits[c]); l > 0 {
			lo, hi = math.Min(lo, l), math.Max(hi, l)
		}
	}
	out := sc
	out.Factor = sc.TimeScale
	if hi == 0 {
		return out
	}
	out.Factor = math.Max(out.Factor, ScenarioMinLimit/lo)
	rate := hi * out.Factor / (documented.Window.Seconds() * sc.TimeScale)
	if rate > ScenarioMaxRate {
		out.TimeScale = math.Min(1, sc.TimeScale*rate/ScenarioMaxRate)
	}
	return out
}

// UniformFactors is factor for every class of p.
func UniformFactors(p *Profile, factor float64) map[Class]float64 {
	out := make(map[Class]float64, len(p.Limits))
	for c := range p.Limits {
		out[c] = factor
	}
	return out
}
