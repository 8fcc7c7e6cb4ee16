package plots_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	_ "image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"gonum.org/v1/plot/vg"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plots"
)

func onsetRun() []*vegeta.Result {
	return attack(smallProfile(), limits.Sliding, 0,
		stage{10 * time.Second, 50, 50}, stage{20 * time.Second, 50, 200}, stage{10 * time.Second, 200, 200})
}

func onsetInput() plots.Input {
	return plots.Input{Scenario: "secrets-onset", Start: start, Profile: smallProfile(), Window: limits.Sliding}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, format, err := image.Decode(f)
	require.NoError(t, err, path)
	require.Equal(t, "png", format)
	return img
}

// colors counts the pixels of each colour.
func colors(t *testing.T, img image.Image) map[color.RGBA]int {
	rgba, ok := img.(*image.RGBA)
	require.True(t, ok, "gonum writes opaque RGBA PNGs, got %T", img)
	n := make(map[color.RGBA]int)
	for i := 0; i+3 < len(rgba.Pix); i += 4 {
		p := rgba.Pix[i : i+4 : i+4]
		n[color.RGBA{R: p[0], G: p[1], B: p[2], A: p[3]}]++
	}
	return n
}

func TestDrawWritesBothFiguresAsPNGAndSVG(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "run", "plots") // Draw creates it
	files, err := plots.Draw(dir, onsetInput(), seq(onsetRun()))
	require.NoError(t, err)
	require.Equal(t, []string{
		filepath.Join(dir, "throughput.png"), filepath.Join(dir, "throughput.svg"),
		filepath.Join(dir, "window.png"), filepath.Join(dir, "window.svg"),
		filepath.Join(dir, "latency.png"), filepath.Join(dir, "latency.svg"),
		filepath.Join(dir, "status.png"), filepath.Join(dir, "status.svg"),
	}, files)

	green := color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff} // succeeded
	red := color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}   // throttled
	blue := color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}  // the secrets class and its limit
	for _, f := range []string{files[0], files[2]} {
		img := decodePNG(t, f)
		require.Equal(t, image.Rect(0, 0, 960, 480), img.Bounds(), "10 x 5 in at 96 dpi")
		n := colors(t, img)
		require.Greater(t, n[color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}], 960*480/2, "a white background")
		require.Greater(t, len(n), 50, "lines, text and anti-aliasing")
		require.Greater(t, n[blue], 200, "%s: the secrets line (and, in throughput, its limit) in the class colour", f)
		if strings.HasSuffix(f, "throughput.png") {
			require.Greater(t, n[green], 500, "the succeeded line")
			require.Greater(t, n[red], 200, "the throttled line")
		}
	}
	for f, want := range map[string][]string{
		files[1]: {"secrets-onset — profile 2021, sliding window (limits overridden)", "time since start (s)", "requests per second (req/s)",
			"offered (sent)", "succeeded (2xx)", "throttled (429)", "other errors", "limit secrets (100/s)"},
		files[3]: {"successes in the trailing 10s window", "limit secrets (1000)"},
	} {
		svg := readSVG(t, f)
		for _, w := range want {
			require.Contains(t, svg, w, f)
		}
	}
}

// readSVG checks that the file is well-formed XML and returns its text.
func readSVG(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	d := xml.NewDecoder(bytes.NewReader(b))
	var text strings.Builder
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, path)
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
		case xml.CharData:
			text.Write(tok)
			text.WriteByte('\n')
		}
	}
	require.Equal(t, "svg", root)
	return text.String()
}

func TestDrawOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files, err := plots.Draw(dir, onsetInput(), seq(onsetRun()),
		plots.WithSize(6*vg.Inch, 4*vg.Inch), plots.WithDPI(50), plots.WithFormats("png"))
	require.NoError(t, err)
	require.Equal(t, []string{filepath.Join(dir, "throughput.png"), filepath.Join(dir, "window.png"),
		filepath.Join(dir, "latency.png"), filepath.Join(dir, "status.png")}, files)
	require.Equal(t, image.Rect(0, 0, 300, 200), decodePNG(t, files[0]).Bounds())

	for _, o := range []plots.Option{
		plots.WithSize(0, 4*vg.Inch), plots.WithDPI(0), plots.WithFormats("gif"), plots.WithFormats(),
	} {
		_, err := plots.Draw(t.TempDir(), onsetInput(), seq(onsetRun()), o)
		require.Error(t, err)
	}
}

