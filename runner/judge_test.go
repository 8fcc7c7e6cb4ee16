package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// storeRun writes a run directory by hand, as a run would leave it: 20 s of
// reads at 20/s against a limit of 100 per 10 s, the target admitting the
// first `admit` reads of each 10 s.
func storeRun(t *testing.T, dir string, admit int) {
	t.Helper()
	w, err := results.Create(dir)
	require.NoError(t, err)
	start := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for i := range 400 {
		code := uint16(200)
		if i%200 >= admit {
			code = 429
		}
		require.NoError(t, w.Write(&vegeta.Result{
			Timestamp: start.Add(time.Duration(i) * 50 * time.Millisecond), Method: "GET",
			URL: "https://127.0.0.1:8443/secrets/s-1?api-version=7.5", Code: code, Latency: time.Millisecond,
		}))
	}
	require.NoError(t, w.Close())
	require.NoError(t, results.WriteMeta(dir, &results.Meta{
		Scenario: "hand-made", Target: "https://127.0.0.1:8443", Emulated: true, Profile: "2021",
		Overrides: map[limits.Class]int{limits.Secrets: 100}, Window: limits.Fixed,
		WindowLength: results.Duration(10 * time.Second),
		Stages:       []scenarios.Span{{Stage: 1, To: 20 * time.Second, StartRate: 20, EndRate: 20}},
		Expect:       []scenarios.Expectation{{Check: "error-shape"}},
		Start:        start, End: start.Add(20 * time.Second),
	}))
}

func TestJudgeWritesEveryReportFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "run")
	storeRun(t, dir, 100)
	rep, err := Judge(dir, JudgeOptions{})
	require.NoError(t, err)
	for _, f := range []string{results.ReportFile, results.JUnitFile, results.SummaryFile, results.HTMLFile} {
		require.FileExists(t, filepath.Join(dir, f))
	}
	require.Len(t, rep.Plots, 8, "four figures, PNG and SVG")
	for _, p := range rep.Plots {
		require.FileExists(t, filepath.Join(dir, p))
	}
	page, err := os.ReadFile(filepath.Join(dir, results.HTMLFile))
	require.NoError(t, err)
	require.Equal(t, 4, strings.Count(string(page), `<img src="data:image/png;base64,`), "every figure inline")
	summary, err := os.ReadFile(filepath.Join(dir, results.SummaryFile))
	require.NoError(t, err)
	require.Contains(t, string(summary), "**400 requests**: 200 succeeded, 200 throttled (429)")
}

func TestPlotAndCompareStoredRuns(t *testing.T) {
	t.Parallel()
	right, wrong := filepath.Join(t.TempDir(), "right"), filepath.Join(t.TempDir(), "wrong")
	storeRun(t, right, 100)
	storeRun(t, wrong, 120)

	out := t.TempDir()
	files, err := Plot(right, out)
	require.NoError(t, err)
	require.Len(t, files, 8)
	require.FileExists(t, filepath.Join(out, "status.svg"))

	files, err = Compare(out, []string{right, wrong})
	require.NoError(t, err)
	require.Equal(t, []string{filepath.Join(out, "compare.png"), filepath.Join(out, "compare.svg")}, files)
	svg, err := os.ReadFile(files[1])
	require.NoError(t, err)
	require.Contains(t, string(svg), "right: succeeded")
	require.Contains(t, string(svg), "wrong: succeeded")

	_, err = Compare(out, []string{right, filepath.Join(t.TempDir(), "missing")})
	require.ErrorContains(t, err, "is not a kvquota run directory")
	_, err = Plot(filepath.Join(t.TempDir(), "missing"), "")
	require.ErrorContains(t, err, "is not a kvquota run directory")
}
