package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/auth"
)

// TestLimitsPrintsEveryNumberOfBothTables holds `kvquota limits` to every
// figure of docs/keyvault.md, row by row, for both profiles.
func TestLimitsPrintsEveryNumberOfBothTables(t *testing.T) {
	want := map[string][]string{
		"2018": {
			"Key type HSM CREATE HSM all other Software CREATE Software all other",
			"RSA 2048 5 1000 10 2000",
			"RSA 3072 5 250 10 500",
			"RSA 4096 5 125 10 250",
			"EC P-256, P-384, P-521, SECP256K1 5 1000 10 2000",
			"Secrets, managed storage account keys and vault transactions:",
			"all transactions: 2000",
		},
		"2021": {
			"Key type HSM CREATE HSM all other Software CREATE Software all other",
			"RSA 2048 10 2000 20 4000",
			"RSA 3072 10 500 20 1000",
			"RSA 4096 10 250 20 500",
			"EC P-256, P-384, P-521, SECP256K1 10 2000 20 4000",
			"Secrets, managed storage account keys and vault transactions:",
			"secret CREATE: 300",
			"all other transactions: 4000",
		},
	}
	squeeze := regexp.MustCompile(`\s+`)
	for profile, rows := range want {
		code, out, _ := run(t, "limits", "--profile", profile)
		require.Equal(t, exitPass, code)
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			lines = append(lines, strings.TrimSpace(squeeze.ReplaceAllString(l, " ")))
		}
		// The keys table is printed in the documentation's order, contiguously.
		i := -1
		for j, l := range lines {
			if l == rows[0] {
				i = j
			}
		}
		require.GreaterOrEqual(t, i, 0, "profile %s: no table header in\n%s", profile, out)
		assert.Equal(t, rows[1:5], lines[i+1:i+5], "profile %s keys table", profile)
		for _, r := range rows[5:] {
			assert.Contains(t, lines, r, "profile %s", profile)
		}
		assert.Contains(t, out, "a subscription may make 5x a vault's", profile)
	}
}

func TestSuiteFlagsAreCheckedBeforeAnythingRuns(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--suite", "nope"}, `unknown suite "nope" (known: conformance, quota)`},
		{[]string{"run", "secrets-onset", "--suite", "quota"}, "a scenario or --suite, not both"},
		{[]string{"run", "--suite", "quota", "--time-scale", "2"}, "--time-scale 2: want a factor above 0 and at most 1"},
		{[]string{"run", "--suite", "quota", "--profile", "2019"}, "known: 2018, 2021, 2025"},
		{[]string{"run", "--suite", "quota", "--window", "leaky"}, `"leaky"`},
		{[]string{"run", "--suite", "quota", "--token", "t"}, "--token is for --target"},
		{[]string{"run", "--suite", "quota", "--tenant", "T", "--client-id", "C"}, "set $KVQUOTA_CLIENT_SECRET"},
		{[]string{"run", "--suite", "quota", "--limit", "nope=3"}, "unknown transaction class"},
		{[]string{"run"}, "no scenario given"},
		// Refused before anything is sent (a loopback target may be time-scaled: a kvquota emulate --time-scale).
		{[]string{"run", "rsa2048-hsm-other-onset", "--time-scale", "0.1", "--target", "https://myvault.vault.azure.net", "--token", "t"}, "a real vault's are 10 s"},
		{[]string{"run", "subscription-spill", "--target", "https://127.0.0.1:1", "--token", "t"}, "spreads over 6 vaults"},
	} {
		code, _, errOut := run(t, tc.args...)
		assert.Equal(t, exitUsage, code, tc.args)
		assert.Contains(t, errOut, tc.want, tc.args)
	}
}

// TestSuiteSignsInWithTheClientSecretGiven: `run --suite quota --tenant T
// --client-id C` signs in to each embedded emulator with $KVQUOTA_CLIENT_SECRET
// through its token endpoint (azidentity's ClientSecretCredential). A wrong
// secret is refused by the emulator's token endpoint; with no secret the
// built-in identity would have passed. The suite stops at the first
// scenario: every other would fail alike. (runner's
// TestAWrongRowFailsExactlyTheScenariosThatTouchIt runs the quota suite with
// the right secret.)
func TestSuiteSignsInWithTheClientSecretGiven(t *testing.T) {
	t.Setenv("KVQUOTA_CLIENT_SECRET", "not-the-secret")
	code, out, errOut := run(t, "run", "--suite", "quota", "--time-scale", "0.1", "-q",
		"--tenant", auth.DefaultTenant, "--client-id", auth.DefaultClientID, "--out", t.TempDir())
	assert.Equal(t, exitUsage, code, errOut)
	assert.Contains(t, errOut, "signing in failed")
	assert.Contains(t, errOut, "AADSTS7000215", "the emulator's answer to a wrong client secret")
	assert.Equal(t, 1, strings.Count(out, "ERROR"), "the suite stopped at its first scenario:\n%s", out)
	assert.NotContains(t, out+errOut, "not-the-secret", "the secret is never printed")
}
