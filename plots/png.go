package plots

import (
	"image/png"
	"io"

	"gonum.org/v1/plot/vg/vgimg"
)

// fastPNG is vgimg.PngCanvas encoded at png.BestSpeed. Plots of a few
// flat-coloured lines compress well at any level, and at the default level
// the encoder's deflate was the largest single cost of drawing a run's
// plots. BestSpeed drew a 5,000-result run's eight files in 113 ms against
// 140 ms (BenchmarkDrawSmallRun, 2 cores), for PNGs about 5% larger.
type fastPNG struct{ *vgimg.Canvas }

// WriteTo writes the canvas to w as a PNG, as vgimg.PngCanvas.WriteTo does.
func (c fastPNG) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	err := enc.Encode(cw, c.Image())
	return cw.n, err
}

// countingWriter counts the bytes written through it, for WriteTo's count.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
