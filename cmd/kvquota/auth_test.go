package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAuthConformanceGate is must-show 2 from the command line: the built-in
// auth-conformance run passes against the faithful emulator (exit 0) and
// fails against one that takes any token (exit 1), naming the failed cases.
func TestAuthConformanceGate(t *testing.T) {
	t.Parallel()
	t.Run("faithful", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := run(t, "run", "auth-conformance", "--quiet", "--out", filepath.Join(t.TempDir(), "ok"))
		assert.Equal(t, exitPass, code, out+errOut)
		assert.Contains(t, out, "PASS    auth[firewall-denied]")
	})
	t.Run("lax", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := run(t, "run", "auth-conformance", "--quiet", "--lax", "accept-any-token", "--out", filepath.Join(t.TempDir(), "lax"))
		assert.Equal(t, exitFail, code, out+errOut)
		assert.Contains(t, out, "FAIL    auth[expired]")
		assert.Contains(t, out, "FAIL    auth[alg-none]")
	})
	code, _, errOut := run(t, "run", "auth-conformance", "--lax", "sloppy")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `lax setting "sloppy"`)
}
