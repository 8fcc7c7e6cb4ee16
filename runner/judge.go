package runner

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/plots"
	"github.com/kvquota/kvquota/results"
)

// JudgeOptions change how a stored run is judged.
type JudgeOptions struct {
	// Profile judges against another limits profile than the run's own.
	Profile string
	// Tolerance, when positive, replaces every check's tolerance.
	Tolerance float64
	// NoPlots skips drawing.
	NoPlots bool
}

// Judge checks the run stored in dir, draws its plots, and writes report.json
// and junit.xml there. The report's Pass says whether the gate passes.
func Judge(dir string, o JudgeOptions) (*results.Report, error) {
	run, err := openStored(dir, o.Profile)
	if err != nil {
		return nil, err
	}
	m, p, stream := run.meta, run.profile, run.stream
	expect := m.Expect
	if o.Tolerance > 0 {
		expect = append(expect[:0:0], expect...)
		for i := range expect {
			expect[i].Tolerance = o.Tolerance
		}
	}
	verdicts, err := assert.Check(assert.Input{
		Profile:  p,
		Window:   m.Window,
		Start:    m.Start,
		Stages:   m.Stages,
		Expect:   expect,
		Classify: run.classify,
	}, stream.All())
	if err == nil {
		err = stream.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("judging %s: %w", dir, err)
	}
	totals := results.Tally(stream.All())
	if err := stream.Err(); err != nil {
		return nil, err
	}

	var drawn []string
	if !o.NoPlots && totals.Requests > 0 {
		files, err := plots.Draw(filepath.Join(dir, results.PlotsDir), run.plotInput(), stream.All())
		if err != nil {
			return nil, fmt.Errorf("drawing %s: %w", dir, err)
		}
		for _, f := range files {
			if rel, err := filepath.Rel(dir, f); err == nil {
				f = rel
			}
			drawn = append(drawn, f)
		}
	}

	rep := results.NewReport(m, totals, verdicts, drawn)
	if o.Profile != "" && o.Profile != m.Profile {
		rep.Profile = o.Profile
	}
	if err := results.WriteReport(dir, rep); err != nil {
		return nil, err
	}
	if err := results.WriteJUnit(dir, rep); err != nil {
		return nil, err
	}
	if err := results.WriteSummary(dir, rep); err != nil {
		return nil, err
	}
	if err := results.WriteHTML(dir, rep, m); err != nil {
		return nil, err
	}
	return rep, nil
}

// elapsed formats a duration for status lines.
func elapsed(d time.Duration) string { return d.Round(100 * time.Millisecond).String() }
