package results_test

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

var start = time.Date(2026, 11, 22, 10, 15, 0, 123456789, time.UTC)

func sampleMeta() *results.Meta {
	return &results.Meta{
		Scenario: "secrets-onset", Source: "builtin:secrets-onset",
		Description: "Secret reads ramp <past> the limit & beyond.",
		Target:      "https://127.0.0.1:8443", Emulated: true, Profile: "2021",
		TargetLimits: map[limits.Class]int{limits.Secrets: 4800},
		Window:       limits.Sliding, WindowLength: results.Duration(10 * time.Second), Seed: 1,
		Stages: []scenarios.Span{{Stage: 1, From: 0, To: 10 * time.Second, StartRate: 200, EndRate: 800}},
		Start:  start, End: start.Add(50 * time.Second),
		Versions: results.Versions{Kvquota: "devel", Go: "go1.26.8", Vegeta: "v12.13.0"},
	}
}

// sampleVerdicts are one passing and one failing verdict, the failing one
// with a moment, a pipe and markup in its detail.
func sampleVerdicts() []assert.Verdict {
	at := 29 * time.Second
	return []assert.Verdict{
		{Check: "onset", Class: limits.Secrets, Outcome: results.Failed, Pass: false, Measured: 4800, Expected: 4000, Tolerance: 0.01,
			Comparison: assert.Within, Unit: "successes per window", At: &at, Window: limits.Sliding,
			Detail: "At the first 429 the window held 4800 | <b>+20%</b>."},
		{Check: "error-shape", Class: limits.Secrets, Outcome: results.Passed, Pass: true, Measured: 0, Expected: 0,
			Comparison: assert.AtMost, Unit: "malformed error responses", Window: limits.Sliding, Detail: "All 429s were well-formed."},
	}
}

func sampleReport(plots ...string) *results.Report {
	return results.NewReport(sampleMeta(),
		results.Totals{Requests: 25000, Succeeded: 17000, Throttled: 8000}, sampleVerdicts(), plots)
}

// writePNG writes a small real PNG of one colour.
func writePNG(t *testing.T, path string, c color.Color) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := range 4 {
		for y := range 3 {
			img.Set(x, y, c)
		}
	}
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, png.Encode(f, img))
	require.NoError(t, f.Close())
}
