package results

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// HTMLFile is the self-contained report of a run.
const HTMLFile = "report.html"

//go:embed report.html.tmpl
var htmlTemplate string

// reportPage parses once: the template is part of the binary, so a parse
// error is a bug caught by the tests, not a run-time condition.
var reportPage = template.Must(template.New(HTMLFile).Funcs(template.FuncMap{
	"casename": CaseName,
	"figure":   Figure,
	"num":      num,
	"expected": expectedCell,
	"seconds":  func(d *time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) },
	"percent":  func(f float64) string { return num(f*100) + "%" },
	"utc":      func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"dur":      func(d Duration) string { return time.Duration(d).String() },
}).Parse(htmlTemplate))

// htmlFigure is one plot inlined as a data URI.
type htmlFigure struct {
	Name    string
	Caption string
	Src     template.URL
}

// figureCaptions say in a sentence what each figure of package plots shows
// (docs/reading-plots.md says how to read them).
var figureCaptions = map[string]string{
	"throughput": "Requests per second sent, succeeded and throttled, against the documented limit rate (dashed).",
	"window":     "What the target's quota window held over time, against the limit (dashed): it should reach the line and never pass it.",
	"latency":    "Latency percentiles (p50, p90, p99) of answered requests over time.",
	"status":     "Responses per second by status, stacked: the top edge is the rate sent.",
}

// htmlPage is what the template reads.
type htmlPage struct {
	R        *Report
	M        *Meta
	Duration string
	Figures  []htmlFigure
	Scenario string
}

// WriteHTML writes report.html into dir: the verdicts with their figures,
// the totals, every plot, the scenario as run, the target and the versions,
// in one file that opens with no network access. The plots listed in r are
// read from dir and inlined as data URIs (PNG preferred, SVG when a figure
// has no PNG); CSS is inline; there are no scripts and no external fonts, so
// the file can be attached to a CI run and opened anywhere.
func WriteHTML(dir string, r *Report, m *Meta) error {
	page := htmlPage{R: r, M: m}
	if m == nil {
		page.M = &Meta{}
	}
	if !r.End.IsZero() {
		page.Duration = r.End.Sub(r.Start).Round(time.Millisecond).String()
	}
	figs, err := inlineFigures(dir, r.Plots)
	if err != nil {
		return err
	}
	page.Figures = figs
	if b, err := os.ReadFile(filepath.Join(dir, ScenarioFile)); err == nil {
		page.Scenario = string(b)
	}
	var b strings.Builder
	if err := reportPage.Execute(&b, page); err != nil {
		return fmt.Errorf("results: %s: %w", HTMLFile, err)
	}
	return writeAtomic(filepath.Join(dir, HTMLFile), []byte(b.String()))
}

// inlineFigures reads the plots into data URIs, one per figure, in the
// report's order.
func inlineFigures(dir string, plots []string) ([]htmlFigure, error) {
	var names []string
	have := make(map[string]bool)
	for _, p := range plots {
		ext := filepath.Ext(p)
		name := strings.TrimSuffix(p, ext)
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		have[p] = true
	}
	var figs []htmlFigure
	for _, name := range names {
		file, mime := name+".png", "image/png"
		if !have[file] {
			file, mime = name+".svg", "image/svg+xml"
			if !have[file] {
				continue
			}
		}
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			return nil, fmt.Errorf("results: inlining a plot into %s: %w", HTMLFile, err)
		}
		figs = append(figs, htmlFigure{
			Name:    filepath.Base(name),
			Caption: figureCaptions[filepath.Base(name)],
			// The bytes are our own plot, base64-encoded: safe as a URL.
			Src: template.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)),
		})
	}
	return figs, nil
}
