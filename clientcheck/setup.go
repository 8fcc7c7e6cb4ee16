package clientcheck

import (
	"fmt"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
)

// setup is the profiles of one check: the documented one it is judged by and
// the one the emulator enforces, both time scaled alike.
type setup struct {
	judged, emulated *limits.Profile
	model            limits.WindowModel
	scaling          *limits.Scaling
	allowance        float64
	targetLimits     map[limits.Class]int
}

func newSetup(cfg Config) (*setup, error) {
	name := cfg.Profile
	if name == "" {
		name = limits.DefaultProfile
	}
	documented, err := limits.Get(name)
	if err != nil {
		return nil, err
	}
	model, err := limits.ParseWindowModel(string(cfg.Window))
	if err != nil {
		return nil, err
	}
	emulated, err := documented.WithOverrides(cfg.Limits)
	if err != nil {
		return nil, err
	}
	s := &setup{judged: documented, emulated: emulated, model: model, targetLimits: cfg.Limits}
	if cfg.TimeScale != 0 && cfg.TimeScale != 1 {
		sc := limits.DefaultScaling(cfg.TimeScale)
		if err := sc.Validate(); err != nil {
			return nil, fmt.Errorf("--time-scale: %w", err)
		}
		f := sc.Factors(documented)
		s.judged, s.emulated, s.scaling = sc.Apply(documented, f), sc.Apply(emulated, f), &sc
		s.allowance = sc.Allowance(s.judged.Window)
	}
	return s, nil
}

// report assembles report.json's content for the check.
func (s *setup) report(url string, start, end time.Time, interrupted bool, reqs []emulator.RequestInfo, f Findings) *results.Report {
	m := &results.Meta{
		Scenario: "clientcheck", Source: "kvquota clientcheck", Target: url, Emulated: true,
		Profile: s.judged.Name, TargetLimits: s.targetLimits, Window: s.model,
		WindowLength: results.Duration(s.judged.Window), Start: start, End: end, Interrupted: interrupted,
	}
	if s.scaling != nil {
		m.Scaling, m.ScaledLimits = s.scaling, s.judged.Limits
	}
	return results.NewReport(m, tally(reqs), f.Verdicts, nil)
}

// tally counts the recorded answers as a run's totals, by the same rules as
// a run's results (results.Totals.Add). Every recorded request was answered.
func tally(reqs []emulator.RequestInfo) results.Totals {
	var t results.Totals
	for _, r := range reqs {
		t.Add(&vegeta.Result{Code: uint16(r.Status)})
	}
	return t
}
