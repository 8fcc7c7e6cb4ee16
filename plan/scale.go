package plan

import (
	"time"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// Scale is a plan's time scaling (--time-scale): the window and every stage
// shrink by the scale, and each limit by a factor of its own
// (limits.Scaling), so that every row runs in a fraction of the time at rates
// a small machine can offer, and still throttles where the scaled
// documentation says. The factors always come from the documented figures and
// are applied to the emulated profile too, so a target with a wrong limit is
// wrong by the same ratio after scaling.
//
// A nil *Scale is no scaling: its methods return what they are given.
type Scale struct {
	limits.Scaling
}

// ForScenario returns the scaling of a scenario whose load touches classes of
// documented: one factor for every limit and a time scale of its own
// (limits.Scaling.Uniform), so that the quick form of the scenario keeps
// every ratio between rows and still tells a limit 5% off.
func (s *Scale) ForScenario(documented *limits.Profile, classes []limits.Class) *Scale {
	if s == nil {
		return nil
	}
	sc := s.Uniform(documented, classes)
	sc.Jitter = 0 // no timing allowance: see Scenario
	return &Scale{Scaling: sc}
}

// newScale returns the scaling of s; nil for 0 or 1.
func newScale(s float64) (*Scale, error) {
	if s == 0 || s == 1 {
		return nil, nil
	}
	sc := limits.DefaultScaling(s)
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	return &Scale{Scaling: sc}, nil
}

// Profile returns p scaled by the factors documented decides.
func (s *Scale) Profile(p, documented *limits.Profile) *limits.Profile {
	if s == nil {
		return p
	}
	return s.Apply(p, s.FactorsFor(documented))
}

// Scenario returns a copy of sc with every stage shrunk by the time scale;
// sc itself when not scaling. Relative rates then resolve against the scaled
// profile. Tolerances are the scenario's: the checks take each request's
// timing into account themselves (assert judges on the interval each was
// decided in), so a scaled run needs no allowance of its own.
func (s *Scale) Scenario(sc *scenarios.Scenario) *scenarios.Scenario {
	if s == nil {
		return sc
	}
	c := *sc
	c.Stages = append([]scenarios.Stage(nil), sc.Stages...)
	for i := range c.Stages {
		c.Stages[i].Duration = time.Duration(float64(c.Stages[i].Duration) * s.TimeScale)
	}
	return &c
}

// Limits returns the scaling as run.json records it; nil when not scaling.
func (s *Scale) Limits() *limits.Scaling {
	if s == nil {
		return nil
	}
	sc := s.Scaling
	return &sc
}
