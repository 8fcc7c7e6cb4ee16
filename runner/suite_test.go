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
// wrong (2018: 150 where the documentation says 125): the scenarios that
// touch that row, and their neighbours (the same key type's other cells, the
// same protection's other type, secrets), with real HTTPS, vegeta, tokens and
// keys. The scenarios that touch the row must fail, on their onset figure;
// the neighbours must pass. (CI runs every built-in of every profile against
// the right emulator: .ci/run's conformance suites.)
func TestAWrongRowFailsExactlyTheScenariosThatTouchIt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs part of the quota suite (about half a minute)")
	}
	wrong := limits.KeyClass(limits.RSA4096, true, false)
	began := time.Now()
	// Signed in as `kvquota run --suite quota --tenant T --client-id C` with
	// $KVQUOTA_CLIENT_SECRET set: through each emulator's token endpoint.
	// subscription-spill touches the row too, but under -race its six vaults'
	// RSA-4096 operations skew send times so far that its subscription figure
	// came out at 0.94-1.03 where the wrong row gives 1.15 without -race (the
	// open verdicts issue); it is not run here.
	touching := []string{"rsa4096-hsm-other-onset", "weighted-example"}
	neighbours := append([]string{"rsa4096-hsm-create-onset", "rsa4096-software-other-onset", "rsa2048-hsm-other-onset", "secrets-onset"}, touching...)
	rs, err := RunSuite(context.Background(), SuiteConfig{Plan: only(suitePlan(t, plan.Request{
		Suite: "quota", Profile: "2018", Out: t.TempDir(), TimeScale: 0.1,
		Limits:   []string{string(wrong) + "=150"},
		TenantID: auth.DefaultTenant, ClientID: auth.DefaultClientID,
		Getenv: func(k string) string {
			if k == plan.EnvClientSecret {
				return auth.DefaultClientSecret
			}
			return ""
		},
	}), neighbours...)})
	require.NoError(t, err)
	t.Logf("quota suite, profile 2018, time scale 0.1: %d scenarios in %s", len(rs), time.Since(began).Round(time.Second))
	for _, r := range rs {
		t.Logf("  %-30s %s", r.Scenario, r.Took.Round(100*time.Millisecond))
	}

	require.Len(t, rs, len(neighbours))
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
	assert.Contains(t, b.String(), "FAIL: 2 of ")
	assert.Contains(t, b.String(), "time-scaled x0.1: windows of 1s")
	assert.Regexp(t, `FAIL\s+rsa4096-hsm-other-onset\s+onset\s+rsa4096-hsm-other\s+1[12]\d\s+100\s+125`, b.String(), "measured next to scaled and documented figures")
	assert.Regexp(t, `PASS\s+rsa4096-hsm-create-onset\s+onset\s+rsa4096-hsm-create\s+5\s+5\s+5`, b.String())
}
