package results

import (
	"path/filepath"
	"time"

	"github.com/kvquota/kvquota/limits"
)

// ReportSchema names the version of report.json's layout; it changes when a
// field changes meaning, so CI scripts that read the report can tell.
const ReportSchema = "kvquota.report/v2"

// Report is report.json: the verdicts of a run with the context to read them.
type Report struct {
	Schema      string             `json:"schema"`
	Scenario    string             `json:"scenario"`
	Target      string             `json:"target"`
	Emulated    bool               `json:"emulated"`
	Profile     string             `json:"profile"`
	Window      limits.WindowModel `json:"window"`
	Start       time.Time          `json:"start"`
	End         time.Time          `json:"end,omitzero"`
	Interrupted bool               `json:"interrupted,omitempty"`
	// Outcome is Overall(Verdicts): the gate's result.
	Outcome Outcome `json:"outcome"`
	// Pass is true when every verdict passed (Outcome is pass).
	Pass     bool      `json:"pass"`
	Totals   Totals    `json:"totals"`
	Verdicts []Verdict `json:"verdicts"`
	// Plots are paths relative to the run directory.
	Plots []string `json:"plots,omitempty"`
	// TimeScale is set for a time-scaled run (--time-scale): its window was
	// WindowLength and its limits ScaledLimits, not the documentation's.
	TimeScale    float64              `json:"time_scale,omitempty"`
	WindowLength Duration             `json:"window_length,omitzero"`
	ScaledLimits map[limits.Class]int `json:"scaled_limits,omitempty"`
	// SelfCheck, for a run against the embedded emulator, says whether every
	// figure of the emulator's own record lay inside the client's band.
	SelfCheck *SelfCheck `json:"self_check,omitempty"`
	// TimingAllowance widened the window checks' tolerances (see limits.Scaling).
	TimingAllowance Duration `json:"timing_allowance,omitzero"`
	// Shards names each shard of a run judged from several directories
	// (kvquota report DIR1 DIR2 ...), in shard order.
	Shards []ShardReport `json:"shards,omitempty"`
}

// NewReport assembles a report from a run's meta, tally and verdicts.
func NewReport(m *Meta, t Totals, vs []Verdict, plots []string) *Report {
	if vs == nil {
		vs = []Verdict{} // "verdicts": [], as the schema says, never null
	}
	r := &Report{
		Schema:      ReportSchema,
		Scenario:    m.Scenario,
		Target:      m.Target,
		Emulated:    m.Emulated,
		Profile:     m.Profile,
		Window:      m.Window,
		Start:       m.Start,
		End:         m.End,
		Interrupted: m.Interrupted,
		Outcome:     Overall(vs),
		Pass:        Overall(vs) == Passed,
		Totals:      t,
		Verdicts:    vs,
		Plots:       plots,
	}
	if m.Scaling != nil {
		r.TimeScale, r.WindowLength, r.ScaledLimits = m.Scaling.TimeScale, m.WindowLength, m.ScaledLimits
		r.TimingAllowance = Duration(m.Scaling.Jitter)
	}
	return r
}

// WriteReport writes report.json into dir.
func WriteReport(dir string, r *Report) error {
	return writeJSON(filepath.Join(dir, ReportFile), r)
}
