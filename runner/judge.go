package runner

import (
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/internal/fanout"
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
	// One read of results.bin feeds the checks, the totals and the plots side
	// by side: decoding is most of what judging costs (package fanout).
	var (
		verdicts []assert.Verdict
		totals   results.Totals
		files    []string
		checkErr error
		drawErr  error
	)
	in := assert.Input{
		Profile:  p,
		Window:   m.Window,
		Start:    m.Start,
		Stages:   m.Stages,
		Expect:   expect,
		Classify: run.classifier(),
	}
	consumers := []fanout.Consumer[vegeta.Result]{
		func(rs iter.Seq[*vegeta.Result]) error {
			verdicts, checkErr = assert.Check(in, rs)
			return nil
		},
		func(rs iter.Seq[*vegeta.Result]) error {
			totals = results.Tally(rs)
			return nil
		},
	}
	if !o.NoPlots {
		consumers = append(consumers, func(rs iter.Seq[*vegeta.Result]) error {
			files, drawErr = plots.Draw(filepath.Join(dir, results.PlotsDir), run.plotInput(), rs)
			return nil
		})
	}
	if err := fanout.Share(stream.All(), consumers...); err != nil {
		return nil, err
	}
	if err := stream.Err(); err != nil {
		return nil, fmt.Errorf("judging %s: %w", dir, err)
	}
	if checkErr != nil {
		return nil, fmt.Errorf("judging %s: %w", dir, checkErr)
	}
	// A run without results has nothing to draw, and says so in its report.
	if drawErr != nil && !errors.Is(drawErr, plots.ErrNoResults) {
		return nil, fmt.Errorf("drawing %s: %w", dir, drawErr)
	}
	var drawn []string
	for _, f := range files {
		if rel, err := filepath.Rel(dir, f); err == nil {
			f = rel
		}
		drawn = append(drawn, f)
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
