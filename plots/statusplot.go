package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// statusCounts counts requests per bin and status group, as requests per
// second.
func (r *run) statusCounts() (binning, [statusGroups][]float64) {
	b := r.bins()
	var counts [statusGroups][]float64
	for g := range counts {
		counts[g] = make([]float64, b.n)
	}
	per := 1 / float64(b.width)
	for _, rec := range r.recs {
		counts[rec.status][b.index(rec.at)] += per
	}
	return b, counts
}

// statusPlot stacks the status groups per bin, 2xx at the bottom, so the
// top edge is the rate sent and each band's height is its share: where the
// red 429 band begins is where throttling began, and any other colour is a
// failure worth reading the report for. Groups that never occur are left
// out of the figure and its legend.
func (r *run) statusPlot(in *Input) (*plot.Plot, plot.Legend, error) {
	b, counts := r.statusCounts()
	yLabel := "responses per second by status (req/s, stacked)"
	if b.width > 1 {
		yLabel = fmt.Sprintf("responses per second by status (req/s, stacked, mean over %d s)", b.width)
	}
	p := newPlot(in.title(), "time since start (s)", yLabel)
	leg := plot.NewLegend()
	below := make([]float64, b.n)
	top := 0.0
	for g := range status(statusGroups) {
		c := counts[g]
		any := false
		for _, v := range c {
			any = any || v > 0
		}
		if !any {
			continue
		}
		// A step band: the upper edge left to right, the lower edge back.
		band := make(plotter.XYs, 0, 4*b.n)
		for i := range b.n {
			x0, x1 := b.edges(i)
			band = append(band, plotter.XY{X: x0, Y: below[i] + c[i]}, plotter.XY{X: x1, Y: below[i] + c[i]})
		}
		for i := b.n - 1; i >= 0; i-- {
			x0, x1 := b.edges(i)
			band = append(band, plotter.XY{X: x1, Y: below[i]}, plotter.XY{X: x0, Y: below[i]})
		}
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return nil, leg, err
		}
		poly.Color = statusFills[g]
		poly.LineStyle.Width = 0
		p.Add(poly)
		leg.Add(statusNames[g], poly)
		for i := range below {
			below[i] += c[i]
			top = max(top, below[i])
		}
	}
	x0, _ := b.edges(0)
	_, x1 := b.edges(b.n - 1)
	p.X.Min, p.X.Max = x0, x1
	p.Y.Min, p.Y.Max = 0, max(1, top*1.05)
	return p, leg, nil
}
