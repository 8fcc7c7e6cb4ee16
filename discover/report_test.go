package discover

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
)

func TestFindingComparesWithEachProfileAndVerdictsCarryFigures(t *testing.T) {
	f := Finding{Class: limits.Secrets, Model: limits.Fixed, Limit: 4010, Window: 10 * time.Second,
		Agreement: 0.995, Margin: 0.12, RunnerUp: Fitted{Model: Model{Kind: limits.Sliding}, Agreement: 0.875},
		Confidence: Confidence(0.12), Requests: 21000, Throttled: 6000}
	f.Documented = compare(&f, []*limits.Profile{limits.MustGet("2018"), limits.MustGet("2021")})
	assert.Equal(t, "matches 2021 (4000 / 10s), not 2018 (2000 / 10s)", f.Verdict())
	assert.Equal(t, "high", f.Confidence)

	vs := Verdicts([]Finding{f}, limits.MustGet("2018"))
	require.Len(t, vs, 3)
	assert.Equal(t, CheckModel, vs[0].Check)
	assert.True(t, vs[0].Pass)
	assert.InDelta(t, 0.12, vs[0].Measured, 1e-9)
	assert.Equal(t, CheckLimit, vs[1].Check)
	assert.False(t, vs[1].Pass, "4010 is not 2018's 2000")
	assert.Equal(t, 4010.0, vs[1].Measured)
	assert.Equal(t, 2000.0, vs[1].Expected)
	assert.Equal(t, LimitTolerance, vs[1].Tolerance)
	assert.True(t, vs[2].Pass)
	assert.Equal(t, limits.Fixed, vs[2].Window)

	var b bytes.Buffer
	WriteTable(&b, []Finding{f})
	assert.Contains(t, b.String(), "matches 2021 (4000 / 10s), not 2018 (2000 / 10s)")
	assert.Contains(t, b.String(), "12.0 over sliding")
}

func TestAmbiguousFindingFailsItsModelVerdict(t *testing.T) {
	f := Finding{Class: limits.Secrets, Model: limits.Fixed, Limit: 100, Window: time.Second, Margin: 0.002}
	assert.True(t, f.Ambiguous())
	assert.Equal(t, "ambiguous", Confidence(f.Margin))
	assert.Equal(t, "medium", Confidence(0.01))
	vs := Verdicts([]Finding{f}, limits.MustGet("2021"))
	assert.False(t, vs[0].Pass)
}
