package plots

import (
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// percentiles are the latency percentiles the latency figure draws, with
// their colours: light to dark as the tail gets longer.
var percentiles = []struct {
	q     float64
	name  string
	color color.RGBA
}{
	{0.50, "p50", color.RGBA{R: 0x6b, G: 0xae, B: 0xd6, A: 0xff}},
	{0.90, "p90", color.RGBA{R: 0x21, G: 0x71, B: 0xb5, A: 0xff}},
	{0.99, "p99", color.RGBA{R: 0x08, G: 0x30, B: 0x6b, A: 0xff}},
}

// latencyCurves returns, per bin that holds an answered request, the bin's
// middle and the latency percentiles in milliseconds. Requests without a
// response are left out: their "latency" is a timeout, not the target's.
// Records are sorted by send time, so each bin is one run of records and a
// single scratch slice serves them all.
func (r *run) latencyCurves() (b binning, xs []float64, qs [][]float64) {
	b = r.bins()
	qs = make([][]float64, len(percentiles))
	var scratch []uint32
	flush := func(bin int) {
		if len(scratch) == 0 {
			return
		}
		slices.Sort(scratch)
		xs = append(xs, b.mid(bin))
		for k, p := range percentiles {
			qs[k] = append(qs[k], float64(scratch[rank(len(scratch), p.q)])/microsPerMilli)
		}
		scratch = scratch[:0]
	}
	cur := 0
	for _, rec := range r.recs {
		if i := b.index(rec.at); i != cur {
			flush(cur)
			cur = i
		}
		if rec.status != statusNone {
			scratch = append(scratch, rec.lat)
		}
	}
	flush(cur)
	return b, xs, qs
}

// rank is the nearest-rank index of quantile q among n sorted values.
func rank(n int, q float64) int {
	k := int(q*float64(n)+0.999999999) - 1
	return min(max(k, 0), n-1)
}

// latencyPlot draws the p50, p90 and p99 latency per bin.
func (r *run) latencyPlot(in *Input) (*plot.Plot, plot.Legend, error) {
	b, xs, qs := r.latencyCurves()
	yLabel := "latency of answered requests (ms)"
	if b.width > 1 {
		yLabel = fmt.Sprintf("latency of answered requests (ms, per %d s)", b.width)
	}
	p := newPlot(in.title(), "time since start (s)", yLabel)
	leg := plot.NewLegend()
	top := 0.0
	for k, pc := range percentiles {
		xys := make(plotter.XYs, len(xs))
		for i, x := range xs {
			xys[i] = plotter.XY{X: x, Y: qs[k][i]}
			top = max(top, qs[k][i])
		}
		if len(xys) == 0 {
			continue
		}
		if err := addLine(p, &leg, pc.name, xys, pc.color, vg.Length(1.5+float64(k)*0.5), false); err != nil {
			return nil, leg, err
		}
	}
	x0, _ := b.edges(0)
	_, x1 := b.edges(b.n - 1)
	p.X.Min, p.X.Max = x0, x1
	p.Y.Min, p.Y.Max = 0, max(1, top*1.1)
	return p, leg, nil
}
