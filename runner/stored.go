package runner

import (
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plots"
	"github.com/kvquota/kvquota/results"
)

// stored is a run read back from its directory: what Judge, Plot and Compare
// all start from, so the three read a run the same way.
type stored struct {
	meta    *results.Meta
	profile *limits.Profile
	stream  *results.Stream
}

// classifier places every request in its transaction class, key requests by
// the keys' rows recorded in run.json. Each reader of the run gets its own:
// a classifier remembers what it has seen, and is not safe for concurrent
// use.
func (s *stored) classifier() limits.Classifier { return limits.NewClassifier(s.meta.Keys) }

// openStored reads the run in dir, judged against profile (the run's own when
// empty).
func openStored(dir, profile string) (*stored, error) {
	m, err := results.ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	p, err := m.JudgeProfile(profile)
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
