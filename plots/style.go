package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Colours of the outcome lines, chosen to read as their meaning: green for
// success, red for throttling.
var (
	offeredColor   = color.RGBA{R: 0x44, G: 0x44, B: 0x44, A: 0xff}
	succeededColor = color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}
	throttledColor = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	failedColor    = color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}
	weightedColor  = color.RGBA{R: 0x11, G: 0x11, B: 0x11, A: 0xff}
)

// classColors colour the classes' lines and their limits, in class order.
var classColors = []color.RGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, // blue
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // orange
	{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff}, // brown
	{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff}, // pink
	{R: 0xbc, G: 0xbd, B: 0x22, A: 0xff}, // olive
	{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff}, // cyan
}

func classColor(i int) color.Color { return classColors[i%len(classColors)] }

// sans is the typeface of every text: gonum's default is a serif, which
// reads worse at the sizes of axis labels.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// dashes is the pattern of limit lines.
var dashes = []vg.Length{vg.Points(6), vg.Points(4)}

// newPlot returns a plot with the house style: a larger title, labelled
// axes, a light grid behind the data.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 15)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 12)
		a.Tick.Label.Font = font.From(sans, 11)
		a.Tick.Marker = roundTicks{}
	}
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe0}
	g.Horizontal.Color = color.Gray{Y: 0xe0}
	p.Add(g)
	return p
}

// addLine adds a solid (or dashed) line to p and an entry for it to leg.
func addLine(p *plot.Plot, leg *plot.Legend, name string, xys plotter.XYs, c color.Color, width vg.Length, dashed bool) error {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = width
	if dashed {
		l.Dashes = dashes
	}
	p.Add(l)
	leg.Add(name, l)
	return nil
}

// horizontal is a line at y across [x0, x1].
func horizontal(x0, x1, y float64) plotter.XYs {
	return plotter.XYs{{X: x0, Y: y}, {X: x1, Y: y}}
}
