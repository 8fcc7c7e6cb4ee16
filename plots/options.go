package plots

import (
	"fmt"

	"gonum.org/v1/plot/vg"
)

// config is what the options set.
type config struct {
	width, height vg.Length
	dpi           int
	formats       []string
}

func defaults() config {
	return config{width: 10 * vg.Inch, height: 5 * vg.Inch, dpi: 96, formats: []string{"png", "svg"}}
}

// Option changes how Draw renders.
type Option func(*config) error

// WithSize sets the size of every figure (default 10 x 5 inches).
func WithSize(width, height vg.Length) Option {
	return func(c *config) error {
		if width < vg.Inch || height < vg.Inch || width > 100*vg.Inch || height > 100*vg.Inch {
			return fmt.Errorf("plots: figure size %.1fx%.1f in is out of range (1 to 100 inches a side)", width/vg.Inch, height/vg.Inch)
		}
		c.width, c.height = width, height
		return nil
	}
}

// WithDPI sets the resolution of PNG figures (default 96 dots per inch).
func WithDPI(dpi int) Option {
	return func(c *config) error {
		if dpi < 24 || dpi > 1200 {
			return fmt.Errorf("plots: %d dpi is out of range (24 to 1200)", dpi)
		}
		c.dpi = dpi
		return nil
	}
}

// WithFormats chooses the files written per figure among "png" and "svg"
// (default both).
func WithFormats(formats ...string) Option {
	return func(c *config) error {
		if len(formats) == 0 {
			return fmt.Errorf("plots: no format given (known: png, svg)")
		}
		for _, f := range formats {
			if f != "png" && f != "svg" {
				return fmt.Errorf("plots: unknown format %q (known: png, svg)", f)
			}
		}
		c.formats = formats
		return nil
	}
}

// CheckOptions reports the first option that Draw or Compare would refuse,
// so a command can reject a bad flag before reading a run.
func CheckOptions(opts ...Option) error {
	cfg := defaults()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return err
		}
	}
	return nil
}
