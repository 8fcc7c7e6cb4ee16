package runner

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/internal/version"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// newMeta is run.json for a scenario's run: what judging it again needs
// without the scenario file or the target.
func newMeta(p *plan.Plan, sr *plan.ScenarioRun, tg *target, spans []scenarios.Span) *results.Meta {
	s := sr.Scenario
	m := &results.Meta{
		Scenario:     s.Name,
		Source:       s.Source,
		Description:  s.Description,
		Target:       tg.url,
		Emulated:     tg.emulated,
		Profile:      sr.Judged.Name,
		Overrides:    s.Limits,
		TargetLimits: p.TargetLimits,
		Window:       s.Window,
		WindowLength: results.Duration(sr.Judged.Window),
		Seed:         s.Seed,
		Stages:       spans,
		Expect:       s.Expect,
		Versions:     versions(),
		Keys:         s.KeySpecs(),
		Scaling:      sr.Scale.Limits(),
	}
	if len(m.Keys) == 0 {
		m.Keys = nil
	}
	if n := s.Vaults(); n > 1 {
		m.Vaults = n
	}
	if m.Scaling != nil {
		m.ScaledLimits = sr.Judged.Limits
	}
	if len(m.TargetLimits) == 0 {
		m.TargetLimits = nil
	}
	if tg.emulated {
		for _, f := range p.Faults {
			m.Faults = append(m.Faults, string(f))
		}
		m.Lax = string(p.Lax)
		if !p.Latency.IsZero() {
			m.Latency, m.LatencySeed = p.Latency.String(), p.Latency.Seed
		}
	}
	m.Shard = shardMeta(p)
	return m
}

// shardMeta is run.json's record of the shard p runs (its clock is set when
// the attack starts); nil for a whole run.
func shardMeta(p *plan.Plan) *results.Shard {
	if p.Shard == nil {
		return nil
	}
	s := &results.Shard{Index: p.Shard.Index, Count: p.Shard.Count}
	s.Host, _ = os.Hostname()
	if p.SourceAddr != nil {
		s.SourceAddr = p.SourceAddr.String()
	}
	return s
}

// describeScale says what the scaling did, for the run's log.
func describeScale(s *plan.Scale, scaled *limits.Profile) string {
	if s == nil {
		return ""
	}
	var parts []string
	for c, l := range scaled.Limits {
		parts = append(parts, fmt.Sprintf("%s=%d", c, l))
	}
	sort.Strings(parts)
	return fmt.Sprintf("time-scaled x%g: window %s, limits per window %s", s.TimeScale, scaled.Window, strings.Join(parts, " "))
}

// prepareKeys makes the shared key material of the types the scenario
// creates before a time-scaled attack, so the first creates do not stall on
// RSA generation (see emulator.PrepareKeyMaterial).
func prepareKeys(s *scenarios.Scenario) error {
	for _, o := range s.Mix {
		if o.Op == scenarios.CreateKey {
			if err := emulator.PrepareKeyMaterial(o.Kty, o.KeySize, o.Curve); err != nil {
				return err
			}
		}
	}
	return nil
}

// versions records the build that made a run (package version, the one
// source of `kvquota version` and the User-Agent too).
func versions() results.Versions {
	v := version.Read()
	return results.Versions{Kvquota: v.Short(), Go: v.Go, Vegeta: v.Vegeta}
}

// userAgent names kvquota and its version to the target, so its traffic
// stands out in a vault's logs.
func userAgent() string { return version.Read().UserAgent() }
