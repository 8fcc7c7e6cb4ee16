package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/clientcheck"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// buildApps builds internal/clientapps' programs into dir with one go build
// (which links them side by side), so the check runs real programs as a user
// would; it returns their paths in the order given.
func buildApps(t *testing.T, dir string, names ...string) []string {
	t.Helper()
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	bins := make([]string, len(names))
	for i, name := range names {
		args = append(args, "../../internal/clientapps/"+name)
		bins[i] = filepath.Join(dir, name)
	}
	out, err := exec.Command("go", args...).CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bins
}

// clientcheckVerdict returns the verdict of check c in the report at dir.
func clientcheckVerdict(t *testing.T, dir string, c scenarios.CheckName) results.Verdict {
	t.Helper()
	r, err := readReport(dir)
	require.NoError(t, err)
	for _, v := range r.Verdicts {
		if v.Check == c {
			return v
		}
	}
	require.Failf(t, "no verdict", "%s in %s", c, dir)
	return results.Verdict{}
}

// The emulator, time scaled to a 0.5 s window with 10 reads per window
// (--limit secrets=400 per documented 10 s), throttles both applications;
// the footprint is judged against the documented 100 per scaled window.
var clientcheckFlags = []string{"clientcheck", "-q", "--limit", "secrets=400", "--time-scale", "0.05"}

