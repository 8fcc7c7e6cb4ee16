package plots

import (
	"fmt"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/kvquota/kvquota/limits"
)

// maxSamples bounds the points of a window curve: enough for a smooth line at
// any size a report uses, few enough that an hour-long run's SVG stays small.
const maxSamples = 4000

// windowCurves samples what the target's window held over the run: for each
// class, the successes in the window at each sample time. Sliding, the window
// at t is (t-W, t]; fixed, it is the epoch-aligned bucket holding t, up to t.
// Fixed curves get a sample on each side of every bucket boundary so the drop
// to zero is drawn where it happens.
func (r *run) windowCurves(model limits.WindowModel, window time.Duration) (times []int64, counts [][]float64) {
	w := int64(window)
	first, last := min(r.start, r.recs[0].at), r.recs[len(r.recs)-1].at
	step := max(w/100, (last-first)/maxSamples, 1)
	for t := first; t < last; t += step {
		times = append(times, t)
	}
	times = append(times, last)
	windowStart := func(t int64) int64 { return t - w + 1 }
	if model == limits.Fixed {
		windowStart = func(t int64) int64 { return floorDiv(t, w) * w }
		for b := windowStart(first) + w; b <= last; b += w {
			times = append(times, b-1, b)
		}
		slices.Sort(times)
	}
	counts = make([][]float64, len(r.classes))
	for i := range counts {
		counts[i] = make([]float64, len(times))
	}
	cur := make([]float64, len(r.classes))
	head, tail := 0, 0
	for k, t := range times {
		for head < len(r.recs) && r.recs[head].at <= t {
			if rec := r.recs[head]; rec.kind == succeeded && rec.class != noClass {
				cur[rec.class]++
			}
			head++
		}
		lo := windowStart(t)
		for tail < head && r.recs[tail].at < lo {
			if rec := r.recs[tail]; rec.kind == succeeded && rec.class != noClass {
				cur[rec.class]--
			}
			tail++
		}
		for c := range cur {
			counts[c][k] = cur[c]
		}
	}
	return times, counts
}

// windowPlot draws the window's successes per class against the limit. One
// class is drawn in successes; a mix in percent of each class's limit, with
// the weighted sum (each success costing 1/limit) the documentation says Key
// Vault enforces.
func (r *run) windowPlot(in *Input) (*plot.Plot, plot.Legend, error) {
	times, counts := r.windowCurves(in.Window, in.Profile.Window)
	what := fmt.Sprintf("successes in the trailing %v window", in.Profile.Window)
	if in.Window == limits.Fixed {
		what = fmt.Sprintf("successes so far in the fixed %v bucket", in.Profile.Window)
	}
	percent := len(r.classes) > 1
	if percent {
		what += " (% of limit)"
	}
	p := newPlot(in.title(), "time since start (s)", what)
	leg := plot.NewLegend()
	x0, x1 := r.seconds(times[0]), r.seconds(times[len(times)-1])
	top := 0.0
	scale := func(c int) float64 {
		if percent {
			return 100 / float64(r.limits[c])
		}
		return 1
	}
	for c, cls := range r.classes {
		xys := make(plotter.XYs, len(times))
		for k, t := range times {
			xys[k] = plotter.XY{X: r.seconds(t), Y: counts[c][k] * scale(c)}
			top = max(top, xys[k].Y)
		}
		if err := addLine(p, &leg, string(cls), xys, classColor(c), 2, false); err != nil {
			return nil, leg, err
		}
	}
	if percent && !in.PerClass {
		xys := make(plotter.XYs, len(times))
		for k, t := range times {
			sum := 0.0
			for c := range r.classes {
				sum += counts[c][k] * scale(c)
			}
			xys[k] = plotter.XY{X: r.seconds(t), Y: sum}
			top = max(top, sum)
		}
		if err := addLine(p, &leg, "weighted sum (enforced)", xys, weightedColor, 1.5, false); err != nil {
			return nil, leg, err
		}
	}
	if percent {
		top = max(top, 100)
		if err := addLine(p, &leg, "limit (100%)", horizontal(x0, x1, 100), weightedColor, 1.5, true); err != nil {
			return nil, leg, err
		}
	} else {
		l := float64(r.limits[0])
		top = max(top, l)
		// Black, not the class's colour: a conforming run's curve lies on it.
		if err := addLine(p, &leg, fmt.Sprintf("limit %s (%d)", r.classes[0], r.limits[0]), horizontal(x0, x1, l), weightedColor, 1.5, true); err != nil {
			return nil, leg, err
		}
	}
	p.X.Min, p.X.Max = x0, x1
	p.Y.Min, p.Y.Max = 0, top*1.1
	return p, leg, nil
}
