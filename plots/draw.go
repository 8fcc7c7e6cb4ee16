package plots

import (
	"fmt"
	"image/color"
	"io"
	"iter"
	"os"
	"path/filepath"
	"sync"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Draw writes the figures of a run into dir, which it creates, and returns
// the paths of the files written, each figure as .png and .svg (the formats
// WithFormats chose): throughput, window, latency and status. A run none of whose requests could be
// classified has no window figure. A run without results is ErrNoResults.
func Draw(dir string, in Input, results iter.Seq[*vegeta.Result], opts ...Option) ([]string, error) {
	cfg := defaults()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	r, err := reduce(&in, results)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	type figure struct {
		name string
		make func(*Input) (*plot.Plot, plot.Legend, error)
	}
	figures := []figure{{"throughput", r.throughputPlot}}
	if len(r.classes) > 0 {
		figures = append(figures, figure{"window", r.windowPlot})
	}
	figures = append(figures, figure{"latency", r.latencyPlot}, figure{"status", r.statusPlot})
	// The figures are drawn at once, each on its own goroutine: they only
	// read the reduced run, and rasterizing a PNG is the bulk of the time
	// (half a second a figure under -race), so a machine with cores to
	// spare draws a run's four figures in the time of the slowest. The
	// files are returned in figure order; on an error, those of the figures
	// before the first that failed (others may have been written too).
	type drawn struct {
		files []string
		err   error
	}
	out := make([]drawn, len(figures))
	var wg sync.WaitGroup
	for i, f := range figures {
		wg.Go(func() {
			p, leg, err := f.make(&in)
			if err != nil {
				out[i].err = fmt.Errorf("plots: %s figure: %w", f.name, err)
				return
			}
			for _, format := range cfg.formats {
				path := filepath.Join(dir, f.name+"."+format)
				if err := save(path, format, cfg, p, leg); err != nil {
					out[i].err = err
					return
				}
				out[i].files = append(out[i].files, path)
			}
		})
	}
	wg.Wait()
	var files []string
	for _, d := range out {
		files = append(files, d.files...)
		if d.err != nil {
			return files, d.err
		}
	}
	return files, nil
}

// save renders one figure into one file.
func save(path, format string, cfg config, p *plot.Plot, leg plot.Legend) (err error) {
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch format {
	case "png":
		c = fastPNG{vgimg.NewWith(vgimg.UseWH(cfg.width, cfg.height), vgimg.UseDPI(cfg.dpi))}
	case "svg":
		c = vgsvg.New(cfg.width, cfg.height)
	default:
		return fmt.Errorf("plots: unknown format %q", format)
	}
	render(p, leg, draw.New(c))
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("plots: %w", cerr)
		}
	}()
	if _, err := c.WriteTo(f); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	return nil
}

// render draws the plot with its legend to the right of the data, where it
// can never hide a line, whatever the run looked like.
func render(p *plot.Plot, leg plot.Legend, c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	leg.Top, leg.Left = true, true
	leg.TextStyle.Font = font.From(sans, 11)
	leg.Padding = vg.Points(3)
	gap := vg.Points(12)
	width := leg.Rectangle(c).Size().X + gap
	p.Draw(draw.Crop(c, 0, -width, 0, 0))
	// Below the title, level with the top of the data.
	top := p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding + vg.Points(4)
	leg.Draw(draw.Crop(c, c.Size().X-width+gap, 0, 0, -top))
}
