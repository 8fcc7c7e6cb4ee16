package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/plan"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/runner"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = execute(args, &o, &e)
	return code, o.String(), e.String()
}

func TestLimitsPrintsTheDocumentedTable(t *testing.T) {
	code, out, _ := run(t, "limits", "--profile", "2018")
	require.Equal(t, exitPass, code)
	squeeze := regexp.MustCompile(`[ \t]+`)
	out = squeeze.ReplaceAllString(out, " ")
	assert.Contains(t, out, "RSA 4096 5 125 10 250")
	assert.Contains(t, out, "all transactions: 2000")

	code, _, errOut := run(t, "limits", "--profile", "2019")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "known: 2018, 2021, 2025")
}

func TestScenarioErrorsNameFileLineAndFieldWithExitTwo(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte(`name: bad
setup:
  - {op: set-secret, name: "b-{i}", count: 2}
stages:
  - {duration: 10s, rate: fast}
mix:
  - {op: get-secret, name: "b-{i}", count: 2}
`), 0o644))
	code, _, errOut := run(t, "run", bad)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "bad.yaml:5:")
	assert.Contains(t, errOut, "stages[0].rate")

	code, _, errOut = run(t, "run", "no-such-builtin")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "secrets-onset", "a wrong name lists the built-ins")

	code, _, errOut = run(t, "run", "secrets-onset", "--limit", "secrets")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "CLASS=N")

	code, _, _ = run(t, "run")
	assert.Equal(t, exitUsage, code, "a missing argument is a usage error")

	code, _, errOut = run(t, "report", t.TempDir())
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "not a kvquota run directory")
}

func TestUnreachableTargetExitsThree(t *testing.T) {
	// Port 1 on loopback: nothing listens there, so the connection is refused
	// at once; no traffic leaves the machine.
	code, _, errOut := run(t, "run", "secrets-onset", "--target", "https://127.0.0.1:1", "--token", "t",
		"--out", filepath.Join(t.TempDir(), "run"), "-q")
	assert.Equal(t, exitUnreachable, code, errOut)
	assert.Contains(t, errOut, "connection refused")
	assert.NotContains(t, errOut, `"t"`, "the token is not printed")
}

// TestExitCodeMapsOutcomes: the one mapping from how a command ended to its
// exit code.
func TestExitCodeMapsOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"pass", nil, exitPass},
		{"a check failed", gate(false), exitFail},
		{"a gate that passed", gate(true), exitPass},
		{"unreachable", fmt.Errorf("run: %w", runner.ErrUnreachable), exitUnreachable},
		{"a refused dial", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, exitUnreachable},
		{"interrupted", fmt.Errorf("attack: %w", context.Canceled), exitInterrupted},
		{"usage", fmt.Errorf("flags: %w", plan.ErrUsage), exitUsage},
		{"an explicit code", withCode(exitFail, errors.New("ambiguous")), exitFail},
		{"other", errors.New("setup step 1 of 5: 403 Forbidden"), exitUsage},
		{"an application that would not start", fmt.Errorf("starting the application: %w", &fs.PathError{Op: "fork/exec", Path: "app", Err: syscall.ENOENT}), exitUsage},
	} {
		assert.Equal(t, tc.want, exitCode(tc.err), tc.name)
	}
	assert.Empty(t, exitMessage(errGateFailed), "a failed gate printed its verdicts already")
	assert.Contains(t, exitMessage(context.Canceled), "kept")
}

func TestToleranceFlag(t *testing.T) {
	var f toleranceFlag
	require.NoError(t, f.Set("2%"))
	assert.InDelta(t, 0.02, float64(f), 1e-12)
	require.NoError(t, f.Set("0.005"))
	assert.InDelta(t, 0.005, float64(f), 1e-12)
	for _, bad := range []string{"x", "-1%", "100%", "1.5"} {
		assert.Error(t, f.Set(bad), bad)
	}
	assert.True(t, strings.HasPrefix(f.Type(), "tol"))
}

// readReport reads report.json from a run directory.
func readReport(dir string) (*results.Report, error) {
	b, err := os.ReadFile(filepath.Join(dir, results.ReportFile))
	if err != nil {
		return nil, err
	}
	var r results.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	return &r, nil
}
