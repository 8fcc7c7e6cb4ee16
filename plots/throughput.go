package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// rates holds requests by outcome per bin of time since the start, as
// requests per second.
type rates struct {
	// bin is the width of a bin in seconds; first is the index of the first
	// bin (negative when results were sent before the start).
	bin, first                           int64
	offered, succeeded, throttled, other []float64
}

// maxBins bounds the bins of the throughput figure. Per second, a long run's
// lines would merge into a solid band (a saturated sliding target alternates
// bursts of successes and 429s); wider bins average them out.
const maxBins = 240

// binWidths are the bin widths, in seconds, the throughput figure picks from.
var binWidths = []int64{1, 2, 5, 10, 20, 30, 60, 120, 300, 600}

// rates bins the run by the narrowest width in binWidths that gives at most
// maxBins bins, and divides each count by the width.
func (r *run) rates() rates {
	b := r.bins()
	bin, lo, n := b.width, b.first, b.n
	s := rates{
		bin: bin, first: lo,
		offered:   make([]float64, n),
		succeeded: make([]float64, n),
		throttled: make([]float64, n),
		other:     make([]float64, n),
	}
	per := 1 / float64(bin)
	for _, rec := range r.recs {
		i := b.index(rec.at)
		s.offered[i] += per
		switch rec.kind {
		case succeeded:
			s.succeeded[i] += per
		case throttled:
			s.throttled[i] += per
		default:
			s.other[i] += per
		}
	}
	return s
}

// xys places each bin's rate at the middle of its bin, in seconds since the start.
func (s rates) xys(values []float64) plotter.XYs {
	xys := make(plotter.XYs, len(values))
	for i, v := range values {
		xys[i] = plotter.XY{X: (float64(s.first+int64(i)) + 0.5) * float64(s.bin), Y: v}
	}
	return xys
}

// span returns the start and end of the bins, in seconds since the start.
func (s rates) span() (float64, float64) {
	return float64(s.first * s.bin), float64((s.first + int64(len(s.offered))) * s.bin)
}

// throughputPlot draws offered, succeeded, throttled and other requests per
// second, and each class's documented limit rate, dashed.
func (r *run) throughputPlot(in *Input) (*plot.Plot, plot.Legend, error) {
	s := r.rates()
	yLabel := "requests per second (req/s)"
	if s.bin > 1 {
		yLabel = fmt.Sprintf("requests per second (req/s, mean over %d s)", s.bin)
	}
	p := newPlot(in.title(), "time since start (s)", yLabel)
	leg := plot.NewLegend()
	for _, l := range []struct {
		name   string
		counts []float64
		color  color.Color
		width  vg.Length
	}{
		{"offered (sent)", s.offered, offeredColor, 1.5},
		{"succeeded (2xx)", s.succeeded, succeededColor, 2.5},
		{"throttled (429)", s.throttled, throttledColor, 1.5},
		{"other errors", s.other, failedColor, 1.5},
	} {
		if err := addLine(p, &leg, l.name, s.xys(l.counts), l.color, l.width, false); err != nil {
			return nil, leg, err
		}
	}
	x0, x1 := s.span()
	top := 0.0
	for _, c := range s.offered {
		top = max(top, c)
	}
	w := in.Profile.Window.Seconds()
	for i, c := range r.classes {
		rate := float64(r.limits[i]) / w
		top = max(top, rate)
		name := fmt.Sprintf("limit %s (%s/s)", c, trim(rate))
		if err := addLine(p, &leg, name, horizontal(x0, x1, rate), classColor(i), 1.5, true); err != nil {
			return nil, leg, err
		}
	}
	if rate, ok := r.mixLimitRate(in); ok {
		name := fmt.Sprintf("limit of this mix, weighted (%s/s)", trim(rate))
		if err := addLine(p, &leg, name, horizontal(x0, x1, rate), weightedColor, 1.5, true); err != nil {
			return nil, leg, err
		}
	}
	p.X.Min, p.X.Max = x0, x1
	p.Y.Min, p.Y.Max = 0, max(1, top*1.1)
	return p, leg, nil
}

// trim prints a figure to two decimals at most, without needless zeros: 400,
// 30, 0.5, 33.33.
func trim(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// mixLimitRate is the offered rate at which the run's mix of classes fills
// one window exactly under weighted enforcement: 1 / (W * the average cost of
// a request), the mix taken from what was sent. It is only drawn for a mix
// judged on its weighted sum.
func (r *run) mixLimitRate(in *Input) (float64, bool) {
	if len(r.classes) < 2 || in.PerClass {
		return 0, false
	}
	sent := make([]int, len(r.classes))
	total := 0
	for _, rec := range r.recs {
		if rec.class != noClass {
			sent[rec.class]++
			total++
		}
	}
	cost := 0.0
	for c, n := range sent {
		cost += float64(n) / float64(total) / float64(r.limits[c])
	}
	return 1 / (in.Profile.Window.Seconds() * cost), true
}
