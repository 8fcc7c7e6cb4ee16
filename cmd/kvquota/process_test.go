package main

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// envBeKvquota makes the test binary be kvquota itself (TestMain): a test
// that needs a real process (a signal, an exit status) runs it without
// building a second binary, which under -race on a busy machine took longer
// than the test.
const envBeKvquota = "KVQUOTA_TEST_BE_KVQUOTA"

func TestMain(m *testing.M) {
	if os.Getenv(envBeKvquota) == "1" {
		os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
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
