package runner

import (
	"iter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plots"
	"github.com/kvquota/kvquota/results"
)

// stored is a run read back from its directory: what Judge, Plot and Compare
// all start from, so the three read a run the same way.
type stored struct {
	meta    *results.Meta
	profile *limits.Profile
	stream  resultStream
}

// resultStream is what a stored run's results are read from: one run
// directory's results.bin (results.Stream), or the shards' files merged
// (results.Merged, shards.go).
type resultStream interface {
	All() iter.Seq[*vegeta.Result]
	Err() error
	Truncated() bool
}

// classifier places every request in its transaction class, key requests by
// the keys' rows recorded in run.json. Each reader of the run gets its own:
// a classifier remembers what it has seen, and is not safe for concurrent
// use.
func (s *stored) classifier() limits.Classifier {
	return limits.NewClassifierFor(s.profile, s.meta.Keys)
}

// openStored reads the run in dir, judged against profile (the run's own when
// empty).
func openStored(dir, profile string) (*stored, error) {
	m, err := results.ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	p, err := judgeProfile(m, profile)
	if err != nil {
		return nil, err
	}
	stream, err := results.OpenStream(dir)
	if err != nil {
		return nil, err
	}
	return &stored{meta: m, profile: p, stream: stream}, nil
}

// plotInput describes the run to the plots package.
func (s *stored) plotInput() plots.Input {
	return plots.Input{
		Scenario: s.meta.Scenario,
		Profile:  s.profile,
		Window:   s.meta.Window,
		Start:    s.meta.Start,
		Classify: s.classifier(),
	}
}

// judgeProfile returns the profile the run m is judged against: the named
// profile (the run's own when name is empty) with the scenario's overrides. A
// run re-judged against another profile keeps its scenario's overrides but
// not the target's, which were never part of what the documentation
// promises. A time-scaled run's profile is scaled by factors taken from those
// same figures, as the plan took them, so re-judging against another profile
// scales it alike.
func judgeProfile(m *results.Meta, name string) (*limits.Profile, error) {
	if name == "" {
		name = m.Profile
	}
	p, err := limits.Get(name)
	if err != nil {
		return nil, err
	}
	if m.Scaling != nil {
		if err := m.Scaling.Validate(); err != nil {
			return nil, err
		}
		if p, err = p.WithOverrides(m.Overrides); err != nil {
			return nil, err
		}
		return m.Scaling.Apply(p, m.Scaling.FactorsFor(p)), nil
	}
	if m.WindowLength > 0 {
		p.Window = time.Duration(m.WindowLength)
	}
	return p.WithOverrides(m.Overrides)
}
