package plots

import "time"

// binning divides a run's time into equal bins, the x axis of every figure
// that counts per interval (throughput, status codes, latency percentiles).
type binning struct {
	// width is the width of a bin in seconds; first is the index of the first
	// bin counted from the start (negative when results were sent before it).
	width, first int64
	n            int
	start        int64 // Unix nanoseconds
}

// bins picks the narrowest width in binWidths that gives at most maxBins
// bins over the run.
func (r *run) bins() binning {
	first, last := min(r.start, r.recs[0].at), r.recs[len(r.recs)-1].at
	span := float64(last-first) / float64(time.Second)
	width := binWidths[len(binWidths)-1]
	for _, w := range binWidths {
		if span/float64(w) <= maxBins {
			width = w
			break
		}
	}
	b := binning{width: width, start: r.start}
	b.first = floorDiv(first-r.start, width*int64(time.Second))
	b.n = int(floorDiv(last-r.start, width*int64(time.Second)) - b.first + 1)
	return b
}

// index is the bin holding time t, from 0.
func (b binning) index(t int64) int {
	return int(floorDiv(t-b.start, b.width*int64(time.Second)) - b.first)
}

// edges are bin i's start and end in seconds since the start.
func (b binning) edges(i int) (float64, float64) {
	x0 := float64((b.first + int64(i)) * b.width)
	return x0, x0 + float64(b.width)
}

// mid is the middle of bin i in seconds since the start.
func (b binning) mid(i int) float64 {
	x0, x1 := b.edges(i)
	return (x0 + x1) / 2
}
