package runner

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// timeScale shrinks a run for quick conformance checks (--time-scale): the
// window and every stage by the scale, and each limit by a factor of its own
// (limits.Scaling), so that every row runs in a fraction of the time at
// rates a small machine can offer, and still throttles where the scaled
// documentation says. The factors come from the judged (documented) figures
// and are applied to the emulated profile too, so a target with a wrong limit
// is wrong by the same ratio after scaling.
type timeScale struct {
	sc      *limits.Scaling // nil: no scaling
	factors map[limits.Class]float64
	window  time.Duration // the scaled window
}

// newTimeScale returns the scaling of s (0 or 1: none) decided by judged.
func newTimeScale(s float64, judged *limits.Profile) (*timeScale, error) {
	if s == 0 || s == 1 {
		return &timeScale{}, nil
	}
	sc := limits.DefaultScaling(s)
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	return &timeScale{sc: &sc, factors: sc.Factors(judged), window: time.Duration(float64(judged.Window) * s)}, nil
}

// profile returns p scaled (p itself when not scaling).
func (t *timeScale) profile(p *limits.Profile) *limits.Profile {
	if t.sc == nil {
		return p
	}
	return t.sc.Apply(p, t.factors)
}

// scenario returns a copy of s with every stage shrunk (s itself when not
// scaling). Relative rates then resolve against the scaled profile.
func (t *timeScale) scenario(s *scenarios.Scenario) *scenarios.Scenario {
	if t.sc == nil {
		return s
	}
	c := *s
	c.Stages = append([]scenarios.Stage(nil), s.Stages...)
	for i := range c.Stages {
		c.Stages[i].Duration = time.Duration(float64(c.Stages[i].Duration) * t.sc.TimeScale)
	}
	// The window checks' tolerances get the timing allowance (limits.Scaling.Jitter).
	c.Expect = append([]scenarios.Expectation(nil), s.Expect...)
	for i, x := range c.Expect {
		base := x.Tolerance
		switch x.Check {
		case scenarios.CheckOnset, scenarios.CheckNoEarlyThrottle, scenarios.CheckSubscriptionOnset:
			if base == 0 {
				base = assert.DefaultOnsetTolerance
			}
		case scenarios.CheckGoodput:
			if base == 0 {
				base = assert.DefaultGoodputTolerance
			}
		default:
			continue
		}
		c.Expect[i].Tolerance = min(0.5, base+t.sc.Allowance(t.window))
	}
	return &c
}

// describe says what the scaling did, for the run's log.
func (t *timeScale) describe(scaled *limits.Profile) string {
	if t.sc == nil {
		return ""
	}
	var parts []string
	for c, l := range scaled.Limits {
		parts = append(parts, fmt.Sprintf("%s=%d", c, l))
	}
	sort.Strings(parts)
	return fmt.Sprintf("time-scaled x%g: window %s, limits per window %s", t.sc.TimeScale, scaled.Window, strings.Join(parts, " "))
}

// recordScale puts into run.json what judging the run again needs: the keys'
// rows, the vaults, and the scaling with the limits it gave.
func recordScale(m *results.Meta, s *scenarios.Scenario, t *timeScale, judged *limits.Profile) {
	if keys := s.KeySpecs(); len(keys) > 0 {
		m.Keys = keys
	}
	if n := s.Vaults(); n > 1 {
		m.Vaults = n
	}
	if t.sc != nil {
		m.Scaling = t.sc
		m.ScaledLimits = judged.Limits
	}
}

// prepareKeys makes the shared key material of the types the scenario
// creates before a time-scaled attack, so the first creates do not stall
// on RSA generation (see emulator.PrepareKeyMaterial).
func (t *timeScale) prepareKeys(s *scenarios.Scenario) error {
	if t.sc == nil {
		return nil
	}
	for _, o := range s.Mix {
		if o.Op == scenarios.CreateKey {
			if err := emulator.PrepareKeyMaterial(o.Kty, o.KeySize, o.Curve); err != nil {
				return err
			}
		}
	}
	return nil
}
