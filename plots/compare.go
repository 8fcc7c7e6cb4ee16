package plots

import (
	"errors"
	"fmt"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"gonum.org/v1/plot"
)

// Series is one run in a comparison.
type Series struct {
	// Label names the run in the legend (its directory, say).
	Label string
	// Input is what the run was; its Profile's limits are drawn.
	Input Input
	// Results are the run's results; Err, when set, is asked after reading
	// them for an error that ended the stream early.
	Results iter.Seq[*vegeta.Result]
	Err     func() error
}

// Compare draws the throughput of several runs on one figure and writes it
// into dir as compare.png and .svg (the formats chosen), returning the
// paths. Each run gets a colour: its successes per second as a solid line,
// its 429s per second as a thin dashed line, each against time since its
// own start. The documented limit rates of the runs' profiles are black
// dashed lines, so a run whose target enforced the wrong limit stands off
// the line while a conforming one settles on it. The runs are read one at a
// time; each costs 16 bytes a result while it is binned.
func Compare(dir string, runs []Series, opts ...Option) ([]string, error) {
	cfg := defaults()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if len(runs) == 0 {
		return nil, errors.New("plots: nothing to compare")
	}
	c, err := gather(runs)
	if err != nil {
		return nil, err
	}
	curves, limitRates, x0, x1, top := c.curves, c.limitRates, c.x0, c.x1, c.top
	scenarios, profileNames := c.scenarios, c.profiles
	title := fmt.Sprintf("%s — %d runs compared, profile %s", strings.Join(scenarios, ", "), len(runs), strings.Join(profileNames, ", "))
	p := newPlot(title, "time since each run's start (s)", "requests per second (req/s)")
	leg := plot.NewLegend()
	for i, c := range curves {
		col := classColor(i)
		if err := addLine(p, &leg, c.label+": succeeded", c.rates.xys(c.rates.succeeded), col, 2.5, false); err != nil {
			return nil, err
		}
		if err := addLine(p, &leg, c.label+": throttled (429)", c.rates.xys(c.rates.throttled), col, 1, true); err != nil {
			return nil, err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(limitRates)) {
		rate := limitRates[name]
		top = max(top, rate)
		if err := addLine(p, &leg, name, horizontal(x0, x1, rate), weightedColor, 1.5, true); err != nil {
			return nil, err
		}
	}
	p.X.Min, p.X.Max = x0, x1
	p.Y.Min, p.Y.Max = 0, max(1, top*1.1)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	var files []string
	for _, format := range cfg.formats {
		path := filepath.Join(dir, "compare."+format)
		if err := save(path, format, cfg, p, leg); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

// comparison is what the runs of a Compare bring to its figure.
type comparison struct {
	curves     []curve
	scenarios  []string
	profiles   []string
	limitRates map[string]float64 // legend name: limit per second
	x0, x1     float64
	top        float64
}

// curve is one run's rates.
type curve struct {
	label string
	rates rates
}

// gather reads the runs one at a time into their curves and limit lines.
func gather(runs []Series) (*comparison, error) {
	c := &comparison{limitRates: map[string]float64{}}
	for i := range runs {
		s := &runs[i]
		if err := s.Input.validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Label, err)
		}
		r, err := reduce(&s.Input, s.Results)
		if err == nil && s.Err != nil {
			err = s.Err()
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Label, err)
		}
		rs := r.rates()
		c.curves = append(c.curves, curve{s.Label, rs})
		a, b := rs.span()
		c.x0, c.x1 = min(c.x0, a), max(c.x1, b)
		for _, v := range rs.offered {
			c.top = max(c.top, v)
		}
		if !slices.Contains(c.scenarios, s.Input.Scenario) {
			c.scenarios = append(c.scenarios, s.Input.Scenario)
		}
		if !slices.Contains(c.profiles, s.Input.Profile.Name) {
			c.profiles = append(c.profiles, s.Input.Profile.Name)
		}
		w := s.Input.Profile.Window.Seconds()
		for k, cl := range r.classes {
			name := fmt.Sprintf("documented limit %s, profile %s (%s/s)", cl, s.Input.Profile.Name, trim(float64(r.limits[k])/w))
			c.limitRates[name] = float64(r.limits[k]) / w
		}
	}
	return c, nil
}
