package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/standalone"
)

// TestEmulateReadsItsAddressAndCAPathFromTheEnvironment where the flags are
// not given, as a service container must, and a flag wins over its variable.
func TestEmulateReadsItsAddressAndCAPathFromTheEnvironment(t *testing.T) {
	t.Setenv(envEmulateAddr, "0.0.0.0:8443")
	t.Setenv(envEmulateCAOut, "/ca/ca.pem")

	cmd := newEmulateCmd()
	require.NoError(t, cmd.Flags().Parse(nil))
	var o standalone.Options
	emulateEnv(cmd.Flags(), &o)
	assert.Equal(t, "0.0.0.0:8443", o.Addr)
	assert.Equal(t, "/ca/ca.pem", o.CAOut)

	cmd = newEmulateCmd()
	require.NoError(t, cmd.Flags().Parse([]string{"--addr", "127.0.0.1:9443", "--ca-out", "here.pem"}))
	o = standalone.Options{Addr: "127.0.0.1:9443", CAOut: "here.pem"}
	emulateEnv(cmd.Flags(), &o)
	assert.Equal(t, "127.0.0.1:9443", o.Addr, "the flag wins")
	assert.Equal(t, "here.pem", o.CAOut)
}

// TestEmulateListensOnLoopbackUnlessAsked: with neither flag nor variable
// the address stays empty, which standalone.Start makes its loopback default.
func TestEmulateListensOnLoopbackUnlessAsked(t *testing.T) {
	t.Setenv(envEmulateAddr, "")
	cmd := newEmulateCmd()
	require.NoError(t, cmd.Flags().Parse(nil))
	var o standalone.Options
	emulateEnv(cmd.Flags(), &o)
	assert.Empty(t, o.Addr)
	assert.Equal(t, "127.0.0.1:8443", standalone.DefaultAddr)
}
