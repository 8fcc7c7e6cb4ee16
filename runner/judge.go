package runner

import (
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/internal/fanout"
	"github.com/kvquota/kvquota/plots"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
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

// Judge checks the run stored in dir, draws its plots, and writes report.json,
// junit.xml, summary.md and report.html there. The report's Pass says whether
// the gate passes.
func Judge(dir string, o JudgeOptions) (*results.Report, error) {
	run, err := openStored(dir, o.Profile)
	if err != nil {
		return nil, err
	}
	read, err := readOnce(dir, run, o)
	if err != nil {
		return nil, err
	}
	rep := results.NewReport(run.meta, read.totals, read.verdicts, read.plots)
	if o.Profile != "" && o.Profile != run.meta.Profile {
		rep.Profile = o.Profile
	}
	// A last result cut off mid-write means the run was killed, whatever
	// run.json had time to say.
	rep.Interrupted = rep.Interrupted || run.stream.Truncated()
	if rep.SelfCheck, err = selfCheck(dir, o); err != nil {
		return nil, err
	}
	return rep, writeReports(dir, rep, run.meta)
}

// judged is what one read of a stored run gives.
type judged struct {
	verdicts []assert.Verdict
	totals   results.Totals
	plots    []string // relative to the run directory
}

// readOnce reads results.bin once and feeds the checks, the totals and the
// plots side by side: decoding is most of what judging costs (package
// fanout).
func readOnce(dir string, run *stored, o JudgeOptions) (*judged, error) {
	var (
		out               judged
		files             []string
		checkErr, drawErr error
	)
	in := run.input(o)
	consumers := []fanout.Consumer[vegeta.Result]{
		func(rs iter.Seq[*vegeta.Result]) error {
			out.verdicts, checkErr = assert.Check(in, rs)
			return nil
		},
		func(rs iter.Seq[*vegeta.Result]) error {
			out.totals = results.Tally(rs)
			return nil
		},
	}
	if !o.NoPlots {
		consumers = append(consumers, func(rs iter.Seq[*vegeta.Result]) error {
			files, drawErr = plots.Draw(filepath.Join(dir, results.PlotsDir), run.plotInput(), rs)
			return nil
		})
	}
	if err := fanout.Share(run.stream.All(), consumers...); err != nil {
		return nil, err
	}
	if err := run.stream.Err(); err != nil {
		return nil, fmt.Errorf("judging %s: %w", dir, err)
	}
	if checkErr != nil {
		return nil, fmt.Errorf("judging %s: %w", dir, checkErr)
	}
	// A run without results has nothing to draw, and says so in its report.
	if drawErr != nil && !errors.Is(drawErr, plots.ErrNoResults) {
		return nil, fmt.Errorf("drawing %s: %w", dir, drawErr)
	}
	for _, f := range files {
		if rel, err := filepath.Rel(dir, f); err == nil {
			f = rel
		}
		out.plots = append(out.plots, f)
	}
	return &out, nil
}

// expectations are the run's expectations, each with tolerance when it is
// positive (kvquota report --tolerance).
func expectations(x []scenarios.Expectation, tolerance float64) []scenarios.Expectation {
	if tolerance <= 0 {
		return x
	}
	x = append(x[:0:0], x...)
	for i := range x {
		x[i].Tolerance = tolerance
	}
	return x
}

// writeReports writes every report file of a judged run.
func writeReports(dir string, rep *results.Report, m *results.Meta) error {
	for _, write := range []func() error{
		func() error { return results.WriteReport(dir, rep) },
		func() error { return results.WriteJUnit(dir, rep) },
		func() error { return results.WriteSummary(dir, rep) },
		func() error { return results.WriteHTML(dir, rep, m) },
	} {
		if err := write(); err != nil {
			return err
		}
	}
	return nil
}

// elapsed formats a duration for status lines.
func elapsed(d time.Duration) string { return d.Round(100 * time.Millisecond).String() }

// input is what the stored run is judged with.
func (run *stored) input(o JudgeOptions) assert.Input {
	return assert.Input{
		Profile:  run.profile,
		Window:   run.meta.Window,
		Start:    run.meta.Start,
		Stages:   run.meta.Stages,
		Expect:   expectations(run.meta.Expect, o.Tolerance),
		Classify: run.classifier(),
	}
}

// selfCheck holds the run's bands against the embedded emulator's own
// record (results.DecisionsFile), under the model it counted by; nil for a
// run without one. It reads results.bin a second time.
func selfCheck(dir string, o JudgeOptions) (*results.SelfCheck, error) {
	ds, err := results.ReadDecisions(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	run, err := openStored(dir, o.Profile)
	if err != nil {
		return nil, err
	}
	sc, err := assert.CheckSelf(run.input(o), run.stream.All(), ds)
	if err != nil {
		return nil, fmt.Errorf("self-check of %s: %w", dir, err)
	}
	return sc, nil
}
