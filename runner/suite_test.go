package runner

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/scenarios"
)

// TestAWrongRowFailsExactlyTheScenariosThatTouchIt runs the quota suite,
// time-scaled, against an emulator whose RSA-4096 HSM "all other" limit is
// wrong (2018: 150 where the documentation says 125). The scenarios that
// touch that row must fail, on their onset figure; every other row's must
// pass. It is also the quick run of the whole suite: every built-in that
// judges throttling, with real HTTPS, vegeta, tokens and keys.
func TestAWrongRowFailsExactlyTheScenariosThatTouchIt(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the quota suite (about a minute)")
	}
	wrong := limits.KeyClass(limits.RSA4096, true, false)
	began := time.Now()
	// Signed in as `kvquota run --suite quota --tenant T --client-id C` with
	// $KVQUOTA_CLIENT_SECRET set: through each emulator's token endpoint.
	rs, err := RunSuite(context.Background(), SuiteConfig{Plan: suitePlan(t, plan.Request{
		Suite: "quota", Profile: "2018", Out: t.TempDir(), TimeScale: 0.1,
		Limits:   []string{string(wrong) + "=150"},
		TenantID: auth.DefaultTenant, ClientID: auth.DefaultClientID,
		Getenv: func(k string) string {
			if k == plan.EnvClientSecret {
				return auth.DefaultClientSecret
			}
			return ""
		},
	})})
	require.NoError(t, err)
	t.Logf("quota suite, profile 2018, time scale 0.1: %d scenarios in %s", len(rs), time.Since(began).Round(time.Second))
	for _, r := range rs {
		t.Logf("  %-30s %s", r.Scenario, r.Took.Round(100*time.Millisecond))
	}

	touching := []string{"rsa4096-hsm-other-onset", "subscription-spill", "weighted-example"}
	quota, err := scenarios.Suite("quota")
	require.NoError(t, err)
	require.Len(t, rs, len(quota))
	var failed []string
	for _, r := range rs {
		require.NoError(t, r.Err, r.Scenario)
		require.NotNil(t, r.Report, r.Scenario)
		assert.Equal(t, 0.1, r.Report.TimeScale, "every report says it was time-scaled")
		if !r.Pass() {
			failed = append(failed, r.Scenario)
		}
		if !slices.Contains(touching, r.Scenario) {
			for _, v := range r.Report.Verdicts {
				assert.True(t, v.Pass, "%s %s[%s]: %s", r.Scenario, v.Check, v.Class, v.Detail)
			}
			continue
		}
		// The failing figure is the onset, 150/125 = +20% over the scaled
		// limit (the same ratio before and after scaling).
		var onsetFailed bool
		for _, v := range r.Report.Verdicts {
			if (v.Check == scenarios.CheckOnset || v.Check == scenarios.CheckSubscriptionOnset) && !v.Pass {
				onsetFailed = true
				assert.Greater(t, v.Measured, v.Expected*1.1, "%s %s[%s]: %s", r.Scenario, v.Check, v.Class, v.Detail)
			}
		}
		assert.True(t, onsetFailed, "%s fails on its onset", r.Scenario)
	}
	slices.Sort(failed)
	assert.Equal(t, touching, failed, "exactly the scenarios that touch %s fail", wrong)

	var b strings.Builder
	WriteSuiteTable(&b, "2018", rs)
	assert.Contains(t, b.String(), "FAIL: 3 of ")
	assert.Contains(t, b.String(), "time-scaled x0.1: windows of 1s")
	assert.Regexp(t, `FAIL\s+rsa4096-hsm-other-onset\s+onset\s+rsa4096-hsm-other\s+1[12]\d\s+100\s+125`, b.String(), "measured next to scaled and documented figures")
	assert.Regexp(t, `PASS\s+rsa4096-hsm-create-onset\s+onset\s+rsa4096-hsm-create\s+5\s+5\s+5`, b.String())
}
