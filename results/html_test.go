package results_test

import (
	"encoding/base64"
	"html"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/results"
)

func TestHTMLReportIsSelfContained(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "plots", "throughput.png"), color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff})
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4" height="3" fill="red"/></svg>`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "plots", "throughput.svg"), []byte(svg), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "plots", "latency.svg"), []byte(svg), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, results.ScenarioFile), []byte("name: secrets-onset\nstages: [] # <x>\n"), 0o644))
	rep := sampleReport("plots/throughput.png", "plots/throughput.svg", "plots/latency.svg")
	require.NoError(t, results.WriteHTML(dir, rep, sampleMeta()))

	b, err := os.ReadFile(filepath.Join(dir, results.HTMLFile))
	require.NoError(t, err)
	page := string(b)

	// Every image is inline, PNG where there is one, SVG otherwise.
	srcs := regexp.MustCompile(`<img src="([^"]*)"`).FindAllStringSubmatch(page, -1)
	require.Len(t, srcs, 2, "one image per figure")
	for _, s := range srcs {
		s[1] = html.UnescapeString(s[1]) // as a browser reads the attribute
	}
	png, err := os.ReadFile(filepath.Join(dir, "plots", "throughput.png"))
	require.NoError(t, err)
	require.Equal(t, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(png), srcs[0][1])
	require.True(t, strings.HasPrefix(srcs[1][1], "data:image/svg+xml;base64,"), srcs[1][1][:40])

	// Nothing to fetch: no scripts, stylesheets, fonts or remote URLs in
	// attributes or CSS.
	for _, banned := range []string{"<script", "<link", "@import", "url(", `src="http`, `href="http`, "@font-face"} {
		require.NotContains(t, page, banned)
	}

	// The verdicts with their figures, the failing one marked, escaped.
	require.Contains(t, page, "<title>kvquota secrets-onset: FAIL</title>")
	require.Contains(t, page, `<tr class="failed">`)
	require.Contains(t, page, "<code>onset[secrets]</code>")
	require.Contains(t, page, "4800 | &lt;b&gt;&#43;20%&lt;/b&gt;.", "details are text, not markup")
	require.Contains(t, page, "4000 ±1%")
	require.Contains(t, page, "29.00 s")
	// The run: environment and versions, the emulator's changed limits, the
	// scenario file as run.
	for _, want := range []string{"https://127.0.0.1:8443", "embedded emulated vault", "secrets=4800", "kvquota devel, go1.26.8, vegeta v12.13.0",
		"2026-11-22 10:15:00 UTC", "sliding window, a window of 10s", "50s", "200→800 req/s from 0s to 10s", "stages: [] # &lt;x&gt;", "<b>throughput</b>: Requests per second sent", "Secret reads ramp &lt;past&gt; the limit &amp; beyond."} {
		require.Contains(t, page, want)
	}
}

func TestHTMLReportNamesAMissingPlot(t *testing.T) {
	err := results.WriteHTML(t.TempDir(), sampleReport("plots/throughput.png"), sampleMeta())
	require.ErrorContains(t, err, "throughput.png")
}

func TestSummaryMarkdown(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, results.WriteSummary(dir, sampleReport("plots/throughput.png")))
	b, err := os.ReadFile(filepath.Join(dir, results.SummaryFile))
	require.NoError(t, err)
	md := string(b)
	require.True(t, strings.HasPrefix(md, "## kvquota secrets-onset: ❌ FAIL\n"), md)
	rows := regexp.MustCompile(`(?m)^\| .* \|$`).FindAllString(md, -1)
	require.Len(t, rows, 4, "header, rule, one row per verdict:\n%s", md)
	for _, r := range rows {
		// An escaped pipe inside a cell must not add a column.
		require.Equal(t, 7, strings.Count(strings.ReplaceAll(r, `\|`, ""), "|"), r)
	}
	require.Contains(t, rows[2], "❌ **fail** | `onset[secrets]` | 29.0 s | 4800 | 4000 ±1% |")
	require.Contains(t, rows[3], "✅ pass | `error-shape[secrets]` | – | 0 | ≤ 0 |")
	require.Contains(t, md, `4800 \| &lt;b&gt;+20%&lt;/b&gt;.`)
	require.Contains(t, md, "**25000 requests**: 17000 succeeded, 8000 throttled (429)")
	require.Contains(t, md, "`report.html`")
}