func TestDrawIsTheSameWhateverTheOrderOfResults(t *testing.T) {
	t.Parallel()
	rs := onsetRun()
	a, b := t.TempDir(), t.TempDir()
	small := []plots.Option{plots.WithFormats("png"), plots.WithSize(4*vg.Inch, 2*vg.Inch), plots.WithDPI(48)}
	_, err := plots.Draw(a, onsetInput(), seq(rs), small...)
	require.NoError(t, err)
	shuffled := slices.Clone(rs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	_, err = plots.Draw(b, onsetInput(), seq(shuffled), small...)
	require.NoError(t, err)
	for _, f := range []string{"throughput.png", "window.png"} {
		x, err := os.ReadFile(filepath.Join(a, f))
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, f))
		require.NoError(t, err)
		require.True(t, bytes.Equal(x, y), f)
	}
}

func TestDrawAMixInPercentOfEachLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rs := attack(smallProfile(), limits.Fixed, 10, stage{30 * time.Second, 200, 200})
	in := plots.Input{Scenario: "mix", Start: start, Profile: smallProfile(), Window: limits.Fixed}
	files, err := plots.Draw(dir, in, seq(rs), plots.WithFormats("svg"))
	require.NoError(t, err)
	th, win := readSVG(t, files[0]), readSVG(t, files[1])
	require.Contains(t, th, "limit secrets-create (10/s)")
	require.Contains(t, th, "limit of this mix, weighted (52.63/s)")
	require.Contains(t, win, "successes so far in the fixed 10s bucket (% of limit)")
	require.Contains(t, win, "weighted sum (enforced)")
	require.Contains(t, win, "limit (100%)")

	in.PerClass = true
	files, err = plots.Draw(dir, in, seq(rs), plots.WithFormats("svg"))
	require.NoError(t, err)
	require.NotContains(t, readSVG(t, files[1]), "weighted sum")
}

func TestDrawWithoutClassifiedRequestsHasNoWindowFigure(t *testing.T) {
	t.Parallel()
	rs := []*vegeta.Result{{Timestamp: start, Method: "POST", URL: "https://127.0.0.1/keys/k/create", Code: 200}}
	files, err := plots.Draw(t.TempDir(), onsetInput(), seq(rs), plots.WithFormats("svg"))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	require.Equal(t, []string{"throughput.svg", "latency.svg", "status.svg"}, names)
}

func TestDrawBadInput(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "never")
	_, err := plots.Draw(dir, onsetInput(), seq(nil))
	require.ErrorIs(t, err, plots.ErrNoResults)
	require.NoDirExists(t, dir, "nothing is written for an empty run")

	in := onsetInput()
	in.Profile = nil
	_, err = plots.Draw(dir, in, seq(onsetRun()))
	require.ErrorContains(t, err, "no limits profile")

	in = onsetInput()
	in.Window = "tumbling"
	_, err = plots.Draw(dir, in, seq(onsetRun()))
	require.ErrorContains(t, err, `unknown window model "tumbling"`)

	_, err = plots.Draw(dir, onsetInput(), seq([]*vegeta.Result{nil}))
	require.ErrorContains(t, err, "result 1 is nil")

	_, err = plots.Draw(dir, onsetInput(), seq([]*vegeta.Result{{URL: getURL}}))
	require.ErrorContains(t, err, "no usable timestamp")

	_, err = plots.Draw(dir, onsetInput(), seq([]*vegeta.Result{
		{Timestamp: start, URL: getURL}, {Timestamp: start.Add(48 * time.Hour), URL: getURL},
	}))
	require.ErrorContains(t, err, "are the timestamps right?")

	in = onsetInput()
	in.Classify = func(string, string) (limits.Class, bool) { return "widgets", true }
	_, err = plots.Draw(dir, in, seq(onsetRun()))
	require.ErrorContains(t, err, `no limit for class "widgets"`)

	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err = plots.Draw(file, onsetInput(), seq(onsetRun()))
	require.Error(t, err, "dir is a file")
}

func TestDrawASingleResult(t *testing.T) {
	t.Parallel()
	rs := []*vegeta.Result{{Timestamp: start, Method: "GET", URL: getURL, Code: 200}}
	files, err := plots.Draw(t.TempDir(), onsetInput(), seq(rs), plots.WithSize(3*vg.Inch, 2*vg.Inch), plots.WithDPI(48))
	require.NoError(t, err)
	require.Len(t, files, 8)
	for _, f := range files {
		if strings.HasSuffix(f, ".png") {
			require.Equal(t, image.Rect(0, 0, 144, 96), decodePNG(t, f).Bounds())
		}
	}
}
