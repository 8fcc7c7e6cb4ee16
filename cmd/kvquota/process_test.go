package main

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/internal/testmain"
)

// envBeKvquota makes the test binary be kvquota itself (TestMain): a test
// that needs a real process (a signal, an exit status) runs it without
// building a second binary, which under -race on a busy machine took longer
// than the test.
const envBeKvquota = "KVQUOTA_TEST_BE_KVQUOTA"

// defaultParallel is how many parallel tests run at once when -test.parallel
// is not given (go test's default is GOMAXPROCS: 2 on a 2-core machine). The
// parallel tests are end-to-end runs that spend most of their wall time
// waiting on scaled windows (the package's race-built tests used 11 s of CPU
// in 26 s). The clientcheck test, whose retry-storm check judges a client's
// retries by when they reach the vault, is not one of them: run beside the
// others at 4, it once failed with its 20 calls' retries bunched into a
// storm while auth-conformance, the package's most CPU-heavy test, ran.
const defaultParallel = "4"

func TestMain(m *testing.M) {
	if os.Getenv(envBeKvquota) == "1" {
		testmain.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
	}
	testmain.Default("test.parallel", defaultParallel)
	_, before := os.Stat("kvquota-runs")
	code := m.Run()
	// A test that let a run fall back to the default --out wrote into the
	// source tree (two such directories were once committed): every run a
	// test makes goes into its t.TempDir.
	if _, after := os.Stat("kvquota-runs"); before != nil && after == nil && code == 0 {
		fmt.Fprintln(os.Stderr, "a test wrote run output into the package directory (./kvquota-runs): give it --out under t.TempDir()")
		code = 1
	}
	testmain.Exit(code)
}

// kvquotaProcess is `kvquota args...` as a child process: this test binary
// in kvquota's place.
func kvquotaProcess(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), envBeKvquota+"=1")
	return cmd
}
