package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/results"
)

// interruptScenario is long enough (60 s) that the test always interrupts it
// mid-attack, at a modest rate well under the limit so nothing is throttled.
const interruptScenario = `name: interrupt-me
profile: "2021"
window: sliding
seed: 1
setup:
  - {op: set-secret, name: "cut-{i}", count: 5, size: 16}
stages:
  - {duration: 60s, rate: 100}
mix:
  - {op: get-secret, name: "cut-{i}", count: 5}
expect:
  - {check: error-shape}
`

// TestSIGINTKeepsEveryResultAndReportsTheCutShortRun runs the real binary, as
// a user would, and presses Ctrl-C on it: the process must exit 130 and leave a
// run directory whose every received result is on disk and judged, and which
// `kvquota report` re-judges as cut short.
func TestSIGINTKeepsEveryResultAndReportsTheCutShortRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent to a process on Windows")
	}
	t.Parallel()
	tmp := t.TempDir()
	scen := filepath.Join(tmp, "interrupt-me.yaml")
	require.NoError(t, os.WriteFile(scen, []byte(interruptScenario), 0o644))
	dir := filepath.Join(tmp, "run")

	var stdout, stderr lockedBuffer
	cmd := kvquotaProcess(t, "run", scen, "--out", dir)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	// Poll a real condition — results on disk — with a bounded deadline.
	bin2 := filepath.Join(dir, "results.bin")
	deadline := time.Now().Add(30 * time.Second)
	for {
		if fi, err := os.Stat(bin2); err == nil && fi.Size() > 8<<10 {
			break
		}
		require.True(t, time.Now().Before(deadline), "no results written within 30 s; stderr:\n%s", stderr.String())
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))

	var err error
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("kvquota run did not exit within 60 s of SIGINT; stderr:\n%s", stderr.String())
	}
	var exitErr *exec.ExitError
	require.True(t, errors.As(err, &exitErr), "want a non-zero exit, got %v; stderr:\n%s", err, stderr.String())
	assert.Equal(t, exitInterrupted, exitErr.ExitCode(), "stderr:\n%s", stderr.String())

	// What the run said it kept...
	kept := regexp.MustCompile(`cut short after \S+: (\d+) results kept`).FindStringSubmatch(stderr.String())
	require.NotNil(t, kept, "the run says how many results it kept; stderr:\n%s", stderr.String())
	keptN, err := strconv.Atoi(kept[1])
	require.NoError(t, err)
	require.Positive(t, keptN)
	t.Logf("interrupted run kept %d results", keptN)

	// ...is what is on disk, whole...
	s, err := results.OpenStream(dir)
	require.NoError(t, err)
	onDisk := results.Tally(s.All())
	require.NoError(t, s.Err())
	assert.False(t, s.Truncated(), "results.bin ends on a whole record")
	assert.Equal(t, keptN, onDisk.Requests, "every result received is on disk")
	assert.Equal(t, 0, onDisk.Unreached, "the emulator answered everything before the cut")

	meta, err := results.ReadMeta(dir)
	require.NoError(t, err)
	assert.True(t, meta.Interrupted, "run.json says interrupted")

	// ...and `kvquota report` re-judges the cut-short run from disk alone.
	require.NoError(t, os.Remove(filepath.Join(dir, "report.json")))
	code, out, errOut := run(t, "report", dir)
	assert.Equal(t, exitPass, code, "the error-shape check passes on what was received; %s%s", out, errOut)
	rep, err := readReport(dir)
	require.NoError(t, err)
	assert.True(t, rep.Interrupted, "report.json says interrupted")
	assert.Equal(t, onDisk.Requests, rep.Totals.Requests, "report.json counts every record in results.bin")
	assert.Equal(t, onDisk, rep.Totals)
	assert.NotEmpty(t, rep.Verdicts)
}

// lockedBuffer is a bytes.Buffer the child's output copier writes while the
// test reads it for failure messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
