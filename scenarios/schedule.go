package scenarios

import (
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Span is a stage expanded against a limits profile: offsets from the start of
// the attack, and absolute rates in requests per second. Stored runs keep their
// spans, so a run re-checked against another profile is still judged on the load
// it actually offered.
type Span struct {
	// Stage is the 1-based index of the stage in the scenario.
	Stage     int           `json:"stage"`
	From      time.Duration `json:"from"`
	To        time.Duration `json:"to"`
	StartRate float64       `json:"start_rate"`
	EndRate   float64       `json:"end_rate"`
}

// RateAt returns the span's offered rate at offset t (From <= t < To).
func (s Span) RateAt(t time.Duration) float64 {
	d := s.To - s.From
	if d <= 0 {
		return s.StartRate
	}
	f := float64(t-s.From) / float64(d)
	return s.StartRate + f*(s.EndRate-s.StartRate)
}

// Schedule expands the stages against profile p: consecutive spans from offset
// 0, with relative rates resolved against MixLimitRate(p). Pass the profile the
// target is judged by, usually LimitsProfile(), so that "100%" is exactly the
// rate at which the mix fills one window.
func (s *Scenario) Schedule(p *limits.Profile) []Span {
	limitRate := s.MixLimitRate(p)
	spans := make([]Span, len(s.Stages))
	var at time.Duration
	for i, st := range s.Stages {
		start := st.Rate.Resolve(limitRate)
		end := start
		if st.To != nil {
			end = st.To.Resolve(limitRate)
		}
		spans[i] = Span{Stage: i + 1, From: at, To: at + st.Duration, StartRate: start, EndRate: end}
		at += st.Duration
	}
	return spans
}

// Duration returns how long the attack lasts: the sum of the stages (setup not
// included).
func (s *Scenario) Duration() time.Duration {
	var d time.Duration
	for _, st := range s.Stages {
		d += st.Duration
	}
	return d
}

// Hits returns the number of requests the span offers: the integral of its
// rate over its duration.
func (s Span) Hits() float64 {
	return (s.StartRate + s.EndRate) / 2 * (s.To - s.From).Seconds()
}
