package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// JudgeOptions set the judging benchmark.
type JudgeOptions struct {
	// Results is how many results the stored run holds (default 1,000,000).
	Results int
	// Command is the report command to time, given the run directory as its
	// last argument, e.g. {"/path/to/kvquota", "report"}.
	Command []string
	// Dir holds the synthetic run (a temporary directory when empty; it is
	// removed afterwards only if it was temporary).
	Dir string
	// MaxSeconds and MaxMB are the targets (default 3 s and 300 MB).
	MaxSeconds, MaxMB float64
}

func (o *JudgeOptions) defaults() {
	if o.Results <= 0 {
		o.Results = 1_000_000
	}
	if o.MaxSeconds <= 0 {
		o.MaxSeconds = 3
	}
	if o.MaxMB <= 0 {
		o.MaxMB = 300
	}
}

// Judge stores a synthetic run of o.Results results and times the report
// command over it in a child process, whose peak resident memory the kernel
// reports on its exit: the figure is the whole command's, from reading
// results.bin to writing the plots and report.html.
func Judge(ctx context.Context, o JudgeOptions) ([]Figure, error) {
	o.defaults()
	if len(o.Command) == 0 {
		return nil, fmt.Errorf("bench: no report command to time")
	}
	dir := o.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "kvquota-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		dir = filepath.Join(tmp, "run")
	}
	if err := WriteSyntheticRun(dir, o.Results); err != nil {
		return nil, fmt.Errorf("writing the synthetic run: %w", err)
	}
	size := int64(0)
	if fi, err := os.Stat(filepath.Join(dir, "results.bin")); err == nil {
		size = fi.Size()
	}

	args := append(append([]string(nil), o.Command[1:]...), dir)
	cmd := exec.CommandContext(ctx, o.Command[0], args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	began := time.Now()
	err := cmd.Run()
	took := time.Since(began)
	if err != nil {
		return nil, fmt.Errorf("%s: %w\n%s", cmd, err, out.Bytes())
	}
	rss := peakRSS(cmd.ProcessState)
	detail := fmt.Sprintf("%d results (%.0f MB results.bin), every check passed", o.Results, float64(size)/1e6)
	figs := []Figure{atMost(fmt.Sprintf("report of %d results: time", o.Results), took.Seconds(), o.MaxSeconds, "s", detail)}
	if rss > 0 {
		figs = append(figs, atMost(fmt.Sprintf("report of %d results: peak memory", o.Results), float64(rss)/1e6, o.MaxMB, "MB", "peak resident set of the report process"))
	}
	return figs, nil
}
