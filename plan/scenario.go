package plan

import (
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// ScenarioRun is one scenario of a plan, resolved: what it runs and the
// profiles it is judged by and (embedded) emulated with.
type ScenarioRun struct {
	// Scenario is the scenario as it runs: time-scaled when the plan is.
	Scenario *scenarios.Scenario
	// Documented is the scenario's profile with its own overrides.
	Documented *limits.Profile
	// Judged is Documented scaled: what the run is judged against.
	Judged *limits.Profile
	// Emulated is what the embedded emulator enforces: Documented with the
	// plan's target limits, scaled alike; nil for a real target.
	Emulated *limits.Profile
	// Scale is the scenario's own time scaling (Scale.ForScenario); nil at
	// full length.
	Scale *Scale
}

// Scenario resolves one of p.Scenarios.
func (p *Plan) Scenario(s *scenarios.Scenario) (*ScenarioRun, error) {
	doc, err := limits.Get(s.Profile)
	if err != nil {
		return nil, usage(err)
	}
	if doc, err = doc.WithOverrides(s.Limits); err != nil {
		return nil, usage(err)
	}
	sc := p.Scale.ForScenario(doc, s.ClassesIn(doc))
	run := &ScenarioRun{Scenario: p.shardScenario(sc.Scenario(s)), Documented: doc, Judged: sc.Profile(doc, doc), Scale: sc}
	if p.Target.Embedded() {
		e, err := doc.WithOverrides(p.TargetLimits)
		if err != nil {
			return nil, usage(err)
		}
		run.Emulated = sc.Profile(e, doc)
	}
	return run, nil
}

// shardScenario gives a shard's scenario a seed of its own (the scenario's
// plus the shard's index less one), so that shards draw different sequences
// of the mix instead of sending the same names at the same moments; run.json
// records the seed it drew with.
func (p *Plan) shardScenario(s *scenarios.Scenario) *scenarios.Scenario {
	if p.Shard == nil || p.Shard.Index == 1 {
		return s
	}
	c := *s
	c.Seed += int64(p.Shard.Index - 1)
	return &c
}
