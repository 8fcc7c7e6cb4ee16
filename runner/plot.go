package runner

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/kvquota/kvquota/plots"
	"github.com/kvquota/kvquota/results"
)

// Plot redraws the figures of the run stored in dir into dir/plots (or out,
// when given), against the run's own profile, without judging it again.
func Plot(dir, out string, opts ...plots.Option) ([]string, error) {
	if err := plots.CheckOptions(opts...); err != nil {
		return nil, err
	}
	run, err := openStored(dir, "")
	if err != nil {
		return nil, err
	}
	if out == "" {
		out = filepath.Join(dir, results.PlotsDir)
	}
	files, err := plots.Draw(out, run.plotInput(), run.stream.All(), opts...)
	if err == nil {
		err = run.stream.Err()
	}
	if err != nil {
		return files, fmt.Errorf("drawing %s: %w", dir, err)
	}
	return files, nil
}

// Compare draws the throughput of the runs stored in dirs on one figure,
// compare.png and .svg in out, each run labelled by its directory's name
// and what was changed on its target.
func Compare(out string, dirs []string, opts ...plots.Option) ([]string, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("compare: no run directory given")
	}
	if err := plots.CheckOptions(opts...); err != nil {
		return nil, err
	}
	runs := make([]plots.Series, 0, len(dirs))
	for _, dir := range dirs {
		run, err := openStored(dir, "")
		if err != nil {
			return nil, err
		}
		label := filepath.Base(filepath.Clean(dir))
		for _, c := range slices.Sorted(maps.Keys(run.meta.TargetLimits)) {
			label += fmt.Sprintf(" (target %s=%d)", c, run.meta.TargetLimits[c])
		}
		runs = append(runs, plots.Series{
			Label:   label,
			Input:   run.plotInput(),
			Results: run.stream.All(),
			Err:     run.stream.Err,
		})
	}
	return plots.Compare(out, runs, opts...)
}
