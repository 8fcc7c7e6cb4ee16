package runner

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
)

// TestASlowEmulatorsOwnRecordLiesInTheClientsBand runs the short onset,
// time-scaled to 1 s windows, against emulators made slow on purpose
// (--latency: seeded random delays of up to 80 ms before each decision and
// 40 ms after each answer, and other mixes): whatever the delays, every
// figure the emulator knows exactly (its record of its decisions) lies
// inside the band the client computed from [sent, answered], and a right
// vault is never failed.
func TestASlowEmulatorsOwnRecordLiesInTheClientsBand(t *testing.T) {
	t.Parallel()
	cases := []struct {
		latency string
		seed    uint64
	}{
		{"80ms,40ms", 1},
		{"80ms,40ms", 2},
		{"10ms,150ms", 3},
		{"150ms,0s", 4},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/seed-%d", c.latency, c.seed), func(t *testing.T) {
			t.Parallel()
			out := runShortOnset(t, plan.Request{Out: filepath.Join(t.TempDir(), "run"), TimeScale: 0.1, Latency: c.latency, LatencySeed: c.seed}, Config{NoPlots: true})
			r := out.Report
			require.NotNil(t, r.SelfCheck, "the embedded emulator's record is checked")
			assert.Positive(t, r.SelfCheck.Checked)
			assert.Empty(t, r.SelfCheck.Outside, "the emulator's own figures lie in the client's bands")
			// A machine too busy to offer the ramp sees no 429 (the figures
			// at a 429 are then not compared, the fullest window still is).
			t.Logf("%d requests, %d throttled; %d figures compared", r.Totals.Requests, r.Totals.Throttled, r.SelfCheck.Checked)
			for _, v := range r.Verdicts {
				assert.False(t, v.Failed(), "%s[%s]: %s", v.Check, v.Class, v.Detail)
				t.Logf("%s %s[%s]: %s", v.Result(), v.Check, v.Class, v.Detail)
			}
			m, err := results.ReadMeta(out.Dir)
			require.NoError(t, err)
			assert.Equal(t, c.seed, m.LatencySeed, "run.json says how the emulator was slowed")
			assert.NotEmpty(t, m.Latency)
		})
	}
}
