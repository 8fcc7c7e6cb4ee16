package clientcheck

import (
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
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

// newSetup reads the profiles of a check off its plan.
func newSetup(p *plan.Plan) *setup {
	s := &setup{judged: p.Judged(), emulated: p.Emulated(), model: p.Window, scaling: p.Scale.Limits(), targetLimits: p.TargetLimits}
	if p.Scale != nil {
		s.allowance = p.Scale.Allowance(s.judged.Window)
	}
	return s
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
