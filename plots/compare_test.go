package plots_test

import (
	"image/color"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plots"
)

func TestCompareOverlaysRunsOnOneFigure(t *testing.T) {
	t.Parallel()
	wrong, err := smallProfile().WithOverrides(map[limits.Class]int{limits.Secrets: 1500})
	require.NoError(t, err)
	stages := []stage{{10 * time.Second, 50, 50}, {20 * time.Second, 50, 200}, {10 * time.Second, 200, 200}}
	right := attack(smallProfile(), limits.Sliding, 0, stages...)
	wrongRun := attack(wrong, limits.Sliding, 0, stages...)

	dir := filepath.Join(t.TempDir(), "cmp")
	files, err := plots.Compare(dir, []plots.Series{
		{Label: "right", Input: onsetInput(), Results: seq(right)},
		{Label: "wrong (target secrets=1500)", Input: onsetInput(), Results: seq(wrongRun), Err: func() error { return nil }},
	})
	require.NoError(t, err)
	require.Equal(t, []string{filepath.Join(dir, "compare.png"), filepath.Join(dir, "compare.svg")}, files)

	svg := readSVG(t, files[1])
	for _, want := range []string{"secrets-onset — 2 runs compared, profile 2021", "time since each run's start (s)",
		"right: succeeded", "right: throttled (429)", "wrong (target secrets=1500): succeeded",
		"documented limit secrets, profile 2021 (100/s)"} {
		require.Contains(t, svg, want)
	}
	n := colors(t, decodePNG(t, files[0]))
	blue := color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	orange := color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
	require.Greater(t, n[blue], 300, "the first run's curves")
	require.Greater(t, n[orange], 300, "the second run's curves")
}

func TestCompareBadInput(t *testing.T) {
	t.Parallel()
	_, err := plots.Compare(t.TempDir(), nil)
	require.ErrorContains(t, err, "nothing to compare")
	_, err = plots.Compare(t.TempDir(), []plots.Series{{Label: "empty", Input: onsetInput(), Results: seq(nil)}})
	require.ErrorIs(t, err, plots.ErrNoResults)
	require.True(t, strings.HasPrefix(err.Error(), "empty: "), err.Error())
	_, err = plots.Compare(t.TempDir(), []plots.Series{{Label: "x", Input: onsetInput(), Results: seq(onsetRun())}}, plots.WithFormats("gif"))
	require.ErrorContains(t, err, `unknown format "gif"`)
}