// Must show 2: an Azure SDK for Go client with its default retry policy
// (azsecrets over azidentity, jittered retries from 0.64 s) passes, with
// its shortest retry delay as the figure; a client that re-sends a 429 at
// once fails, naming its delay.
//
// Not parallel with the package's other tests: its subtests run side by
// side, and only with each other (TestMain's defaultParallel).
func TestClientcheckPassesTheSDKAndFailsAnImmediateRetrier(t *testing.T) {
	apps := buildApps(t, t.TempDir(), "sdkclient", "hammer")
	sdk, hammer := apps[0], apps[1]

	t.Run("sdkclient", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "out")
		code, out, errOut := run(t, append(clientcheckFlags, "--out", dir, "--", sdk, "-reads", "25")...)
		require.Equal(t, exitPass, code, "%s\n%s", out, errOut)
		assert.Contains(t, out, "sdkclient: 25 reads, 0 failed")
		imm := clientcheckVerdict(t, dir, clientcheck.CheckImmediateRetry)
		assert.True(t, imm.Pass)
		assert.GreaterOrEqual(t, imm.Measured, 0.6, "azcore's first delay is 0.64-1.04 s: %s", imm.Detail)
		assert.Less(t, imm.Measured, 1.5, imm.Detail)
		assert.Equal(t, 1.0, imm.Expected)
		assert.Equal(t, clientcheck.DelayTolerance, imm.Tolerance)
		assert.Contains(t, imm.Detail, "GET /secrets/sdkclient")
		for _, c := range []scenarios.CheckName{clientcheck.CheckBackoff, clientcheck.CheckRetryStorm, clientcheck.CheckWeightedFootprint} {
			v := clientcheckVerdict(t, dir, c)
			assert.True(t, v.Pass, "%s: %s", c, v.Detail)
		}
		r, err := readReport(dir)
		require.NoError(t, err)
		assert.Positive(t, r.Totals.Throttled, "the SDK met 429s")
		assert.FileExists(t, filepath.Join(dir, results.JUnitFile))
		assert.FileExists(t, filepath.Join(dir, results.SummaryFile))
		assert.FileExists(t, filepath.Join(dir, clientcheck.ClientsFile))
		t.Logf("sdkclient: %s", results.Figure(imm))
	})

	// With Retry-After on, the SDK waits what the 429 asks (1 s: whole
	// seconds, rounded up), and that is the step it is held to.
	t.Run("sdkclient-retry-after", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "out")
		code, out, errOut := run(t, append(clientcheckFlags, "--retry-after", "--out", dir, "--", sdk, "-reads", "15")...)
		require.Equal(t, exitPass, code, "%s\n%s", out, errOut)
		bo := clientcheckVerdict(t, dir, clientcheck.CheckBackoff)
		assert.Contains(t, bo.Detail, "Retry-After asked for 1s")
		assert.GreaterOrEqual(t, bo.Measured, 0.95, bo.Detail)
	})

	// 20 calls in flight through one real azsecrets client. With a request
	// id kept across retries (azcore's NewRequestIDPolicy per call) every
	// retry is paired with its own 429 and the SDK's jittered back-off
	// passes; without one (the Go SDK's default) the pairing is by order of
	// arrival, ambiguous for a concurrent client, and never a failure: no
	// wait is negative, and back-off is inconclusive rather than failed.
	for _, requestID := range []bool{true, false} {
		t.Run(fmt.Sprintf("sdkclient-parallel-request-id=%v", requestID), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "out")
			code, out, errOut := run(t, append(clientcheckFlags, "--out", dir, "--", sdk, "-reads", "5", "-parallel", "20",
				fmt.Sprintf("-request-id=%v", requestID))...)
			if requestID {
				require.Contains(t, []int{exitPass, exitInconclusive}, code, "%s\n%s", out, errOut)
			}
			f := readFindings(t, dir)
			require.NotEmpty(t, f.Retries, "20 calls in flight met 429s")
			for _, r := range f.Retries {
				require.GreaterOrEqual(t, r.Delay, time.Duration(0), "no negative wait")
			}
			assert.Empty(t, f.Recalls, "azcore retries 429s itself")
			imm := clientcheckVerdict(t, dir, clientcheck.CheckImmediateRetry)
			if requestID {
				assert.Equal(t, clientcheck.ByRequestID, f.Clients[0].Attribution)
				assert.Equal(t, results.Passed, imm.Outcome, imm.Detail)
				assert.Equal(t, results.Passed, clientcheckVerdict(t, dir, clientcheck.CheckBackoff).Outcome)
			} else {
				// Paired by arrival: when the recording shows calls in
				// flight at once, a short pairing is never a failure. On a
				// loaded machine the 20 calls' requests may never overlap on
				// the wire (a slow client, a fast vault): the recording then
				// looks like one call at a time and is judged so (the limit
				// docs/clientcheck.md states), so the code may be 1.
				assert.Equal(t, clientcheck.ByArrival, f.Clients[0].Attribution)
				if slices.ContainsFunc(f.Retries, func(r clientcheck.Retry) bool { return r.Ambiguous }) {
					assert.False(t, imm.Failed(), imm.Detail)
				}
			}
			t.Logf("%d retries %s: %s (%s)", len(f.Retries), f.Clients[0].Attribution, results.Figure(imm), imm.Outcome)
		})
	}

	t.Run("hammer", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "out")
		code, out, errOut := run(t, append(clientcheckFlags, "--out", dir, "--", hammer, "-requests", "150")...)
		require.Equal(t, exitFail, code, "%s\n%s", out, errOut)
		imm := clientcheckVerdict(t, dir, clientcheck.CheckImmediateRetry)
		assert.False(t, imm.Pass)
		assert.Less(t, imm.Measured, 0.1, imm.Detail)
		assert.Contains(t, imm.Detail, "GET /secrets/hammer")
		assert.Contains(t, out, "FAIL    immediate-retry")
		assert.False(t, clientcheckVerdict(t, dir, clientcheck.CheckRetryStorm).Pass)
		t.Logf("hammer: %s", results.Figure(imm))
	})
}

func TestClientcheckUsageErrors(t *testing.T) {
	t.Parallel()
	code, _, errOut := run(t, "clientcheck")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--watch")

	code, _, errOut = run(t, "clientcheck", "./app")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "after --")

	code, _, errOut = run(t, "clientcheck", "--out", t.TempDir(), "--", "true")
	assert.Equal(t, exitUsage, code, "an application that never reaches the vault")
	assert.Contains(t, errOut, "KVQUOTA_VAULT_URL")

	code, _, errOut = run(t, "clientcheck", "--limit", "secrets", "--", "true")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "CLASS=N")

	code, _, errOut = run(t, "clientcheck", "--out", t.TempDir(), "--", filepath.Join(t.TempDir(), "no-such-app"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "starting the application")
}

// readFindings reads clients.json at dir.
func readFindings(t *testing.T, dir string) clientcheck.Findings {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, clientcheck.ClientsFile))
	require.NoError(t, err)
	var f clientcheck.Findings
	require.NoError(t, json.Unmarshal(b, &f))
	return f
}
